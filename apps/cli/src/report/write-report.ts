import { join } from 'node:path';
import { svgToPng } from '../figures/png.js';
import { writeFileAtomic as writeFileAtomicDefault } from '@pikt/core';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportDocument } from './types.js';

export interface WrittenReport {
  /** Paths written, relative to the report folder. */
  files: string[];
  warnings: string[];
}

/**
 * Write every figure (SVG, and PNG unless `png: false`), `report.md` and `report.html` into `dir`,
 * each file atomically (through `options.write` when given: the CLI's output guard). Figures' `file` paths are relative to `dir`.
 */
export async function writeReport(dir: string, doc: ReportDocument, options: { png?: boolean; write?: (path: string, data: string | Uint8Array) => Promise<void> } = {}): Promise<WrittenReport> {
  const writeFileAtomic = options.write ?? writeFileAtomicDefault;
  const files: string[] = [];
  const warnings = new Set<string>();
  for (const e of doc.experiments) {
    for (const f of e.figures) {
      await writeFileAtomic(join(dir, f.file), f.svg);
      files.push(f.file);
      if (options.png !== false) {
        const png = await svgToPng(f.svg);
        const pngFile = f.file.replace(/\.svg$/, '.png');
        await writeFileAtomic(join(dir, pngFile), png.png);
        f.png = pngFile;
        files.push(pngFile);
        if (png.warning) warnings.add(png.warning);
      }
    }
  }
  await writeFileAtomic(join(dir, 'report.md'), renderMarkdown(doc));
  await writeFileAtomic(join(dir, 'report.html'), renderHtml(doc));
  files.push('report.md', 'report.html');
  return { files, warnings: [...warnings] };
}
