export { train, startRun } from './train.js';
export type { TrainOptions, TrainResult, TrainRun } from './train.js';
export { runExperiment, startExperiment, prepareExperiment } from './experiment.js';
export type { ExperimentOptions, ExperimentRegistries, ModelFactory, PreparedExperiment } from './experiment.js';
export { validateSettings, validateExperimentConfig, stabilityBound, OPTIMIZER_KINDS, ADAM_DEFAULTS, DIVERGENCE_DEFAULTS } from './config.js';
export type {
  ExperimentConfig, TrainingSettings, ResolvedSettings, OptimizerConfig, OptimizerKind, StabilityConfig,
  DivergenceConfig, ModelRef, TermRef,
} from './config.js';
export type { NamedTerm, GradientMode } from './loss-gradients.js';
export type { TermInput } from './run-setup.js';
export {
  DivergenceError, UnstableLearningRateError, createDivergenceMonitor, checkStability, describeBound,
} from './divergence.js';
export type { DivergenceMonitorState, StabilityContext } from './divergence.js';
export {
  CHECKPOINT_FORMAT, createMemoryCheckpointStore, serializeCheckpoint, deserializeCheckpoint,
} from './checkpoint.js';
export type { Checkpoint, CheckpointStore, CheckpointManifest, ArrayTensor, StepRecord } from './checkpoint.js';
export { createDirectoryCheckpointStore } from './directory-checkpoint-store.js';
export { createJsonlReporter, readEventLog } from './jsonl-reporter.js';
export type { JsonlReporterOptions } from './jsonl-reporter.js';
export { createMemoryReporter, createCallbackReporter } from './reporters.js';
export { RESERVED_METRICS } from './evaluate.js';
export { initialParams } from './initial-params.js';
export type { KernelDriftConsumer, KernelDriftOption, KernelDriftRecord } from './kernel-drift.js';
export { startShardedStudent, ShardWorkerError } from './sharded/sharded-student.js';
export type { ShardedStudent, ShardedStudentSpec, ShardTimings } from './sharded/sharded-student.js';
export { createNodeShardTransport, liveShardThreads } from './sharded/node-shard-transport.js';
export type { ShardTransport, ShardChannel } from './sharded/node-shard-transport.js';
export { serveShard } from './sharded/shard-serve.js';
export type { ShardEndpoint, ShardRequest, ShardReply, ShardBackend } from './sharded/shard-protocol.js';
export { planShards } from './sharded/shard-plan.js';
export type { ShardSegment } from './sharded/shard-plan.js';
export { createWebWorkerShardTransport } from './sharded/web-shard-transport.js';
export type { WebWorkerLike } from './sharded/web-shard-transport.js';
