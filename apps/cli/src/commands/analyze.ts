import { PiktError, ShapeMismatchError } from '@pikt/core';
import { readCsv } from '@pikt/datasets';
import { createPiPredictor, hinf } from '@pikt/ntk';
import type { NtkWarning } from '@pikt/ntk';
import { UsageError } from '../args.js';
import type { CommandDefinition } from '../cli.js';
import { formatNumber } from '../report/format.js';
import { analysisEstimate, checkEstimate } from './estimates.js';
import { assertFiniteResult, checkMagnitude, duplicateRows, gramConditionWarning } from './numeric-checks.js';

interface Matrix { n: number; d: number; x: Float64Array; file: string }

async function readMatrix(file: string, cwd: string): Promise<Matrix> {
  const { resolve } = await import('node:path');
  const path = resolve(cwd, file);
  const { existsSync } = await import('node:fs');
  if (!existsSync(path)) throw new PiktError('PIKT_NO_FILE', `CSV file ${path} does not exist.`, 'Check the path (relative paths are relative to the current folder).');
  const t = await readCsv(path, { header: 'auto' });
  return { n: t.n, d: t.d, x: t.x, file: path };
}

function sameRows(a: Matrix, b: Matrix, what: string): void {
  if (a.n !== b.n) throw new ShapeMismatchError(`${what}: ${b.file} must have one row per sample of ${a.file}`, [a.n], [b.n]);
}

/** The JSON `pikt analyze --json` prints (see the README for each field). */
export interface AnalyzeOutput {
  n: number;
  d: number;
  outputs: number;
  lambda: number;
  eta: number;
  eps: number;
  eigenvalues: number[];
  stabilityBound: number;
  ybar: number[];
  labelError: number;
  capacity: number;
  complexity: number;
  iterationsToEps: { withTeacher: number | null; withoutTeacher: number | null };
  alignment: { y: number[]; z: number[]; ybar: number[] };
  jitter: number;
  test?: { n: number; loss: number; mse: number; accuracy: number };
  warnings: string[];
}

/**
 * The kernel-regime analysis of given data (SCIENCE.md section 3) on the first-layer infinite-width
 * Gram Hinf, with u(0) = 0 (symmetric initialization).
 */
export async function analyze(files: { x: string; y: string; z?: string; xTest?: string; yTest?: string }, opts: { lambda: number; eta?: number; eps: number; onNotice?: (line: string) => void }, cwd: string): Promise<AnalyzeOutput> {
  const X = await readMatrix(files.x, cwd);
  const Y = await readMatrix(files.y, cwd);
  sameRows(X, Y, '--y');
  const Z = files.z ? await readMatrix(files.z, cwd) : Y;
  sameRows(X, Z, '--z');
  for (const m of [X, Y, Z]) checkMagnitude(m.file, m.x, m.d);
  const long = checkEstimate({ what: `The analysis of n = ${X.n} samples`, ...analysisEstimate(X.n, X.d), tensorBytes: 0, flags: 'the number of rows of --x' });
  if (Z.d !== Y.d) throw new ShapeMismatchError(`--z: ${Z.file} must have as many columns (outputs) as ${Y.file}`, [Y.d], [Z.d]);
  if ((files.xTest === undefined) !== (files.yTest === undefined)) {
    throw new UsageError('Test data needs both --x-test and --y-test.', 'Pass both, or neither.');
  }
  const warnings: string[] = long ? [long] : [];
  if (long) opts.onNotice?.(long);
  const onWarning = (w: NtkWarning) => { warnings.push(`[${w.code}] ${w.message}`); };
  const H = hinf(X.x, null, { inputDim: X.d, onWarning });
  let test: { gram: Float64Array; y: Float64Array } | undefined;
  let nTest = 0;
  if (files.xTest && files.yTest) {
    const XT = await readMatrix(files.xTest, cwd);
    const YT = await readMatrix(files.yTest, cwd);
    sameRows(XT, YT, '--y-test');
    for (const m of [XT, YT]) checkMagnitude(m.file, m.x, m.d);
    if (XT.d !== X.d) throw new ShapeMismatchError(`--x-test: ${XT.file} must have as many columns as ${X.file}`, [X.d], [XT.d]);
    if (YT.d !== Y.d) throw new ShapeMismatchError(`--y-test: ${YT.file} must have as many columns as ${Y.file}`, [Y.d], [YT.d]);
    test = { gram: hinf(XT.x, X.x, { inputDim: X.d, onWarning }).data, y: YT.x };
    nTest = XT.n;
  }
  // The default step is 1 / ((1 + lambda) mu_max): half the stability bound. It needs mu_max first,
  // so the predictor is built once with a placeholder step and reused through its eigenbasis.
  const probe = createPiPredictor({ gram: H.data, y: Y.x, z: Z.x, lambda: opts.lambda, eta: 1, outputs: Y.d, onWarning: () => undefined });
  const mu1 = probe.basis.values[0];
  if (!(mu1 > 0)) {
    throw new PiktError('PIKT_DEGENERATE_GRAM', `The Gram matrix Hinf of ${X.file} is zero (largest eigenvalue ${mu1}): every row of X is zero, so there is nothing to learn from.`,
      'Check --x: rows should be unit-norm feature vectors.');
  }
  const eta = opts.eta ?? 1 / ((1 + opts.lambda) * mu1);
  if (opts.eta === undefined && !(eta > 0 && Number.isFinite(eta))) {
    throw new PiktError('PIKT_DEFAULT_ETA', `The default step eta = 1 / ((1 + lambda) mu_max) = 1 / ((1 + ${opts.lambda}) * ${mu1}) is ${eta}, not a usable step (--eta was not given).`,
      'Pass a smaller --lambda, or give --eta yourself.');
  }
  const p = createPiPredictor({ basis: probe.basis, y: Y.x, z: Z.x, lambda: opts.lambda, eta, outputs: Y.d, ...(test ? { test } : {}), onWarning });
  const it = p.iterationsToEps(opts.eps);
  const al = p.alignment();
  const cap = p.capacity();
  const out: AnalyzeOutput = {
    n: X.n, d: X.d, outputs: Y.d, lambda: opts.lambda, eta, eps: opts.eps,
    eigenvalues: Array.from(p.basis.values),
    stabilityBound: p.stability.etaMax,
    ybar: Array.from({ length: X.n * Y.d }, (_, i) => p.problem.ybar[i % Y.d][Math.floor(i / Y.d)]),
    labelError: p.labelError().predicted,
    capacity: cap.value,
    complexity: p.complexityTerm().value,
    iterationsToEps: { withTeacher: it.withTeacher, withoutTeacher: it.withoutTeacher },
    alignment: { y: Array.from(al.y), z: Array.from(al.z), ybar: Array.from(al.ybar) },
    jitter: cap.jitter,
    warnings,
  };
  const conditioning = gramConditionWarning(p.basis.values, cap.jitter, duplicateRows(X.x, X.n, X.d));
  if (conditioning) warnings.push(conditioning);
  if (test) {
    const m = p.testMetrics(Infinity);
    out.test = { n: nTest, loss: m.loss, mse: m.mse, accuracy: m.accuracy };
  }
  assertFiniteResult('analyze', out, 'The inputs are finite, so an intermediate overflowed or the Gram is singular: rescale the data and remove duplicate rows.');
  return out;
}

