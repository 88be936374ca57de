// Infinite-width kernels: closed forms and the neural-tangents-style layer description.
export { hinf, arcCosineKernel, twoLayerNtk } from './kernels/analytic-kernel.js';
export type { KernelMatrix, AnalyticKernelOptions } from './kernels/analytic-kernel.js';
export { dense, activation, serial } from './kernels/layers.js';
export type { LayerV1, KernelState, DenseOptions } from './kernels/layers.js';
export { defineActivation, reluActivation, erfActivation } from './kernels/activations.js';
export type { ActivationDefinition } from './kernels/activations.js';
export { relu, erf, layerKernel, twoLayerStudentLayers } from './kernels/layer-kernel.js';
export type { LayerKernelOptions, StudentLayersOptions } from './kernels/layer-kernel.js';
export { studentLayers, studentNtk } from './kernels/student-kernel.js';
export type { StudentDescription } from './kernels/student-kernel.js';
export { layersModel } from './kernels/layers-model.js';
export type { PointSetOptions } from './kernels/inner-products.js';

// Empirical NTK of a finite network, and its drift during training.
export { structuredNtk, structuredNtkAsync } from './empirical/structured-ntk.js';
export type { StructuredNtkOptions } from './empirical/structured-ntk.js';
export { gradientNtk } from './empirical/gradient-ntk.js';
export type { GradientNtkOptions } from './empirical/gradient-ntk.js';
export { kernelDrift, kernelDriftFromWeights, kernelDriftFromWeightsAsync } from './empirical/kernel-drift.js';
export { createKernelDriftTracker } from './empirical/drift-tracker.js';
export type { KernelDriftTracker, PatternBlocks } from './empirical/drift-tracker.js';
export { SyncReadUnavailableError, isHostBackend } from './empirical/sync-read.js';

// Large-n Gram operators (blockwise, matrix-free) for the Lanczos path.
export { createBlockGram, DEFAULT_BLOCK_BUDGET_BYTES } from './operators/block-gram.js';
export type { BlockGram, BlockGramOptions, BlockFiller } from './operators/block-gram.js';
export { twoLayerBlockGram } from './operators/gram-builders.js';
export { twoLayerBlockGramAsync } from './operators/gram-builders.js';
export { buildTwoLayerBlockGram, type BuildTwoLayerBlockGramOptions } from './operators/two-layer-fill.js';
export type { FillTiles, PointArray } from './operators/fill-points.js';
export type { TwoLayerBlockGramOptions } from './operators/gram-builders.js';

// The kernel-regime predictor: closed form (eigenbasis), Lanczos, and generic output-space losses.
export { createPiPredictor, stabilityOf } from './predictor/pi-predictor.js';
export { stabilityBound } from './predictor/stability-bound.js';
export type { PiPredictor, PiPredictorInput } from './predictor/pi-predictor.js';
export type { PiProblem, PiProblemInput } from './predictor/pi-problem.js';
export type { Stability, LossCurves, Capacity, IterationsToEps, Alignment } from './predictor/types.js';
export { createLanczosPredictor } from './predictor/lanczos-predictor.js';
export type { LanczosPredictor, LanczosPredictorInput, LanczosLossCurves, LanczosIterations, KrylovCapacity } from './predictor/lanczos-predictor.js';
export { predictGeneric } from './predictor/generic-predictor.js';
export type { GenericPredictorInput, GenericTrajectory } from './predictor/generic-predictor.js';
export { squaredLoss, sumLosses, piObjective, regularizerLoss } from './predictor/output-losses.js';
export type { OutputLoss, RegularizerLossContext } from './predictor/output-losses.js';
export { testMetrics } from './predictor/test-metrics.js';
export type { TestMetrics } from './predictor/test-metrics.js';

// Warnings the analysis raises (inputs off the unit sphere).
export { consoleWarning } from './warnings.js';
export type { NtkWarning, WarningSink } from './warnings.js';
