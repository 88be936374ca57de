import * as tf from '@tensorflow/tfjs-core';
import type { ModelIO } from '@pikt/core';
import {
  PARAMS_FORMAT, PARAMS_FORMAT_VERSION, ParamsFileError, checksum32,
  type LoadedParams, type ParamsExpectation, type ParamsManifest, type WeightSpec,
} from './params-format.js';

/**
 * Check a parsed manifest's structure and return it typed. `where` names the file in messages.
 */
export function parseParamsManifest(json: unknown, where = 'model.json'): ParamsManifest {
  const m = json as Partial<ParamsManifest> | null;
  if (!m || typeof m !== 'object' || m.format !== PARAMS_FORMAT) {
    throw new ParamsFileError(`${where} is not a pikt params manifest (its "format" is ${JSON.stringify(m && typeof m === 'object' ? m.format : m)}, expected "${PARAMS_FORMAT}").`);
  }
  if (m.formatVersion !== PARAMS_FORMAT_VERSION) {
    throw new ParamsFileError(`${where} has formatVersion ${m.formatVersion}; this pikt reads version ${PARAMS_FORMAT_VERSION}.`, 'Load it with the pikt version that saved it, or save again.');
  }
  const specs = m.weightsManifest?.[0]?.weights;
  if (typeof m.modelId !== 'string' || !m.io || !Array.isArray(specs) || typeof m.byteLength !== 'number' || typeof m.checksum !== 'string') {
    throw new ParamsFileError(`${where} is missing one of modelId, io, weightsManifest[0].weights, byteLength, checksum.`);
  }
  let bytes = 0;
  for (const s of specs) {
    if (typeof s?.name !== 'string' || !Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0) || s.dtype !== 'float32') {
      throw new ParamsFileError(`${where} has a malformed weight spec ${JSON.stringify(s)} (needs a name, an integer shape and dtype "float32").`);
    }
    bytes += 4 * s.shape.reduce((p, d) => p * d, 1);
  }
  if (bytes !== m.byteLength) throw new ParamsFileError(`${where} is inconsistent: its weight specs add up to ${bytes} bytes but byteLength says ${m.byteLength}.`);
  return m as ParamsManifest;
}

/**
 * Rebuild parameter tensors from a manifest and its weights bytes, checking that the file is
 * complete (byteLength), unchanged (checksum) and, when `expected` is given, that it was saved from
 * that model (id) with exactly the parameter names and shapes the model has for the saved io.
 */
export function deserializeParams(
  manifestJson: unknown, weights: Uint8Array,
  options: { expected?: ParamsExpectation; io?: ModelIO; where?: { manifest: string; weights: string } } = {},
): LoadedParams {
  const where = options.where ?? { manifest: 'model.json', weights: 'weights.bin' };
  const manifest = parseParamsManifest(manifestJson, where.manifest);
  const specs = manifest.weightsManifest[0].weights;
  if (weights.byteLength !== manifest.byteLength) {
    const kind = weights.byteLength < manifest.byteLength ? 'truncated' : 'longer than expected';
    throw new ParamsFileError(
      `${where.weights} is ${kind}: it has ${weights.byteLength} bytes but ${where.manifest} describes ${manifest.byteLength} bytes (${specs.map((s) => `${s.name} [${s.shape.join(', ')}]`).join(', ')}).`,
      'The save was interrupted or the file was cut; save the parameters again.');
  }
  const sum = checksum32(weights);
  if (sum !== manifest.checksum) {
    throw new ParamsFileError(`${where.weights} does not match ${where.manifest}: checksum ${sum}, expected ${manifest.checksum}.`,
      'The two files come from different saves or the weights are corrupt; save the parameters again.');
  }
  checkExpected(manifest, specs, options.expected, options.io, where.manifest);
  const params: Record<string, tf.Tensor> = {};
  let offset = 0;
  for (const s of specs) {
    const size = s.shape.reduce((p, d) => p * d, 1);
    // slice() copies into a fresh, 4-byte-aligned buffer (file buffers may start at any offset).
    params[s.name] = tf.tensor(new Float32Array(weights.slice(offset, offset + 4 * size).buffer), s.shape, 'float32');
    offset += 4 * size;
  }
  return { modelId: manifest.modelId, options: manifest.options, io: manifest.io, params, ...(manifest.meta ? { meta: manifest.meta } : {}) };
}

function checkExpected(manifest: ParamsManifest, specs: WeightSpec[], expected: ParamsExpectation | undefined, io: ModelIO | undefined, where: string): void {
  if (io && (io.inputDim !== manifest.io.inputDim || io.outputDim !== manifest.io.outputDim)) {
    throw new ParamsFileError(`${where} was saved for io ${JSON.stringify(manifest.io)}, not ${JSON.stringify(io)}.`, 'Load parameters saved for this data, or train and save new ones.');
  }
  if (!expected) return;
  if (expected.id !== manifest.modelId) {
    throw new ParamsFileError(`${where} holds parameters of model "${manifest.modelId}", not "${expected.id}".`, `Create the model with its factory for "${manifest.modelId}" (options are in the manifest).`);
  }
  if (!expected.paramShapes) return;
  const want = expected.paramShapes(manifest.io);
  const got = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
  const missing = Object.keys(want).filter((k) => !(k in got));
  const extra = Object.keys(got).filter((k) => !(k in want));
  const wrong = Object.keys(want).filter((k) => k in got && want[k].join() !== got[k].join());
  if (missing.length + extra.length + wrong.length > 0) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      extra.length ? `unexpected ${extra.join(', ')}` : '',
      ...wrong.map((k) => `${k} is [${got[k].join(', ')}], the model needs [${want[k].join(', ')}]`),
    ].filter(Boolean);
    throw new ParamsFileError(`${where} does not fit this "${expected.id}" model: ${parts.join('; ')}.`,
      `Create the model with the saved options ${JSON.stringify(manifest.options)}, or load parameters saved from this model.`);
  }
}
