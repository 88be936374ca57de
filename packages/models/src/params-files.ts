import type * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic, type JsonObject, type ModelIO } from '@pikt/core';
import { deserializeParams } from './params-load.js';
import { ParamsFileError, serializeParams, type LoadedParams, type ParamsExpectation } from './params-format.js';

export const MANIFEST_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Save a model's parameters into `dir` (created if needed) as `model.json` (manifest) and
 * `weights.bin` (float32 little-endian). Each file is written to a temporary name, flushed and
 * renamed into place, weights first: a crash leaves either the previous save or the new one, and
 * the manifest's checksum catches a manifest paired with the other save's weights. Node only.
 * `write` replaces the atomic writer (an app's output guard, which records what it wrote).
 */
export async function saveParams(
  dir: string, model: { id: string; options?: JsonObject }, params: Record<string, tf.Tensor>, io: ModelIO,
  options: { meta?: JsonObject; write?: (path: string, data: Uint8Array) => Promise<void> } = {},
): Promise<{ manifestPath: string; weightsPath: string }> {
  const { join } = await import('node:path');
  const { manifest, weights } = await serializeParams(model, params, io, { weightsPath: WEIGHTS_FILE, meta: options.meta });
  const weightsPath = join(dir, WEIGHTS_FILE);
  const manifestPath = join(dir, MANIFEST_FILE);
  const write = options.write ?? writeFileAtomic;
  await write(weightsPath, weights);
  await write(manifestPath, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { manifestPath, weightsPath };
}

/**
 * Load parameters saved by `saveParams` from `dir`. With `expected` (a model such as
 * `createWideStudent(options)`), the model id, parameter names and shapes must match; with `io`, the
 * saved input/output dimensions too. Errors (`ParamsFileError`) name the file and what is wrong:
 * missing, truncated, from another save, or of another model.
 */
export async function loadParams(dir: string, options: { expected?: ParamsExpectation; io?: ModelIO } = {}): Promise<LoadedParams> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestText = await readFile(manifestPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ParamsFileError(`Cannot read ${manifestPath} (${err.code ?? err.message}).`, 'Check the path: it must be a directory written by saveParams.');
  });
  let json: unknown;
  try { json = JSON.parse(manifestText); } catch (err) {
    throw new ParamsFileError(`${manifestPath} is not valid JSON (${(err as Error).message}).`);
  }
  const rel = (json as { weightsManifest?: Array<{ paths?: string[] }> })?.weightsManifest?.[0]?.paths?.[0] ?? WEIGHTS_FILE;
  const weightsPath = join(dir, rel);
  const bytes = await readFile(weightsPath).catch((err: NodeJS.ErrnoException) => {
    throw new ParamsFileError(`Cannot read ${weightsPath} (${err.code ?? err.message}), the weights that ${manifestPath} describes.`);
  });
  return deserializeParams(json, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, where: { manifest: manifestPath, weights: weightsPath } });
}
