export {
  PiktError,
  UnknownPluginError,
  DuplicatePluginError,
  InvalidOptionError,
  MissingInputError,
  ShapeMismatchError,
  NonFiniteError,
  NoBackendError,
  NoGradientsError,
  OutOfMemoryBudgetError,
} from './errors.js';
export { createRng, rngFromKey, fmix32, fnv1a } from './rng.js';
export { writeFileAtomic } from './write-file-atomic.js';
export { canonicalJson } from './canonical-json.js';
export { predictedClass, accuracy, distance, maxAbs, maxAbsDiff, squaredError, meanSquaredError } from './metrics/metrics.js';
export type { Rng } from './rng.js';
export { createRegistry } from './registry.js';
export {
  invalid, isPlainObject, requireObject, describeRange, inRange, requireNumber, optionalNumber, requirePositiveInt, requirePositive,
  requireString, requireOneOf, requireBoolean, optionalBoolean, requireFiniteArray,
} from './validation/options.js';
export type { NumberRange } from './validation/options.js';
export type { Registry, Identified } from './registry.js';
export { selectBackend } from './select-backend.js';
export { ensureGradients, gradientsRegistered, requireGradients } from './ensure-gradients.js';
export { requireBackend } from './require-backend.js';
export type { SelectBackendOptions } from './select-backend.js';
export type { JsonPrimitive, JsonValue, JsonObject } from './contracts/json.js';
export type { BackendAdapterV1, BackendFeatures, ProbeResult, ActiveBackend } from './contracts/backend.js';
export type { ModelV1, ModelIO, ParamTensors } from './contracts/model.js';
export type { ActivationPatterns, ActivationPatternSupport, ApplyWithVjpOptions } from './contracts/model.js';
export type { DatasetV1, DatasetSpec, Batch, BatchRequest, Split } from './contracts/dataset.js';
export { datasetFromArrays, gatherRows } from './dataset-from-arrays.js';
export type { ArraySplit, ArrayDatasetOptions } from './dataset-from-arrays.js';
export { defineRegularizer, resolveOptions, REGULARIZER_NEEDS } from './contracts/regularizer.js';
export { predictionOf, combinePredictions } from './contracts/regularizer.js';
export type { RegularizerPrediction } from './contracts/regularizer.js';
export type {
  RegularizerV1,
  RegularizerInput,
  RegularizerNeed,
  RegularizerDefinition,
  RegularizerFactory,
  ResolvedInput,
  TrainingClock,
} from './contracts/regularizer.js';
export type {
  TrainerEvent,
  TrainerEventType,
  RunStartEvent,
  StepEndEvent,
  EvalEndEvent,
  RunEndEvent,
  RunErrorEvent,
  ReporterV1,
} from './contracts/events.js';
