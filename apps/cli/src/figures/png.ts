import { existsSync } from 'node:fs';

/** Font files tried, in order, so text renders the same on every Debian-like machine. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/Library/Fonts/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

export interface PngResult {
  png: Uint8Array;
  width: number;
  height: number;
  /** Set when no font file was found: the PNG then has lines but no text (the SVG is unaffected). */
  warning?: string;
}

/**
 * Rasterize an SVG to PNG with resvg (a Rust renderer shipped as a prebuilt binary inside its npm
 * package, so nothing is downloaded). resvg does not use the system's font configuration: known
 * font files are passed explicitly, plus the system font directories.
 */
export async function svgToPng(svg: string, options: { scale?: number } = {}): Promise<PngResult> {
  const { Resvg } = await import('@resvg/resvg-js');
  const fontFiles = FONT_CANDIDATES.filter((f) => existsSync(f));
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  const result: PngResult = { png: image.asPng(), width: image.width, height: image.height };
  if (fontFiles.length === 0) {
    result.warning = 'no font file found (looked for DejaVu Sans and Liberation Sans): PNG figures have no text; install fonts-dejavu-core, or use the SVG figures.';
  }
  return result;
}
