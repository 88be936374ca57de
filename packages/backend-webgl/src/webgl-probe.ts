/** What the probe found out about this page's (or worker's) WebGL. */
export interface WebglCapabilities {
  webglVersion: 1 | 2;
  renderer: string;
  /** An RGBA32F texture can be a render target and reads back the exact values written. */
  float32Textures: boolean;
  /** The renderer is a CPU rasteriser (SwiftShader, llvmpipe): tfjs refuses it by default. */
  software: boolean;
  /** A context with failIfMajorPerformanceCaveat (what tfjs asks for) was refused. */
  performanceCaveat: boolean;
  /** Main thread (document) or a worker (OffscreenCanvas). */
  context: 'document' | 'worker';
}

export type WebglProbe = { ok: true; caps: WebglCapabilities } | { ok: false; reason: string };

export const NO_WEBGL_IN_NODE = 'no WebGL in Node: use wasm or node-gpu';

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

type GL = WebGLRenderingContext | WebGL2RenderingContext;

function makeCanvas(): { canvas: OffscreenCanvas | HTMLCanvasElement; context: 'document' | 'worker' } | undefined {
  const g = globalThis as { document?: Document; OffscreenCanvas?: typeof OffscreenCanvas };
  if (g.document?.createElement) return { canvas: g.document.createElement('canvas'), context: 'document' };
  if (typeof g.OffscreenCanvas === 'function') return { canvas: new g.OffscreenCanvas(1, 1), context: 'worker' };
  return undefined;
}

function getContext(canvas: OffscreenCanvas | HTMLCanvasElement, attrs: WebGLContextAttributes): { gl: GL; version: 1 | 2 } | undefined {
  const get = (kind: 'webgl2' | 'webgl') => (canvas as HTMLCanvasElement).getContext(kind, attrs) as GL | null;
  const gl2 = get('webgl2');
  if (gl2) return { gl: gl2, version: 2 };
  const gl1 = get('webgl');
  return gl1 ? { gl: gl1, version: 1 } : undefined;
}

/** Render known float32 values (outside [0, 1], with a fraction below 8-bit precision) and read them back. */
const PROBE_VALUES = [1.5, -2.25, 3.0001220703125, 1024.5];

function float32RoundTrip(gl: GL, version: 1 | 2): boolean {
  if (version === 2) { if (!gl.getExtension('EXT_color_buffer_float')) return false; }
  else if (!gl.getExtension('OES_texture_float') || !gl.getExtension('WEBGL_color_buffer_float')) return false;
  const tex = gl.createTexture();
  const fb = gl.createFramebuffer();
  try {
    gl.bindTexture(gl.TEXTURE_2D, tex);
    const internal = version === 2 ? (gl as WebGL2RenderingContext).RGBA32F : gl.RGBA;
    gl.texImage2D(gl.TEXTURE_2D, 0, internal, 1, 1, 0, gl.RGBA, gl.FLOAT, null);
    gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return false;
    const [r, g, b, a] = PROBE_VALUES;
    gl.clearColor(r, g, b, a);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const out = new Float32Array(4);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.FLOAT, out);
    return out.every((v, i) => v === PROBE_VALUES[i]);
  } finally {
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.deleteFramebuffer(fb);
    gl.deleteTexture(tex);
  }
}

function rendererOf(gl: GL): string {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return String(name ?? 'unknown renderer');
}

/**
 * Asks the runtime for WebGL the way tfjs-backend-webgl will (WebGL2 first, then 1), on a
 * document canvas or an OffscreenCanvas in a worker, and checks what tfjs needs for float32 math:
 * a float render target whose values read back unchanged. Never throws; releases its contexts.
 */
export function probeWebgl(): WebglProbe {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown };
  const made = makeCanvas();
  if (!made) return { ok: false, reason: g.process?.versions?.node ? NO_WEBGL_IN_NODE : 'this runtime has neither a document nor OffscreenCanvas' };
  try {
    const plain = getContext(made.canvas, { alpha: false, antialias: false, depth: false, stencil: false, preserveDrawingBuffer: false });
    if (!plain) return { ok: false, reason: 'the browser gives no WebGL context (disabled, blocklisted GPU, or no GPU process)' };
    const { gl, version } = plain;
    const caps: WebglCapabilities = {
      webglVersion: version, renderer: rendererOf(gl), float32Textures: float32RoundTrip(gl, version),
      software: false, performanceCaveat: false, context: made.context,
    };
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    // A fresh canvas: a canvas keeps the first context it handed out, whatever the attributes.
    const second = makeCanvas();
    const strict = second && getContext(second.canvas, { failIfMajorPerformanceCaveat: true });
    caps.performanceCaveat = !strict;
    strict?.gl.getExtension('WEBGL_lose_context')?.loseContext();
    caps.software = caps.performanceCaveat || SOFTWARE_RENDERERS.test(caps.renderer);
    return { ok: true, caps };
  } catch (err) {
    return { ok: false, reason: `WebGL probe failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