function summary(o: AnalyzeOutput): string {
  const f = formatNumber;
  const lines = [
    `n = ${o.n} samples, d = ${o.d} features, ${o.outputs} output(s); lambda = ${f(o.lambda)}, eta = ${f(o.eta)}, eps = ${f(o.eps)}`,
    `eigenvalues of Hinf: mu_max = ${f(o.eigenvalues[0])}, mu_min = ${f(o.eigenvalues[o.eigenvalues.length - 1])}`,
    `stability bound (P3): eta < ${f(o.stabilityBound)}${o.eta < o.stabilityBound ? '' : '  <-- eta is above it: GD diverges'}`,
    `label error at convergence (P4): alpha ||z - y|| = ${f(o.labelError)}`,
    `capacity (P5): sqrt(ybar^T H^-1 ybar) = ${f(o.capacity)}${o.jitter > 0 ? ` (jitter ${f(o.jitter)})` : ''}`,
    `complexity term (P7): sqrt(2 ybar^T H^-1 ybar / n) = ${f(o.complexity)}`,
    `iterations to eps (P6): with teacher ${o.iterationsToEps.withTeacher ?? 'not reached'}, without ${o.iterationsToEps.withoutTeacher ?? 'not reached'}`,
  ];
  if (o.test) lines.push(`test (${o.test.n} samples, at convergence): loss 1/2 ||f - y||^2 = ${f(o.test.loss)}, accuracy ${f(o.test.accuracy)}`);
  lines.push(...o.warnings.map((w) => `warning: ${w}`));
  return `${lines.join('\n')}\n`;
}

export const analyzeCommand: CommandDefinition = {
  name: 'analyze',
  summary: 'kernel-regime analysis of your data (CSV): spectrum, stability bound, label error, capacity, iterations to eps',
  flags: {
    x: { type: 'string', value: 'X.csv', description: 'training inputs, one row per sample (rows should have unit norm; a header row is detected)' },
    y: { type: 'string', value: 'Y.csv', description: 'training targets, one row per sample (e.g. -1/+1)' },
    z: { type: 'string', value: 'Z.csv', description: 'the teacher\'s outputs on the training inputs (default: z = y)' },
    lambda: { type: 'number', value: 'L', description: 'weight of the teacher term', range: 'nonNegative', default: 1 },
    eta: { type: 'number', value: 'E', description: 'GD step (default 1 / ((1 + lambda) mu_max))', range: 'positive' },
    eps: { type: 'number', value: 'EPS', description: 'target of iterations to eps', range: 'positive', default: 0.01 },
    'x-test': { type: 'string', value: 'XT.csv', description: 'test inputs (with --y-test: predicted test loss)' },
    'y-test': { type: 'string', value: 'YT.csv', description: 'test targets' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  examples: [
    'pikt analyze --x X.csv --y Y.csv',
    'pikt analyze --x X.csv --y Y.csv --z teacher.csv --lambda 4 --eps 1e-3 --json',
    'pikt analyze --x X.csv --y Y.csv --z Z.csv --x-test XT.csv --y-test YT.csv',
  ],
  async run({ io, flags }) {
    if (!flags.x || !flags.y) throw new UsageError(`Missing ${!flags.x ? '--x' : '--y'} (the analysis needs inputs and targets).`, 'Run "pikt analyze --help" for the flags it takes.');
    const out = await analyze(
      { x: flags.x as string, y: flags.y as string, z: flags.z as string | undefined, xTest: flags['x-test'] as string | undefined, yTest: flags['y-test'] as string | undefined },
      { lambda: flags.lambda as number, eta: flags.eta as number | undefined, eps: flags.eps as number, onNotice: (line) => { io.stderr.write(`pikt analyze: warning: ${line}\n`); } },
      io.cwd,
    );
    io.stdout.write(flags.json ? `${JSON.stringify(out, null, 2)}\n` : summary(out));
    return 0;
  },
};
