import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pikt/core';
import { jacobiEigen } from '@pikt/testkit';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';
import type { AnalyzeOutput } from './analyze.js';

/** Hinf_ij = (x_i . x_j) (pi - theta_ij) / (2 pi), straight from SCIENCE.md section 3. */
function hinfReference(x: number[][]): Float64Array {
  const n = x.length;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dot = x[i].reduce((s, v, k) => s + v * x[j][k], 0);
      const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(x[i].reduce((s, v) => s + v * v, 0) * x[j].reduce((s, v) => s + v * v, 0))));
      h[i * n + j] = (dot * (Math.PI - Math.acos(cos))) / (2 * Math.PI);
    }
  }
  return h;
}

function unitRows(rng: ReturnType<typeof createRng>, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => {
    const r = Array.from({ length: d }, () => rng.normal());
    const norm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    return r.map((v) => v / norm);
  });
}

const csv = (rows: number[][], header?: string[]) => `${header ? `${header.join(',')}\n` : ''}${rows.map((r) => r.map((v) => v.toPrecision(17)).join(',')).join('\n')}\n`;

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, COMMANDS, { cwd, isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  return { code, out, err };
}

describe('pikt analyze', () => {
  const rng = createRng('analyze-test');
  const n = 40;
  const d = 10;
  const x = unitRows(rng, n, d);
  const y = x.map((r) => [r[0] + 0.3 * r[1] >= 0 ? 1 : -1]);
  const z = x.map((r) => [Math.tanh(2 * (r[0] + 0.3 * r[1])) + 0.1 * r[2]]);
  const xt = unitRows(rng, 15, d);
  const yt = xt.map((r) => [r[0] + 0.3 * r[1] >= 0 ? 1 : -1]);
  const dir = mkdtempSync(join(tmpdir(), 'pikt-analyze-'));
  writeFileSync(join(dir, 'X.csv'), csv(x, Array.from({ length: d }, (_, j) => `f${j}`)));
  writeFileSync(join(dir, 'Y.csv'), csv(y));
  writeFileSync(join(dir, 'Z.csv'), csv(z, ['teacher']));
  writeFileSync(join(dir, 'XT.csv'), csv(xt));
  writeFileSync(join(dir, 'YT.csv'), csv(yt));

  it('matches an independent float64 computation on random unit-norm data', async () => {
    const lambda = 2;
    const eps = 0.01;
    const r = await cli(['analyze', '--x', 'X.csv', '--y', 'Y.csv', '--z', 'Z.csv', '--lambda', String(lambda), '--eps', String(eps), '--x-test', 'XT.csv', '--y-test', 'YT.csv', '--json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as AnalyzeOutput;
    expect([o.n, o.d, o.outputs]).toEqual([n, d, 1]);

    const H = hinfReference(x);
    const ref = jacobiEigen(H, n); // independent float64 reference (cyclic Jacobi)
    const mu = Array.from(ref.values);
    const V = Array.from({ length: n }, (_, j) => Array.from(ref.vectors.subarray(j * n, (j + 1) * n)));
    expect(o.eigenvalues).toHaveLength(n);
    o.eigenvalues.forEach((v, i) => expect(Math.abs(v - mu[i]) / Math.abs(mu[i])).toBeLessThan(1e-8));

    const alpha = lambda / (1 + lambda);
    const ybar = y.map((yi, i) => (yi[0] + lambda * z[i][0]) / (1 + lambda));
    o.ybar.forEach((v, i) => expect(v).toBeCloseTo(ybar[i], 12));
    const eta = 1 / ((1 + lambda) * mu[0]);
    expect(o.eta).toBeCloseTo(eta, 12);
    expect(o.stabilityBound / (2 / ((1 + lambda) * mu[0])) - 1).toBeLessThan(1e-10);
    const zy = Math.sqrt(z.reduce((s, zi, i) => s + (zi[0] - y[i][0]) ** 2, 0));
    expect(o.labelError).toBeCloseTo(alpha * zy, 10);

    const proj = (t: number[]) => V.map((v) => v.reduce((s, vi, i) => s + vi * t[i], 0));
    const cb = proj(ybar);
    const capacity = Math.sqrt(cb.reduce((s, c, j) => s + (c * c) / mu[j], 0));
    expect(Math.abs(o.capacity - capacity) / capacity).toBeLessThan(1e-8);
    expect(Math.abs(o.complexity - Math.sqrt((2 * capacity * capacity) / n)) / o.complexity).toBeLessThan(1e-8);
    const energy = (t: number[]) => proj(t).map((c) => c * c);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(b[i]))));
    close(o.alignment.ybar, energy(ybar));
    close(o.alignment.y, energy(y.map((v) => v[0])));
    close(o.alignment.z, energy(z.map((v) => v[0])));

    // P6: least k with sum_i (1 - s mu_i)^(2k) (v_i^T t)^2 <= eps^2 ||t||^2, s = eta (1 + lambda).
    const s = eta * (1 + lambda);
    const kEps = (t: number[]) => {
      const e = energy(t);
      const target = eps * eps * e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < 1e7; k++) if (e.reduce((a, ei, i) => a + (1 - s * mu[i]) ** (2 * k) * ei, 0) <= target) return k;
      return null;
    };
    expect(o.iterationsToEps.withTeacher).toBe(kEps(ybar));
    expect(o.iterationsToEps.withoutTeacher).toBe(kEps(y.map((v) => v[0])));
    expect(o.iterationsToEps.withTeacher).not.toBe(o.iterationsToEps.withoutTeacher);

    // P7 at convergence: f(X*) = H(X*, X) H^-1 ybar.
    const Ht = xt.map((a) => x.map((b) => {
      const dot = a.reduce((s2, v, k) => s2 + v * b[k], 0);
      return (dot * (Math.PI - Math.acos(Math.max(-1, Math.min(1, dot))))) / (2 * Math.PI);
    }));
    const coef = V.reduce((acc, v, j) => acc.map((a, i) => a + (v[i] * cb[j]) / mu[j]), new Array(n).fill(0) as number[]);
    const f = Ht.map((row) => row.reduce((s2, h, i) => s2 + h * coef[i], 0));
    const loss = 0.5 * f.reduce((s2, fi, i) => s2 + (fi - yt[i][0]) ** 2, 0);
    expect(Math.abs(o.test!.loss - loss) / loss).toBeLessThan(1e-7);
    expect(o.warnings).toEqual([]);
  });

  it('defaults z = y (no teacher: label error 0) and prints a readable summary', async () => {
    const r = await cli(['analyze', '--x', 'X.csv', '--y', 'Y.csv', '--json'], dir);
    const o = JSON.parse(r.out) as AnalyzeOutput;
    expect(o.labelError).toBe(0);
    expect(o.iterationsToEps.withTeacher).toBe(o.iterationsToEps.withoutTeacher);
    const text = await cli(['analyze', '--x', 'X.csv', '--y', 'Y.csv'], dir);
    expect(text.out).toMatch(/^n = 40 samples, d = 10 features, 1 output\(s\); lambda = 1/);
    expect(text.out).toContain('stability bound (P3): eta < ');
  });

  it('fails with one line naming the file and line for malformed CSV, and the flag for missing input', async () => {
    writeFileSync(join(dir, 'ragged.csv'), '1,2\n3\n');
    writeFileSync(join(dir, 'text.csv'), '1,2\n3,abc\n');
    writeFileSync(join(dir, 'short.csv'), '1\n2\n');
    const ragged = await cli(['analyze', '--x', 'ragged.csv', '--y', 'Y.csv'], dir);
    expect(ragged.code).toBe(1);
    expect(ragged.err).toMatch(/^pikt analyze: .*ragged\.csv.*line 2.*wrong number of cells/);
    expect(ragged.err.trim().split('\n')).toHaveLength(1);
    const text = await cli(['analyze', '--x', 'text.csv', '--y', 'Y.csv'], dir);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/text\.csv.*line 2.*abc/);
    const rows = await cli(['analyze', '--x', 'X.csv', '--y', 'short.csv'], dir);
    expect(rows.code).toBe(1);
    expect(rows.err).toMatch(/short\.csv must have one row per sample/);
    const missing = await cli(['analyze', '--x', 'nope.csv', '--y', 'Y.csv'], dir);
    expect(missing.err).toMatch(/CSV file .*nope\.csv does not exist/);
    const noY = await cli(['analyze', '--x', 'X.csv'], dir);
    expect(noY.code).toBe(2);
    expect(noY.err).toMatch(/Missing --y/);
  });
});
