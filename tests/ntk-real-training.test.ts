// Issue 6 acceptance, kernel-regime predictor against REAL training of the wide student
// (SCIENCE.md section 3, P2 and P4-P6, P8): n = 50 unit-norm inputs in d = 10, labels in {-1, +1},
// a smooth teacher z, the symmetric student f(x; W) = (1/sqrt(m)) sum_r a_r relu(w_r . x) trained by
// @pikt/trainer with full-batch GD on L = 1/2||u - y||^2 + lambda/2||u - z||^2, lambda in {0, 1, 4},
// m = 2^12, 2^14, 2^16, on wasm.
//
// The prediction uses the empirical Gram H(W(0)) of each run's own initialization (`structuredNtk`),
// u0 = 0 and the run's eta. H(W(0)) rather than Hinf because the theory's statement for a run of
// finite width m is u(k) - ybar ~ (I - eta (1 + lambda) H(W(0)))^k (u0 - ybar): what is left is
// the kernel's drift during training, which is what P8 says shrinks with m. Against Hinf the gap
// also contains ||H(W(0)) - Hinf|| = O(1/sqrt(m)) from the random draw; it is printed beside.
//
// Step and horizon: eta = 1.8 / ((1 + lambda) mu_1), i.e. 0.9 of the stability bound (P3): on this
// Gram (mu_1 / mu_n ~ 37) it needs about half the steps of eta = 1 / ((1 + lambda) mu_1) to reach
// eps = 1e-2. Widths 2^12 and 2^14 run until the predicted label error is within 2.5e-4 of its
// limit (P4 is asserted there, at 1e-3); 2^16 runs to 1.1 k_eps + 1 steps (a GD step at that width
// costs ~0.15-0.3 s on a shared 2-core machine), enough for the gap, P5 and P6.
import { createWasmBackend } from '@pikt/backend-wasm';
import type { EigenBasis } from '@pikt/linalg';
import { createPiPredictor, hinf, structuredNtk, type PiPredictor } from '@pikt/ntk';
import { labelFit, quadraticPi } from '@pikt/regularizers';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { dist, initialFirstLayer, makeKernelTask, maxAbs, maxGap, trainWide } from './fixtures/wide-training.js';

const N = 50;
const D = 10;
const TASK_SEED = 6;
const INIT_SEED = 11;
const WIDTHS = [2 ** 12, 2 ** 14, 2 ** 16];
const LAMBDAS = [0, 1, 4];
const EPS = 1e-2;
const STEP_SCALE = 1.8;
/** Widths that run to convergence (P4 is checked there). */
const CONVERGED_WIDTHS = new Set([2 ** 12, 2 ** 14]);
/** Run until the predicted label error is within this relative distance of alpha ||z - y||. */
const CONVERGENCE_MARGIN = 2.5e-4;

interface Outcome {
  width: number;
  lambda: number;
  eta: number;
  steps: number;
  converged: boolean;
  /** max_k max_i |u_meas(k) - u_pred(k)| / max|ybar| over k = 0..steps, and over the common horizon. */
  gap: number;
  gapCommon: number;
  gapHinfCommon: number;
  kPredicted: number | null;
  kMeasured: number | null;
  labelErrorMeasured: number;
  labelErrorPredictedAtK: number;
  labelErrorLimit: number;
  /** ||y||, the scale of the label error when alpha = 0. */
  yNorm: number;
  capacityPredicted: number;
  weightDistancePredictedAtK: number;
  weightDistanceTrainer: number;
  weightDistanceF64: number;
  u0MaxAbs: number;
  seconds: number;
}

const task = makeKernelTask(TASK_SEED, N, D);
const outcomes: Outcome[] = [];
/** Steps 0..commonHorizon exist in every run: the gap is compared across widths there. */
let commonHorizon = Infinity;

function labelErrorDeviation(err: number, limit: number, yNorm: number): number {
  // P4: ||u(inf) - y|| = alpha ||z - y||; at lambda = 0 the limit is 0, so measure against ||y||.
  return limit > 0 ? Math.abs(err - limit) / limit : err / yNorm;
}

function convergedSteps(p: PiPredictor): number {
  const limit = p.labelError().predicted;
  const yNorm = Math.hypot(...task.y);
  for (let k = 1; k <= 2000; k++) {
    if (labelErrorDeviation(dist(p.trajectory(k), task.y), limit, yNorm) <= CONVERGENCE_MARGIN) return k;
  }
  throw new Error('the predicted trajectory does not converge within 2000 steps');
}

function terms(lambda: number) {
  const label = { name: 'label', regularizer: labelFit({ loss: 'squared' }) };
  return lambda > 0 ? [label, { name: 'pi', regularizer: quadraticPi({ lambda }) }] : [label];
}

function trajectory(p: PiPredictor, steps: number): Float64Array[] {
  return Array.from({ length: steps + 1 }, (_, k) => p.trajectory(k));
}

