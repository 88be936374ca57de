import { InvalidOptionError } from '@pikt/core';
import { consoleWarning, type WarningSink } from '../warnings.js';
import { stabilityOf } from './pi-predictor.js';
import { interleave, preparePiProblem, type PiProblem, type PiProblemInput } from './pi-problem.js';
import { spectralBounds, type Bounds } from './quadrature-bounds.js';
import { leastIterations, powRho, type SpectralMeasure } from './spectral-math.js';
import type { Capacity, IterationsToEps, LossCurves, Stability } from './types.js';
import { cgFromLanczos, type CgResult, conjugateGradient, gaussRule, lanczos, ritzVectors, type SymmetricOperator } from '@pikt/linalg';

export interface LanczosPredictorInput extends PiProblemInput {
  /** The train Gram as a matrix-free operator (`createBlockGram`, `twoLayerBlockGram`, `denseOperator`). */
  operator: SymmetricOperator;
  /** Most Lanczos steps (default 300). */
  maxSteps?: number;
  /** Stop when the quadrature bounds of the watched quantities agree to this relative width (default 1e-9). */
  tol?: number;
  /** GD steps whose predicted losses must have converged before stopping (default [1000]). */
  watchSteps?: number[];
  /** eps values whose P6 iteration counts must be bracketed within one iteration (default [1e-2]). */
  watchEps?: number[];
  /**
   * Relative width accepted for those brackets (default 0: one iteration). Counts in the 10^5 range
   * resolve the smallest eigenvalues and take many more Lanczos steps to pin down to one iteration.
   */
  iterationTolerance?: number;
  onWarning?: WarningSink;
}

export interface LanczosLossCurves extends LossCurves {
  /** Gauss (lower) and Gauss-Radau (upper) bounds of the total loss (guaranteed when s mu_1 <= 1). */
  totalLower: Float64Array;
  totalUpper: Float64Array;
  /** max over steps of (upper - lower) / |total|. */
  errorEstimate: number;
}

export interface LanczosIterations extends IterationsToEps {
  /** [from the Gauss measure, from the Gauss-Radau measure]: the exact count lies in between when s mu_1 <= 1. */
  withTeacherBracket: [number | null, number | null];
  withoutTeacherBracket: [number | null, number | null];
}

export interface KrylovCapacity extends Capacity {
  iterations: number;
  relativeResidual: number;
  converged: boolean;
  /** Absolute error estimate of the squared quantity (see CgResult.errorEstimate). */
  errorEstimate: number;
}

/**
 * The large-n kernel-regime predictor (SCIENCE.md sections 2-3): the same quantities as
 * `createPiPredictor`, computed from the spectral measures of the target vectors by Lanczos with
 * Gauss quadrature (O(k n^2) for k Lanczos steps, k << n, never an O(n^3) eigendecomposition) and
 * the capacity by conjugate gradients, all matrix-free over `operator`.
 *
 * Per output column it runs Lanczos from e0 = u0 - ybar (losses, P6 with the teacher), y - u0 (P6
 * without), and e0 +- d (d = z - y: the cross term d^T (I - sH)^k e0 by polarization), batched.
 */
export interface LanczosPredictor {
  readonly problem: PiProblem;
  readonly stability: Stability;
  /** Lanczos steps taken, and whether every run converged (bounds within tol) before maxSteps. */
  readonly lanczosSteps: number;
  readonly converged: boolean;
  /** Steps of each run, in start-vector order (e0, plain target, e0 + d, e0 - d per column): each stops once its own bounds converged, e0 once all have. */
  readonly runSteps: readonly number[];
  lossCurves(steps: readonly number[]): LanczosLossCurves;
  iterationsToEps(eps: number): LanczosIterations;
  /** u(k) from the Krylov approximation of (I - sH)^k e0. */
  trajectory(k: number): Float64Array;
  /**
   * P5, sqrt((ybar - u0)^T H^-1 (ybar - u0)), by conjugate gradients. Default method 'lanczos': the CG
   * iterate that the Lanczos run from ybar - u0 already holds (CG and Lanczos build the same Krylov
   * space: b^T x_k = ||b||^2 e_1^T T_k^-1 e_1), at no extra product with H; 'cg' runs explicit CG
   * (default tol 1e-8, at most 1000 iterations).
   */
  capacity(opts?: KrylovOptions): KrylovCapacity;
  /** P7 complexity term sqrt(2 ybar^T H^-1 ybar / n), same methods (u0 = 0 reuses the run from ybar - u0). */
  complexityTerm(opts?: KrylovOptions): KrylovCapacity;
  /** The spectral measures (Gauss nodes and weights, summed over outputs) of the two P6 targets. */
  alignment(): { teacherTarget: SpectralMeasure[]; plainTarget: SpectralMeasure[] };
}

