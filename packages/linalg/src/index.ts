// Dense symmetric eigensolvers (Householder + implicit QL, float64, SIMD kernels).
export { eigh, eighFactor, eighProject, eigvalsh } from './dense/eigh.js';
export type { EighResult, EighProjections, EighOptions } from './dense/eigh.js';
export { basisFromVectors } from './dense/eigen-basis.js';
export type { EigenBasis } from './dense/eigen-basis.js';
export { cholesky, choleskySolve, solveSpd } from './dense/cholesky.js';
export type { CholeskyFactor, CholeskyOptions } from './dense/cholesky.js';
export { matrixWithSpectrum, randomOrthogonal } from './dense/test-matrices.js';
export { innerProductsF64, mirrorLower } from './dense/inner-products-f64.js';
export type { InnerProductsF64Options } from './dense/inner-products-f64.js';

// Matrix-free symmetric operators and Krylov methods.
export { denseOperator, applyOne } from './operators/symmetric-operator.js';
export type { SymmetricOperator } from './operators/symmetric-operator.js';
export { lanczos } from './krylov/lanczos.js';
export type { LanczosRun, LanczosOptions } from './krylov/lanczos.js';
export { gaussRule, gaussRadauRule, applyRule } from './krylov/gauss-quadrature.js';
export type { SpectralMeasure, RuleWithCoordinates } from './krylov/gauss-quadrature.js';
export { cgFromLanczos, ritzVectors } from './krylov/lanczos-solves.js';
export { conjugateGradient } from './krylov/conjugate-gradient.js';
export type { CgOptions, CgResult } from './krylov/conjugate-gradient.js';
export { largestEigenvalue } from './krylov/largest-eigenvalue.js';

// Which kernels run, and the linear-memory workspaces packages build their own SIMD operators on.
export { linalgKernels, createWorkspace, MAX_WORKSPACE_BYTES } from './wasm/workspace.js';
export type { Workspace, KernelSet } from './wasm/workspace.js';
export type { PanelProduct } from './wasm/workspace.js';
export { PANEL_GROUP } from './wasm/panel-product-kernel.js';
export type { LinalgKernels } from './wasm/kernel-select.js';
export { createPopcountGram, popcountKernels, popcountGramBytes } from './wasm/popcount-gram.js';
export type { PopcountGram, PopcountGramOptions, PopcountKernels, PopcountKernelKind, PackedPatterns, CountConsumer } from './wasm/popcount-gram.js';
export { packSigns, packMask, packNeuronMajor, patternBit, clearPatterns } from './wasm/popcount-pack.js';
export { gramF64 } from './wasm/gram-f64.js';
export type { GramF64Options } from './wasm/gram-f64.js';

// Input checks and memory budgets shared by the float64 code.
export { requireFinite, squareSize, asymmetry } from './checks.js';
export type { RealArray } from './checks.js';
export { DEFAULT_DENSE_BUDGET_BYTES, assertFits, assertDenseFits } from './memory-budget.js';
