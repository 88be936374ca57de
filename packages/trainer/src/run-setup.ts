import { canonicalJson, InvalidOptionError, PiktError, type JsonObject, type ModelV1, type RegularizerV1 } from '@pikt/core';
import { checkUniqueNames, totalStepsFor, validateSettings, type ResolvedSettings } from './config.js';
import { checkData, type CheckedSplit, type LoadedData } from './data.js';
import { checkStability } from './divergence.js';
import { RESERVED_METRICS } from './evaluate.js';
import { fingerprintArrays, hashString } from './fingerprint.js';
import type { NamedTerm } from './loss-gradients.js';

/** A loss term: a regularizer (named by its id) or `{ name, regularizer }`. */
export type TermInput = RegularizerV1 | NamedTerm;

export interface PreparedRun {
  settings: ResolvedSettings;
  terms: NamedTerm[];
  train: CheckedSplit;
  test?: CheckedSplit;
  totalSteps: number;
  /** The full run description as JSON (settings + model and term references): run-start's config. */
  config: JsonObject;
  /** Hash of what determines the numbers (seed, optimizer, schedule, model, terms, data). */
  configHash: string;
  runId: string;
}

function isNamed(t: TermInput): t is NamedTerm {
  return typeof (t as NamedTerm).name === 'string' && typeof (t as NamedTerm).regularizer === 'object';
}

/**
 * Every check that needs no tensors, in order: settings (field names and ranges), model and terms,
 * data (read by `readDataset`: shapes, finiteness, each term's inputs), schedule against the data (batch size,
 * recordOutputsAt), and the stability bound. Throws before any work.
 */
export function prepareRun(model: ModelV1, termInputs: readonly TermInput[], data: LoadedData, rawSettings: unknown): PreparedRun {
  const settings = validateSettings(rawSettings);
  if (!model || typeof model.init !== 'function' || typeof model.apply !== 'function') {
    throw new InvalidOptionError('model', model, 'a ModelV1 object with init and apply');
  }
  if (!Array.isArray(termInputs) || termInputs.length === 0) {
    throw new InvalidOptionError('terms', termInputs, 'a non-empty array of loss terms (regularizers or { name, regularizer })');
  }
  const terms = termInputs.map((t, i): NamedTerm => {
    const named = isNamed(t) ? t : { name: (t as RegularizerV1)?.id, regularizer: t as RegularizerV1 };
    if (!named.regularizer || typeof named.regularizer.compute !== 'function') {
      throw new InvalidOptionError(`terms[${i}]`, t, 'a RegularizerV1 (e.g. made by defineRegularizer) or { name, regularizer }');
    }
    if ((RESERVED_METRICS as readonly string[]).includes(named.name)) {
      throw new InvalidOptionError(`terms[${i}].name`, named.name, `a name other than ${RESERVED_METRICS.join(', ')} (reserved for metrics)`);
    }
    return named;
  });
  checkUniqueNames(terms.map((t) => t.name));
  const { train, test } = checkData(data, terms.map((t) => ({ name: t.name, needs: t.regularizer.needs })));
  if (settings.batchSize !== undefined && settings.batchSize > train.n) {
    throw new InvalidOptionError('batchSize', settings.batchSize, `an integer in [1, ${train.n}] (the training split has n = ${train.n} rows)`);
  }
  const totalSteps = totalStepsFor(settings, train.n);
  settings.recordOutputsAt.forEach((s, i) => {
    if (s > totalSteps) throw new InvalidOptionError(`recordOutputsAt[${i}]`, s, `a step in [0, ${totalSteps}] (the run has ${totalSteps} steps)`);
  });
  checkStability({ kind: settings.optimizer.kind, lr: settings.optimizer.lr, stability: settings.stability });

  const config: JsonObject = JSON.parse(JSON.stringify({
    ...settings,
    model: { id: model.id, options: model.options ?? {} },
    terms: terms.map((t) => ({ id: t.regularizer.id, name: t.name, options: t.regularizer.options })),
  }));
  const numerics = {
    seed: settings.seed, optimizer: settings.optimizer, steps: settings.steps ?? null, epochs: settings.epochs ?? null,
    batchSize: settings.batchSize ?? null, model: config.model, terms: config.terms, trainable: model.trainable ?? null,
    data: [train.n, train.inputDim, train.outputDim, fingerprintArrays([train.x, train.targets, train.teacherLogits, train.teacherFeatures])],
  };
  const configHash = hashString(canonicalJson(numerics));
  return { settings, terms, train, ...(test ? { test } : {}), totalSteps, config, configHash, runId: settings.runId ?? `run-${configHash}` };
}

/** A checkpoint can only continue the run it came from. */
export function checkResumable(prepared: PreparedRun, checkpoint: { configHash: string; step: number; runId: string }, where: string): void {
  if (checkpoint.configHash !== prepared.configHash) {
    throw new PiktError('PIKT_CHECKPOINT_MISMATCH',
      `The checkpoint in ${where} (run "${checkpoint.runId}", step ${checkpoint.step}) was written by a run with a different model, loss terms, optimizer, schedule, seed or data.`,
      'Resume with the same config and data, or start a fresh run in an empty checkpoint location.');
  }
}