beforeAll(async () => {
  await createWasmBackend().activate();
  const t0 = performance.now();
  const hInf = hinf(task.x, null, { inputDim: D, onWarning: () => undefined }).data;
  let basisInf: EigenBasis | undefined;
  const planned: Array<{ width: number; lambda: number; predictor: PiPredictor; inf: PiPredictor; steps: number; eta: number; mu1: number }> = [];
  for (const width of WIDTHS) {
    // H(W(0)) of the run's own draw: same seed, same init as the trainer's.
    const h0 = structuredNtk(task.x, null, initialFirstLayer(width, D, INIT_SEED), { inputDim: D }).data;
    let basis: EigenBasis | undefined;
    for (const lambda of LAMBDAS) {
      const probe = createPiPredictor({ gram: h0, basis, y: task.y, z: task.z, lambda, eta: 1e-6 });
      basis = probe.basis;
      const mu1 = basis.values[0];
      const eta = STEP_SCALE / ((1 + lambda) * mu1);
      const predictor = createPiPredictor({ basis, y: task.y, z: task.z, lambda, eta, onUnstable: 'throw' });
      const inf = createPiPredictor({ gram: hInf, basis: basisInf, y: task.y, z: task.z, lambda, eta, onWarning: () => undefined });
      basisInf = inf.basis;
      const kPred = predictor.iterationsToEps(EPS).withTeacher;
      if (kPred === null) throw new Error(`no predicted iteration count at m = ${width}, lambda = ${lambda}`);
      const steps = CONVERGED_WIDTHS.has(width) ? Math.max(convergedSteps(predictor), Math.ceil(1.1 * kPred) + 1) : Math.ceil(1.1 * kPred) + 1;
      planned.push({ width, lambda, predictor, inf, steps, eta, mu1 });
    }
  }
  commonHorizon = Math.min(...planned.map((p) => p.steps));
  console.log(`[ntk vs training] setup (Grams, eigenbases, plans) ${((performance.now() - t0) / 1000).toFixed(2)} s; common horizon ${commonHorizon} steps`);
  for (const { width, lambda, predictor, inf, steps, eta, mu1 } of planned) {
    const run = await trainWide(task, { width, lr: eta, steps, seed: INIT_SEED, terms: terms(lambda), stability: { muMax: mu1, lambda } });
    const pred = trajectory(predictor, steps);
    const ybar = predictor.converged();
    const scale = maxAbs(ybar);
    const tNorm = Math.hypot(...ybar); // ||ybar - u0||, u0 = 0
    // P6's measured counterpart: the least k with ||u(k) - ybar|| <= eps ||ybar - u0||, on the run's own u.
    const kMeasured = run.u.findIndex((u) => dist(u, ybar) <= EPS * tNorm);
    const common = (us: Float64Array[]) => us.slice(0, commonHorizon + 1);
    outcomes.push({
      width, lambda, eta, steps, converged: CONVERGED_WIDTHS.has(width),
      gap: maxGap(run.u, pred) / scale,
      gapCommon: maxGap(common(run.u), common(pred)) / scale,
      gapHinfCommon: maxGap(common(run.u), common(trajectory(inf, commonHorizon))) / scale,
      kPredicted: predictor.iterationsToEps(EPS).withTeacher,
      kMeasured: kMeasured < 0 ? null : kMeasured,
      labelErrorMeasured: dist(run.u[steps], task.y),
      labelErrorPredictedAtK: dist(pred[steps], task.y),
      labelErrorLimit: predictor.labelError().predicted,
      yNorm: Math.hypot(...task.y),
      capacityPredicted: predictor.capacity().value,
      weightDistancePredictedAtK: predictor.weightDistance(steps),
      weightDistanceTrainer: run.weightDistance[steps],
      weightDistanceF64: run.finalDistanceF64,
      u0MaxAbs: maxAbs(run.u[0]),
      seconds: run.seconds,
    });
    const o = outcomes[outcomes.length - 1];
    console.log(`[ntk vs training] m = 2^${Math.log2(width)}, lambda = ${lambda}: eta ${eta.toPrecision(4)}, ${steps} GD steps in ${run.seconds.toFixed(2)} s; `
      + `gap/max|ybar| ${o.gap.toExponential(3)} (k <= ${commonHorizon}: H(W0) ${o.gapCommon.toExponential(3)}, Hinf ${o.gapHinfCommon.toExponential(3)}); `
      + `k_eps measured ${o.kMeasured} predicted ${o.kPredicted}; label error ${o.labelErrorMeasured.toPrecision(7)} (predicted at k ${o.labelErrorPredictedAtK.toPrecision(7)}, limit alpha||z-y|| ${o.labelErrorLimit.toPrecision(7)}); `
      + `||W-W0||_F ${o.weightDistanceF64.toPrecision(6)} (trainer ${o.weightDistanceTrainer.toPrecision(6)}), capacity ${o.capacityPredicted.toPrecision(6)}, predicted at k ${o.weightDistancePredictedAtK.toPrecision(6)}`);
  }
  console.log(`[ntk vs training] total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 600_000);

const at = (width: number, lambda: number): Outcome => {
  const o = outcomes.find((x) => x.width === width && x.lambda === lambda);
  if (!o) throw new Error(`no run for m = ${width}, lambda = ${lambda}`);
  return o;
};

describe('kernel-regime predictor on H(W(0)) vs full-batch GD of the wide student (n = 50, d = 10, wasm)', () => {
  it('the output probe behind these runs leaks no tensor (wasm)', async () => {
    const run = await expectNoTensorLeak(() => trainWide(task, { width: 512, lr: 0.1, steps: 3, seed: INIT_SEED, terms: terms(1) }), 'trainWide with the output probe');
    expect(run.u).toHaveLength(4);
  });

  it('starts from u(0) = 0 exactly (symmetric init) and ran every (width, lambda)', () => {
    expect(outcomes).toHaveLength(WIDTHS.length * LAMBDAS.length);
    for (const o of outcomes) expect(o.u0MaxAbs).toBe(0);
  });

  it('P2/P8: max_k |u_meas(k) - u_pred(k)| / max|ybar| is below 0.05 at m = 2^16 and falls monotonically with m, per lambda', () => {
    for (const lambda of LAMBDAS) {
      const gaps = WIDTHS.map((w) => at(w, lambda).gapCommon);
      console.log(`[gap] lambda = ${lambda}: ${gaps.map((g, i) => `m = 2^${Math.log2(WIDTHS[i])}: ${g.toExponential(3)}`).join(', ')} (steps 0..${commonHorizon}); `
        + `full horizons ${WIDTHS.map((w) => at(w, lambda).gap.toExponential(3)).join(', ')}; vs Hinf ${WIDTHS.map((w) => at(w, lambda).gapHinfCommon.toExponential(3)).join(', ')}`);
      expect(gaps[gaps.length - 1]).toBeLessThan(0.05);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i], `lambda = ${lambda}, m = ${WIDTHS[i]} vs ${WIDTHS[i - 1]}`).toBeLessThan(gaps[i - 1]);
      // Widths compare over the steps every run has (m = 2^16 stops earlier). The gap peaks early
      // (k ~ 7), so that window holds each run's maximum over its whole horizon too.
      for (const w of WIDTHS) expect(at(w, lambda).gap).toBe(at(w, lambda).gapCommon);
    }
  });

  it('P4: label error at convergence equals alpha ||z - y|| within 1e-3 relative (at lambda = 0: ||u - y|| <= 1e-3 ||y||)', () => {
    for (const o of outcomes) {
      const measured = labelErrorDeviation(o.labelErrorMeasured, o.labelErrorLimit, o.yNorm);
      const predictedAtK = labelErrorDeviation(o.labelErrorPredictedAtK, o.labelErrorLimit, o.yNorm);
      console.log(`[P4] m = 2^${Math.log2(o.width)}, lambda = ${o.lambda}, k = ${o.steps}${o.converged ? '' : ' (not run to convergence)'}: `
        + `||u(k) - y|| = ${o.labelErrorMeasured.toPrecision(7)}, alpha||z - y|| = ${o.labelErrorLimit.toPrecision(7)}, deviation ${measured.toExponential(2)} (predicted at k ${predictedAtK.toExponential(2)})`);
      // m = 2^16 stops near k_eps (printed only): its u(k) is held to the prediction by the gap test.
      if (o.converged) expect(measured).toBeLessThan(1e-3);
    }
  });

  it('P5: ||W(k) - W(0)||_F is within 5% of the capacity sqrt((ybar - u0)^T H^-1 (ybar - u0))', () => {
    for (const o of outcomes) {
      const rel = o.weightDistanceF64 / o.capacityPredicted - 1;
      console.log(`[P5] m = 2^${Math.log2(o.width)}, lambda = ${o.lambda}, k = ${o.steps}: ||W - W0||_F ${o.weightDistanceF64.toPrecision(6)}, capacity ${o.capacityPredicted.toPrecision(6)} (${(100 * rel).toFixed(2)}%), `
        + `linearized distance at k ${o.weightDistancePredictedAtK.toPrecision(6)} (${(100 * (o.weightDistanceF64 / o.weightDistancePredictedAtK - 1)).toFixed(2)}%)`);
      expect(Math.abs(rel)).toBeLessThan(0.05);
      // The trainer's running distance is the same number up to its float32 sum over m d entries
      // (1.2e-4 relative at m = 2^16).
      expect(Math.abs(o.weightDistanceTrainer / o.weightDistanceF64 - 1)).toBeLessThan(1e-3);
    }
  });

  it('P6: measured iterations to eps = 1e-2 (first k with ||u(k) - ybar|| <= eps ||ybar - u0||) within 10% of predicted', () => {
    for (const o of outcomes) {
      console.log(`[P6] m = 2^${Math.log2(o.width)}, lambda = ${o.lambda}: measured ${o.kMeasured}, predicted ${o.kPredicted}`
        + (o.kMeasured !== null && o.kPredicted ? ` (${(100 * (o.kMeasured / o.kPredicted - 1)).toFixed(1)}%)` : ''));
      expect(o.kMeasured).not.toBeNull();
      expect(o.kPredicted).not.toBeNull();
      expect(Math.abs((o.kMeasured as number) - (o.kPredicted as number))).toBeLessThanOrEqual(0.1 * (o.kPredicted as number));
    }
  });
});
