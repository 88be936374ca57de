import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The adapter info fields pikt reads (WebGPU `GPUAdapterInfo`). */
export interface AdapterInfoLike {
  vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean;
}
/** The parts of `GPUAdapter` pikt uses (typed locally so the package builds without @webgpu/types). */
export interface AdapterLike {
  readonly info: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
}
/** The parts of `navigator.gpu` pikt uses. */
export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}
/** The part of the npm `webgpu` module (Dawn for Node) this package uses. */
export interface WebGpuModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/** One way to ask Dawn for an adapter: its toggles, the request options, environment it needs. */
export interface DawnAttempt {
  /** Short label for reports: "vulkan", "vulkan (SwiftShader ICD)", "opengles". */
  label: string;
  flags: string[];
  request?: Record<string, unknown>;
  /** Environment variables set before `create()` (read by the Vulkan loader or EGL at that moment). */
  env?: Record<string, string>;
}

/** What pikt reports about the adapter it got. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn backend that produced it ("vulkan", "vulkan (SwiftShader ICD)", "opengles"). */
  via: string;
  kind: 'software' | 'hardware';
}

/** Where Debian's chromium package puts SwiftShader's Vulkan ICD (a CPU Vulkan driver). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Names of CPU rasterisers that drivers report; an adapter matching one is software. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|warp/i;

/**
 * Attempts in order: Vulkan with the system drivers; if none and software is allowed, Vulkan with
 * SwiftShader's ICD (only when VK_DRIVER_FILES is unset: a user's own choice wins); then Dawn's
 * OpenGL ES path (Mesa; compatibility feature level, EGL without a display). Dawn's "null" backend
 * is never requested: it answers every dispatch with garbage.
 */
export function dawnAttempts(opts: { allowSoftware: boolean; swiftshaderIcd?: string; env?: NodeJS.ProcessEnv }): DawnAttempt[] {
  const env = opts.env ?? process.env;
  const icd = opts.swiftshaderIcd ?? SWIFTSHADER_ICD;
  const attempts: DawnAttempt[] = [{ label: 'vulkan', flags: ['backend=vulkan'] }];
  if (opts.allowSoftware && !env.VK_DRIVER_FILES && !env.VK_ICD_FILENAMES && existsSync(icd)) {
    attempts.push({ label: 'vulkan (SwiftShader ICD)', flags: ['backend=vulkan'], env: { VK_DRIVER_FILES: icd } });
  }
  attempts.push({
    label: 'opengles', flags: ['backend=opengles'], request: { featureLevel: 'compatibility' },
    env: env.EGL_PLATFORM ? {} : { EGL_PLATFORM: 'surfaceless' },
  });
  return attempts;
}

/** Software or hardware, from Dawn's fallback flag and the driver's own name. */
export function adapterKind(info: { vendor?: string; architecture?: string; device?: string; description?: string }, isFallback: boolean): 'software' | 'hardware' {
  if (isFallback) return 'software';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return SOFTWARE_NAMES.test(text) ? 'software' : 'hardware';
}

/** Dawn's null backend reports this device name; its results are not computed. */
export function isNullAdapter(info: { device?: string }): boolean {
  return /null-backend/i.test(info.device ?? '');
}

/** Whether a Vulkan loader (libvulkan.so.1) is on the usual library paths (Linux). */
export function hasVulkanLoader(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true; // macOS/Windows: Dawn uses Metal/D3D; not our concern here
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

export interface FoundAdapter {
  gpu: GpuLike;
  adapter: AdapterLike;
  attempt: DawnAttempt;
  report: AdapterReport;
  /** Puts back the environment variables the attempt set (call when the adapter is released). */
  restoreEnv?: () => void;
}

/**
 * Try each attempt until Dawn returns a usable adapter. Returns the adapter or, when none works,
 * the list of what each attempt said (for the probe's reason).
 */
/**
 * One Dawn instance per process and set of flags. Creating a second instance after the first was
 * dropped (dispose, then activate again) aborted the process about one run in ten on SwiftShader
 * (`pthread_mutex_lock: Assertion e != ESRCH || !robust`, or `std::system_error: Owner died`) while
 * the old instance's threads were torn down; an instance that stays does not keep Node from exiting.
 */
const instances = new WeakMap<WebGpuModule, Map<string, GpuLike>>();
function dawnInstance(webgpu: WebGpuModule, flags: string[]): GpuLike {
  let byFlags = instances.get(webgpu);
  if (!byFlags) instances.set(webgpu, (byFlags = new Map()));
  const key = flags.join('\n');
  let gpu = byFlags.get(key);
  if (!gpu) byFlags.set(key, (gpu = webgpu.create(flags)));
  return gpu;
}

export async function findDawnAdapter(webgpu: WebGpuModule, attempts: readonly DawnAttempt[],
  accept: (r: AdapterReport) => string | undefined = () => undefined): Promise<FoundAdapter | { tried: string[] }> {
  const tried: string[] = [];
  for (const attempt of attempts) {
    // The Vulkan loader and EGL read these when Dawn creates its instance; a failed attempt puts them back.
    const saved = Object.keys(attempt.env ?? {}).map((k) => [k, process.env[k]] as const);
    const restore = () => { for (const [k, v] of saved) { if (v === undefined) delete process.env[k]; else process.env[k] = v; } };
    for (const [k, v] of Object.entries(attempt.env ?? {})) process.env[k] = v;
    let adapter: AdapterLike | null = null;
    let gpu: GpuLike;
    try {
      gpu = dawnInstance(webgpu, attempt.flags);
      adapter = await gpu.requestAdapter(attempt.request);
    } catch (err) {
      tried.push(`${attempt.label}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      restore();
      continue;
    }
    if (!adapter) { tried.push(`${attempt.label}: no adapter`); restore(); continue; }
    const info = adapter.info;
    if (isNullAdapter(info)) { tried.push(`${attempt.label}: Dawn's null backend (refused)`); restore(); continue; }
    const fallback = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter);
    const report: AdapterReport = {
      vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
      via: attempt.label, kind: adapterKind(info, fallback),
    };
    const refused = accept(report);
    if (refused) { tried.push(`${attempt.label}: ${describeAdapter(report)} refused (${refused})`); restore(); continue; }
    return { gpu, adapter, attempt, report, restoreEnv: restore };
  }
  return { tried };
}

/** "SwiftShader driver 5.0.0 (google swiftshader) via vulkan (SwiftShader ICD)": one line for logs. */
export function describeAdapter(r: AdapterReport): string {
  const name = r.description || r.device || 'unnamed adapter';
  const extra = [r.vendor, r.architecture].filter(Boolean).join(' ');
  return `${name}${extra ? ` (${extra})` : ''} via ${r.via}`;
}