export interface KrylovOptions {
  method?: 'lanczos' | 'cg';
  tol?: number;
  maxIterations?: number;
  jitter?: number;
}

export function createLanczosPredictor(input: LanczosPredictorInput): LanczosPredictor {
  const op = input.operator;
  if (!op || typeof op.apply !== 'function') throw new InvalidOptionError('operator', op, 'a SymmetricOperator (e.g. createBlockGram, denseOperator)');
  if (input.test) throw new InvalidOptionError('test', 'given', 'no test block for the Lanczos predictor (use createPiPredictor for test predictions at moderate n)');
  const problem = preparePiProblem(input, op.n);
  const { K, s, alpha, lambda } = problem;
  const tol = input.tol ?? 1e-9;
  const watchSteps = input.watchSteps ?? [1000];
  const watchEps = input.watchEps ?? [1e-2];
  const iterTol = input.iterationTolerance ?? 0;
  const useCross = lambda > 0;
  // Start vectors, per column: e0, plain target, and e0 +- d when the PI term is on. The iteration
  // counts are watched on e0 and the plain target; the cross runs enter only the loss curves.
  const starts: Float64Array[] = [];
  const roles: ('e0' | 'plain' | 'cross')[] = [];
  const idx = problem.e0.map((e0, q) => {
    const base = starts.length;
    starts.push(e0, problem.y[q].map((v, i) => v - problem.u0[q][i]));
    roles.push('e0', 'plain');
    if (useCross) {
      starts.push(e0.map((v, i) => v + problem.d[q][i]), e0.map((v, i) => v - problem.d[q][i]));
      roles.push('cross', 'cross');
    }
    return base;
  });
  // Cross runs found converged (they stop then; no need to check them again).
  const crossDone = roles.map(() => false);
  const runs = lanczos(op, starts, {
    maxSteps: input.maxSteps ?? 300,
    // A run stops once its own watched quantities have converged (the cross runs, losses only,
    // first), so later products stream the Gram for fewer vectors; e0 goes on until every run has
    // converged, as before (the trajectory, capacity and complexity read its basis). The cross
    // runs are checked at every step (losses only, from a tridiagonal of at most a few dozen
    // steps: cheap), so they stop at their own step rather than the next multiple of 10 (each
    // such step is a pass with 4 vectors instead of 2, about 0.45 s more at n = 50,000); the
    // others, whose iteration brackets cost more to check, every 10 steps as before.
    checkEvery: 1,
    onProgress(rs, step) {
      const full = step % 10 === 0;
      const conv = rs.map((r, i) => {
        if (roles[i] !== 'cross') return full && runConverged(spectralBounds(r), i);
        if (!crossDone[i]) crossDone[i] = runConverged(spectralBounds(r), i);
        return crossDone[i];
      });
      return conv.every(Boolean) || conv.map((c, i) => c && roles[i] !== 'e0');
    },
  });
  const bounds = runs.map((r) => spectralBounds(r));
  const done = bounds.every((b, i) => runConverged(b, i));
  function runConverged(bb: Bounds, run: number): boolean {
    for (const k of watchSteps) {
      const g = bb.gaussQuad((x) => powRho(s, x, 2 * k));
      const r = bb.radauQuad((x) => powRho(s, x, 2 * k));
      if (r === null || Math.abs(r - g) > tol * Math.max(Math.abs(g), 1e-300 + bb.norm2 * 1e-16)) return false;
    }
    if (roles[run] === 'cross') return true;
    for (const eps of watchEps) {
      const lo = leastIterations([bb.gauss], s, eps * eps * bb.norm2);
      const hi = bb.radau ? leastIterations([bb.radau], s, eps * eps * bb.norm2) : null;
      if (hi === null || lo === null || hi - lo > Math.max(1, iterTol * lo)) return false;
    }
    return true;
  }
  const mu1 = Math.max(...runs.map((r) => (r.steps ? gaussRule(r).nodes[0] : 0)));
  const stability = stabilityOf(mu1, problem);
  const sink = input.onWarning ?? consoleWarning;
  if (!stability.stable) {
    sink({ code: 'PIKT_NTK_UNSTABLE_STEP', message: `eta = ${problem.eta} is at or above the stability bound ${stability.etaMax.toPrecision(6)} (largest Ritz value ${mu1.toPrecision(6)}): GD diverges (P3).`, details: { eta: problem.eta, etaMax: stability.etaMax, mu1 } });
  }
  if (!done) {
    sink({ code: 'PIKT_NTK_QUADRATURE_NOT_CONVERGED', message: `Lanczos stopped at ${runs[0]?.steps ?? 0} steps before the quadrature bounds met tol = ${tol}; the results carry their bounds.`, details: { steps: runs[0]?.steps ?? 0, tol } });
  }
  const dNorm2 = problem.d.map((v) => v.reduce((a, x) => a + x * x, 0));
  const quadOf = (run: number, fn: (x: number) => number, which: 'gauss' | 'low' | 'high'): number => {
    const bb = bounds[run];
    const g = bb.gaussQuad(fn);
    if (which === 'gauss') return g;
    const r = bb.radauQuad(fn) ?? g;
    return which === 'low' ? Math.min(g, r) : Math.max(g, r);
  };
  const cg = (bs: Float64Array[], o: { tol?: number; maxIterations?: number; jitter?: number } = {}): CgResult[] =>
    conjugateGradient(op, bs, { tol: o.tol ?? 1e-8, maxIterations: o.maxIterations ?? 1000, jitter: o.jitter ?? 0 });
  const capacityFrom = (res: CgResult[], scale: number): KrylovCapacity => {
    const quad = res.reduce((a, r) => a + r.quadratic, 0);
    return {
      value: Math.sqrt(scale * quad),
      jitter: res[0]?.jitter ?? 0,
      relativeJitter: mu1 > 0 ? (res[0]?.jitter ?? 0) / mu1 : 0,
      iterations: Math.max(...res.map((r) => r.iterations)),
      relativeResidual: Math.max(...res.map((r) => r.relativeResidual)),
      converged: res.every((r) => r.converged),
      errorEstimate: scale * res.reduce((a, r) => a + r.errorEstimate, 0),
    };
  };

  return {
    problem,
    stability,
    lanczosSteps: runs.reduce((m, r) => Math.max(m, r.steps), 0),
    converged: done,
    runSteps: runs.map((r) => r.steps),
    lossCurves(steps) {
      const m = steps.length;
      const label = new Float64Array(m), pi = new Float64Array(m), lo = new Float64Array(m), hi = new Float64Array(m);
      let err = 0;
      steps.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0) throw new InvalidOptionError('k (step)', k, 'an integer >= 0');
        const sq = (x: number): number => powRho(s, x, 2 * k);
        const lin = (x: number): number => powRho(s, x, k);
        const parts = (which: 'gauss' | 'low' | 'high', crossWhich: 'gauss' | 'low' | 'high') => {
          let lab = 0, p = 0;
          for (let q = 0; q < K; q++) {
            const quad = quadOf(idx[q], sq, which);
            let cross = 0;
            if (useCross) {
              const other = crossWhich === 'low' ? 'high' : crossWhich === 'high' ? 'low' : 'gauss';
              cross = 0.25 * (quadOf(idx[q] + 2, lin, crossWhich) - quadOf(idx[q] + 3, lin, other));
            }
            lab += 0.5 * (quad + 2 * alpha * cross + alpha * alpha * dNorm2[q]);
            p += 0.5 * lambda * (quad - 2 * (1 - alpha) * cross + (1 - alpha) ** 2 * dNorm2[q]);
          }
          return { lab, p };
        };
        const g = parts('gauss', 'gauss');
        label[i] = g.lab;
        pi[i] = g.p;
        // Interval bounds: the label term rises with the cross term, the PI term falls with it.
        const low = parts('low', 'low'), lowPi = parts('low', 'high');
        const high = parts('high', 'high'), highPi = parts('high', 'low');
        lo[i] = low.lab + lowPi.p;
        hi[i] = high.lab + highPi.p;
        const tot = g.lab + g.p;
        err = Math.max(err, (hi[i] - lo[i]) / Math.max(Math.abs(tot), 1e-300));
      });
      return { steps: [...steps], label, pi, total: label.map((v, i) => v + pi[i]), totalLower: lo, totalUpper: hi, errorEstimate: err };
    },
    iterationsToEps(eps) {
      if (!(eps > 0 && Number.isFinite(eps))) throw new InvalidOptionError('eps', eps, 'a finite number > 0');
      const pick = (which: 0 | 1, rule: 'gauss' | 'radau'): number | null => {
        const ms: SpectralMeasure[] = [];
        let norm2 = 0;
        for (let q = 0; q < K; q++) {
          const bb = bounds[idx[q] + which];
          const mm = rule === 'gauss' ? bb.gauss : bb.radau;
          if (!mm) return null;
          ms.push(mm);
          norm2 += bb.norm2;
        }
        return leastIterations(ms, s, eps * eps * norm2);
      };
      const tG = pick(0, 'gauss'), tR = pick(0, 'radau'), pG = pick(1, 'gauss'), pR = pick(1, 'radau');
      return { eps, effectiveStep: s, withTeacher: tG, withoutTeacher: pG, withTeacherBracket: [tG, tR], withoutTeacherBracket: [pG, pR] };
    },
    trajectory(k) {
      if (!Number.isInteger(k) || k < 0) throw new InvalidOptionError('k (step)', k, 'an integer >= 0');
      // (I - sH)^k e0 ~ Q Z diag(rho_j^k) Z^T (||e0|| e_1), Z the eigenvectors of T_k.
      return interleave(problem.ybar.map((yb, q) => {
        const run = runs[idx[q]];
        const rz = ritzVectors(run);
        const coeff = new Float64Array(run.steps);
        for (let j = 0; j < run.steps; j++) {
          const f = powRho(s, rz.nodes[j], k) * run.norm * rz.first[j];
          for (let i = 0; i < run.steps; i++) coeff[i] += f * rz.rows[j * run.steps + i];
        }
        return run.combine(coeff).map((v, i) => v + yb[i]);
      }));
    },
    capacity(o = {}) {
      if ((o.method ?? 'lanczos') === 'lanczos') return capacityFrom(problem.e0.map((_, q) => cgFromLanczos(runs[idx[q]], o.jitter ?? 0)), 1);
      return capacityFrom(cg(problem.e0.map((e) => e.map((v) => -v)), o), 1);
    },
    complexityTerm(o = {}) {
      const u0Zero = problem.u0.every((c) => c.every((v) => v === 0));
      if ((o.method ?? 'lanczos') === 'lanczos' && u0Zero) return capacityFrom(problem.e0.map((_, q) => cgFromLanczos(runs[idx[q]], o.jitter ?? 0)), 2 / problem.n);
      return capacityFrom(cg(problem.ybar, o), 2 / problem.n);
    },
    alignment() {
      return {
        teacherTarget: problem.e0.map((_, q) => bounds[idx[q]].gauss),
        plainTarget: problem.e0.map((_, q) => bounds[idx[q] + 1].gauss),
      };
    },
  };
}
