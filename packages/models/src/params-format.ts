import * as tf from '@tensorflow/tfjs-core';
import { PiktError, type JsonObject, type ModelIO } from '@pikt/core';

export const PARAMS_FORMAT = 'pikt-params';
export const PARAMS_FORMAT_VERSION = 1;

/** One tensor in the weights file (tfjs's weight-spec fields), in file order. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/**
 * The JSON manifest saved beside the weights: tfjs's `weightsManifest` layout plus what pikt needs
 * to rebuild the model (`modelId`, `options`, `io`) and to detect damage (`byteLength`, `checksum`).
 */
export interface ParamsManifest {
  format: typeof PARAMS_FORMAT;
  formatVersion: number;
  modelId: string;
  options: JsonObject;
  io: ModelIO;
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
  /** Total bytes of the weights file: float32 little-endian, tensors concatenated in spec order. */
  byteLength: number;
  /** `checksum32` of the weights file, as 8 hex digits. */
  checksum: string;
  /** Free JSON the caller attached (e.g. the teacher's test accuracy, its training settings). */
  meta?: JsonObject;
}

/** What a model must expose for its parameters to be checked on load. */
export interface ParamsExpectation {
  id: string;
  paramShapes?(io: ModelIO): Record<string, number[]>;
}

/** The saved or loaded parameters with everything needed to rebuild their model. */
export interface LoadedParams {
  modelId: string;
  options: JsonObject;
  io: ModelIO;
  params: Record<string, tf.Tensor>;
  meta?: JsonObject;
}

/** A params manifest or weights file that cannot be used; says which file and why. */
export class ParamsFileError extends PiktError {
  constructor(problem: string, hint = 'Save the parameters again (saveParams), or point to the directory that holds both model.json and weights.bin of one save.') {
    super('PIKT_PARAMS_FILE', problem, hint);
  }
}

/**
 * A 32-bit checksum of a byte string: FNV-1a over little-endian 32-bit words (then the tail
 * bytes), fast enough for weights files of hundreds of MB and enough to tell two saves apart.
 */
export function checksum32(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  const words = Math.floor(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) h = Math.imul(h ^ view.getUint32(4 * i, true), 0x01000193);
  for (let i = 4 * words; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/**
 * Turn parameters into a manifest and one weights buffer (float32 little-endian, in the order of
 * the params object). Reads the tensors asynchronously; disposes nothing.
 */
export async function serializeParams(
  model: { id: string; options?: JsonObject }, params: Record<string, tf.Tensor>, io: ModelIO,
  options: { weightsPath?: string; meta?: JsonObject } = {},
): Promise<{ manifest: ParamsManifest; weights: Uint8Array }> {
  if (!LITTLE_ENDIAN) throw new ParamsFileError('This platform is big-endian; pikt writes weights little-endian only.', 'Save on a little-endian machine.');
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (const [name, t] of Object.entries(params)) {
    if (t.dtype !== 'float32') throw new ParamsFileError(`Parameter "${name}" has dtype ${t.dtype}.`, 'Only float32 parameters can be saved.');
    specs.push({ name, shape: [...t.shape], dtype: 'float32' });
    chunks.push((await t.data()) as Float32Array);
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const weights = new Uint8Array(total * 4);
  const f32 = new Float32Array(weights.buffer);
  let offset = 0;
  for (const c of chunks) { f32.set(c, offset); offset += c.length; }
  const manifest: ParamsManifest = {
    format: PARAMS_FORMAT,
    formatVersion: PARAMS_FORMAT_VERSION,
    modelId: model.id,
    options: structuredClone(model.options ?? {}),
    io: { inputDim: io.inputDim, outputDim: io.outputDim },
    weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
    byteLength: weights.byteLength,
    checksum: checksum32(weights),
    ...(options.meta ? { meta: structuredClone(options.meta) } : {}),
  };
  return { manifest, weights };
}
