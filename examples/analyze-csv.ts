// The kernel-regime analysis of your own CSV (SCIENCE.md section 3): run it as
//   node analyze-csv.js my-data.csv        (numeric features, the class in the last column)
// or without an argument on a generated two-class CSV. Rows are scaled to unit norm (the analysis
// assumes ||x|| = 1), the infinite-width Gram Hinf of the two-layer ReLU student is built, and its
// spectrum, the GD step bound, the predicted training curve and the step count to a loss of eps
// are printed, with checks of the numbers against closed forms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRng } from '@pikt/core';
import { readCsv, unitNorm } from '@pikt/datasets';
import { createPiPredictor, hinf, stabilityBound } from '@pikt/ntk';
import { check } from './check.js';

function demoCsv(): string {
  const rng = createRng('analyze-csv-demo');
  const lines = ['f0,f1,f2,f3,f4,class'];
  for (let i = 0; i < 60; i++) {
    const c = i % 2;
    const row = Array.from({ length: 5 }, (_, j) => (j === 0 ? (c ? 1 : -1) : 0) + 0.7 * rng.normal());
    lines.push([...row.map((v) => v.toFixed(6)), c ? 'yes' : 'no'].join(','));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'pikt-example-')), 'demo.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const file = process.argv[2] ?? demoCsv();
const demo = process.argv[2] === undefined;
const table = await readCsv(file, { labelColumn: -1 });
if (!table.classIds || table.numClasses !== 2) throw new Error(`${file}: expected two classes in the last column, found ${table.numClasses}.`);
const { n, d } = table;
const rows = unitNorm();
rows.fit({ x: table.x, n, d });
const x = rows.apply({ x: table.x, n, d }).x;
const y = Float64Array.from(table.classIds, (c) => (c === 1 ? 1 : -1)); // class ids 0/1 -> targets -1/+1
const H = hinf(x, null, { inputDim: d }).data;

const { muMax, etaMax } = stabilityBound(H);
const eta = 1 / muMax; // half the bound
const p = createPiPredictor({ gram: H, y, z: y, lambda: 0, eta });
const mu = p.basis.values;
const steps = [0, 10, 100, 1000];
const curves = p.lossCurves(steps);
const eps = 1e-3;
console.log(`${file}: n = ${n}, d = ${d}, classes ${table.classNames?.join(' / ')}`);
console.log(`Hinf spectrum: mu_max ${muMax.toFixed(5)}, mu_min ${mu[n - 1].toExponential(3)}, condition ${(muMax / mu[n - 1]).toExponential(3)}`);
console.log(`GD: eta < ${etaMax.toFixed(5)} (using ${eta.toFixed(5)}); training loss 1/2||u(k) - y||^2 at k = ${steps.join(', ')}: ${Array.from(curves.label, (v) => v.toExponential(3)).join(', ')}`);
console.log(`steps to loss <= ${eps}: ${p.iterationsToEps(eps).withoutTeacher}; capacity (P5) ${p.capacity().value.toFixed(4)}`);

// Checks: trace(Hinf) = sum_i ||x_i||^2 / 2 = n / 2 for unit rows, and the closed-form trajectory
// equals the GD recursion u(k+1) = u(k) - eta Hinf (u(k) - y) iterated directly in float64.
const trace = mu.reduce((s, v) => s + v, 0);
check('|sum of eigenvalues - n/2| / (n/2)', Math.abs(trace - n / 2) / (n / 2), 1e-10);
let u = new Float64Array(n);
for (let k = 0; k < 100; k++) {
  const next = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let g = 0;
    for (let j = 0; j < n; j++) g += H[i * n + j] * (u[j] - y[j]);
    next[i] = u[i] - eta * g;
  }
  u = next;
}
const closed = p.trajectory(100);
check('max |u_closed(100) - u_iterated(100)|', Math.max(...u.map((v, i) => Math.abs(v - closed[i]))), 1e-9);
check('loss after 1000 steps below loss at 0 (ratio)', curves.label[3] / curves.label[0], 0.5);
if (demo) rmSync(dirname(file), { recursive: true, force: true });
