import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';
import { getPreset } from '../reproduce/presets.js';

// The cases of issue 14 ("nothing lost, every bad input a clear error"), each against the CLI's
// entry function in process, each asserting the exact message and that no file was touched.

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, COMMANDS, { cwd, isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'pikt-robust-'));
const write = (name: string, v: unknown) => { writeFileSync(join(dir, name), typeof v === 'string' ? v : JSON.stringify(v)); return name; };
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const experiment = { model: { id: 'wide-student', options: { width: 64 } }, terms: [{ id: 'label-fit' }, { id: 'quadratic-pi', name: 'pi' }], optimizer: { kind: 'gd', lr: 0.5 }, steps: 3, seed: 1 };
let fingerprint: Record<string, unknown>;

beforeAll(async () => {
  const r = await cli(['train-teacher', '--preset', 'tiny', '--steps', '3', '--out', 'teacher.json', '--json'], dir);
  expect(r.code, r.err).toBe(0);
  const t = JSON.parse(read('teacher.json')) as { fingerprint?: Record<string, unknown>; task: Record<string, unknown> };
  fingerprint = t.fingerprint ?? t.task; // (files of before the fingerprint: its task field)
}, 120_000);

describe('data loss', () => {
  it('distill --out equal to its --config or its teacher file is refused; both files are intact', async () => {
    const cfg = write('exp.json', { data: fingerprint, teacher: { file: 'teacher.json' }, experiment });
    const before = [read('exp.json'), read('teacher.json')];
    const self = await cli(['distill', '--config', cfg, '--out', cfg], dir);
    expect(self.code).toBe(1);
    expect(self.err).toBe(`pikt distill: The output ${join(dir, 'exp.json')} is also an input of this command (${join(dir, 'exp.json')}). pikt never overwrites its own inputs: choose another --out.\n`);
    const teacher = await cli(['distill', '--config', cfg, '--out', 'teacher.json'], dir);
    expect(teacher.err).toContain(`The output ${join(dir, 'teacher.json')} is also an input of this command`);
    expect([read('exp.json'), read('teacher.json')]).toEqual(before);
  });

  it('distill --out and train-teacher --out never overwrite a file pikt did not write, even with --force', async () => {
    write('notes.json', 'my notes');
    const cfg = write('exp2.json', { data: fingerprint, teacher: { file: 'teacher.json' }, experiment });
    for (const args of [['distill', '--config', cfg, '--out', 'notes.json'], ['distill', '--config', cfg, '--out', 'notes.json', '--force'], ['train-teacher', '--preset', 'tiny', '--out', 'notes.json', '--force']]) {
      const r = await cli(args, dir);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(new RegExp(`notes\\.json exists and pikt did not write it \\(it is not listed in .*\\.pikt-manifest\\.json\\)\\. pikt never overwrites a file it did not write, even with --force`));
    }
    expect(read('notes.json')).toBe('my notes');
    // pikt's own output: replaced only with --force.
    const ok = await cli(['distill', '--config', cfg, '--out', 'res.json'], dir);
    expect(ok.code, ok.err).toBe(0);
    const again = await cli(['distill', '--config', cfg, '--out', 'res.json'], dir);
    expect(again.err).toMatch(/res\.json exists \(pikt distill wrote it on .*\)\. Pass --force to replace it, or choose another --out\./);
    expect((await cli(['distill', '--config', cfg, '--out', 'res.json', '--force'], dir)).code).toBe(0);
  });

  it('train-teacher never replaces a user\'s model.json or weights.bin in its weights folder; --force replaces its own', async () => {
    mkdirSync(join(dir, 'mine.weights'));
    write('mine.weights/model.json', 'my model');
    const r = await cli(['train-teacher', '--preset', 'tiny', '--steps', '3', '--out', 'mine.json', '--force'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mine\.weights\/model\.json exists and pikt did not write it \(it is not listed in .*mine\.weights\/\.pikt-manifest\.json\)\. pikt never overwrites a file it did not write, even with --force/);
    expect([read('mine.weights/model.json'), existsSync(join(dir, 'mine.json'))]).toEqual(['my model', false]);
    // pikt's own weights (beside teacher.json, from beforeAll): refused without --force, replaced with it.
    const before = readFileSync(join(dir, 'teacher.weights', 'weights.bin'));
    const again = await cli(['train-teacher', '--preset', 'tiny', '--steps', '4', '--out', 'teacher.json'], dir);
    expect(again.code).toBe(1);
    expect(readFileSync(join(dir, 'teacher.weights', 'weights.bin')).equals(before)).toBe(true);
    const forced = await cli(['train-teacher', '--preset', 'tiny', '--steps', '4', '--out', 'teacher.json', '--force'], dir);
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(join(dir, 'teacher.weights', 'weights.bin')).equals(before)).toBe(false);
  });

  it('reproduce --out into a folder holding a user\'s report.md, report.html or figures is refused before any work', async () => {
    for (const [name, content] of [['report.md', '# mine'], ['report.html', '<p>mine</p>'], ['figures/e1-train-loss.svg', '<svg/>']]) {
      const out = mkdtempSync(join(tmpdir(), 'pikt-user-report-'));
      mkdirSync(join(out, 'figures'), { recursive: true });
      writeFileSync(join(out, name), content);
      const r = await cli(['reproduce', '--preset', 'tiny', '--out', out, '--force'], dir);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`pikt reproduce: ${join(out, name)} exists and pikt did not write it (it is not listed in ${join(out, '.pikt-manifest.json')}). pikt never overwrites a file it did not write, even with --force: move the file away or choose another output.\n`);
      expect(readFileSync(join(out, name), 'utf8')).toBe(content);
      expect(existsSync(join(out, 'results.json'))).toBe(false);
    }
  });
});

describe('late failures found up front', () => {
  it('a read-only --out fails before the first run; train-teacher --out DIR fails before training', async () => {
    const ro = await cli(['reproduce', '--preset', 'tiny', '--out', '/sys/kernel'], dir);
    expect(ro.code).toBe(1);
    expect(ro.err).toBe('pikt reproduce: Cannot create the lock file /sys/kernel/.pikt-lock: permission denied (EACCES). Choose a folder you can write to, or change its permissions.\n');
    mkdirSync(join(dir, 'adir'), { recursive: true });
    const isDir = await cli(['train-teacher', '--preset', 'tiny', '--out', 'adir'], dir);
    expect(isDir.err).toBe(`pikt train-teacher: Cannot write ${join(dir, 'adir')}: it is a folder, not a file (EISDIR). Pass a file path for --out, e.g. ${join(dir, 'adir', 'out.json')}.\n`);
    // Neither trained nor read data: no progress line was printed.
    expect([ro.err, isDir.err].map((e) => e.trim().split('\n').length)).toEqual([1, 1]);
  });
});

describe('strict flags', () => {
  it('rejects hex numbers, --train-fraction above 1 and bench --repeats 0', async () => {
    write('X.csv', '1,0\n0,1\n');
    write('Y.csv', '1\n-1\n');
    const hex = await cli(['analyze', '--x', 'X.csv', '--y', 'Y.csv', '--lambda', '0x10'], dir);
    expect([hex.code, hex.err]).toEqual([2, 'pikt analyze: --lambda must be a finite number; got "0x10". Write it in decimal (e.g. 0.5, 16, 1e-3). Run "pikt analyze --help" for the flags it takes.\n']);
    const frac = await cli(['train-teacher', '--preset', 'tiny', '--train-fraction', '2'], dir);
    expect([frac.code, frac.err]).toEqual([2, 'pikt train-teacher: --train-fraction must be <= 1; got 2. Run "pikt train-teacher --help" for the flags it takes.\n']);
    const rep = await cli(['bench', '--repeats', '0'], dir);
    expect([rep.code, rep.err]).toEqual([2, 'pikt bench: --repeats must be >= 1; got 0. Run "pikt bench --help" for the flags it takes.\n']);
  });
});

describe('bounded memory up front', () => {
  it('bench --m 1e8 and a distill width of 1e8 are refused with the estimate and the flag, before any allocation or training', async () => {
    const bench = await cli(['bench', '--m', '1e8'], dir);
    expect(bench.code).toBe(1);
    expect(bench.err).toMatch(/^pikt bench: The benchmark \(n = 1000, d = 128, m = 100000000, 5 repeats\) would need about [\d.]+ TiB of tensors \(the wasm backend holds at most ~2 GiB of live tensors in its 4 GiB heap\), more than the 2\.0 GiB available\. Lower --n, --d or --m/);
    const cfg = write('wide.json', { data: fingerprint, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment: { ...experiment, model: { id: 'wide-student', options: { width: 1e8 } } } });
    const wide = await cli(['distill', '--config', cfg, '--out', 'wide-res.json'], dir);
    expect(wide.code).toBe(1);
    expect(wide.err).toMatch(/^pikt distill: Training the student \(width m = 100000000, n = 24 samples, d = 8, 3 steps\) would need about [\d.]+ GiB of tensors .*Lower experiment\.model\.options\.width/);
    // One line: the teacher was not trained first (no progress lines).
    expect(wide.err.trim().split('\n')).toHaveLength(1);
    const teacher = await cli(['train-teacher', '--preset', 'tiny', '--hidden', '1e8', '--out', 'huge-teacher.json'], dir);
    expect(teacher.err).toMatch(/^pikt train-teacher: Training the teacher \(100000000 hidden units, n = 48 samples, d = 8, 60 steps\) would need about [\d.]+ GiB .*Lower --hidden \(or --steps\)/);
    expect(existsSync(join(dir, 'huge-teacher.json'))).toBe(false);
  });

  it('analyze refuses a device for --x', async () => {
    const r = await cli(['analyze', '--x', '/dev/zero', '--y', 'Y.csv'], dir);
    expect(r.err).toBe('pikt analyze: /dev/zero: not a file: expected a regular file or a pipe, found a character device. Pass the path of a CSV file (a device such as /dev/zero never ends).\n');
  });
});

describe('provenance', () => {
  it('a teacher file for another seed, PCA size or class pair is refused, naming the field', async () => {
    for (const [field, value] of [['seed', 999], ['pcaDim', 16], ['classes', [1, 7]], ['trainPerClass', 5]] as const) {
      const cfg = write(`other-${field}.json`, { data: { ...fingerprint, [field]: value }, teacher: { file: 'teacher.json' }, experiment });
      const r = await cli(['distill', '--config', cfg, '--out', `o-${field}.json`], dir);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`pikt distill: Teacher file ${join(dir, 'teacher.json')} was made for another task: data.${field} is ${JSON.stringify(fingerprint[field])} there, ${JSON.stringify(value)} in this config's data. Train the teacher for this task (pikt train-teacher with the same data settings), or let distill train it.\n`);
      expect(existsSync(join(dir, `o-${field}.json`))).toBe(false);
    }
  });
});

describe('numeric hygiene', () => {
  it('labels of 1e300 are an error naming the cell, never capacity inf or null', async () => {
    write('Yhuge.csv', '1e300\n-1\n');
    const r = await cli(['analyze', '--x', 'X.csv', '--y', 'Yhuge.csv', '--json'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`pikt analyze: ${join(dir, 'Yhuge.csv')} (row 1, column 1) holds 1e+300, beyond +-1e+150: its square overflows float64, so the analysis would print inf. Rescale the column (e.g. divide by its largest value) before the analysis.\n`);
  });

  it('duplicate rows make a singular Gram: a warning that says so and names the jitter', async () => {
    write('Xdup.csv', '0.6,0.8\n1,0\n0.6,0.8\n0,1\n');
    write('Ydup.csv', '1\n-1\n1\n-1\n');
    const r = await cli(['analyze', '--x', 'Xdup.csv', '--y', 'Ydup.csv', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out) as { warnings: string[]; jitter: number; capacity: number };
    expect(o.jitter).toBeGreaterThan(0);
    expect(o.warnings).toContain(`[PIKT_GRAM_ILL_CONDITIONED] the Gram matrix is ill-conditioned: 1 training row(s) repeat an earlier one (rows 1 and 3 are identical), so H is singular; H^-1 quantities (capacity, complexity, the k = infinity test prediction) are set by the jitter ${o.jitter.toExponential(3)} added to its eigenvalues. Remove duplicate rows or read those numbers as jitter-dependent.`);
    // Nearly identical rows (no exact duplicate): the condition estimate says it.
    write('Xnear.csv', '1,0\n1,0.00000000001\n0,1\n');
    write('Ynear.csv', '1\n-1\n1\n');
    const near = JSON.parse((await cli(['analyze', '--x', 'Xnear.csv', '--y', 'Ynear.csv', '--json'], dir)).out) as { warnings: string[] };
    expect(near.warnings.join('\n')).toMatch(/ill-conditioned: its condition estimate mu_max \/ mu_min is ([\d.]+e\+\d+|infinite) \(above 1e\+10\)/);
  });

  it('an all-zero X is named as such, not "Invalid option eta: got null"', async () => {
    write('Xzero.csv', '0,0\n0,0\n');
    const r = await cli(['analyze', '--x', 'Xzero.csv', '--y', 'Y.csv'], dir);
    expect(r.code).toBe(1);
    expect(r.err).not.toContain('got null');
    expect(r.err).toBe(`pikt analyze: The Gram matrix Hinf of ${join(dir, 'Xzero.csv')} is zero (largest eigenvalue 0): every row of X is zero, so there is nothing to learn from. Check --x: rows should be unit-norm feature vectors.\n`);
  });

  it('a NaN from a plugin regularizer is blamed on the regularizer, not the learning rate', async () => {
    const pluginDir = join(import.meta.dirname, '../../node_modules/.pikt-test');
    mkdirSync(pluginDir, { recursive: true });
    const plugin = join(pluginDir, 'nan-plugin.mjs');
    writeFileSync(plugin, `
import * as tf from '@tensorflow/tfjs-core';
const nanTerm = () => ({ specificationVersion: 'v1', id: 'nan-term', needs: [], options: {},
  compute: ({ studentLogits }) => tf.tidy(() => tf.mul(tf.sum(studentLogits), Number.NaN)), toJSON: () => ({ id: 'nan-term', options: {} }) });
nanTerm.id = 'nan-term'; nanTerm.needs = []; nanTerm.defaults = {};
export const regularizers = [nanTerm];
`);
    const cfg = write('nan.json', { data: fingerprint, teacher: { file: 'teacher.json' }, experiment: { ...experiment, terms: [{ id: 'label-fit' }, { id: 'nan-term', name: 'bad' }] } });
    const r = await cli(['distill', '--config', cfg, '--plugin', plugin, '--out', 'nan-res.json'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('The loss term "bad" is NaN at step 1, before training could diverge: the regularizer computing it returned a non-finite value on finite inputs. Check the compute() of the regularizer behind "bad"');
    expect(r.err).not.toMatch(/Lower optimizer\.lr/);
    expect(existsSync(join(dir, 'nan-res.json'))).toBe(false);
  });

  it('a plugin export that is not a factory is refused, not listed', async () => {
    const p = write('not-factory.mjs', 'export const regularizers = { "my-term": { id: "my-term" } };');
    const r = await cli(['list', '--plugin', p], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`pikt list: ${join(dir, 'not-factory.mjs')}: regularizers "my-term" is a object, not a factory function. Export each of regularizers as a factory (options) => plugin, e.g. the function defineRegularizer returns.\n`);
  });
});

describe('messages', () => {
  it('raw errno errors are wrapped with the path and the operation', async () => {
    mkdirSync(join(dir, 'csvdir'), { recursive: true });
    const r = await cli(['analyze', '--x', 'csvdir', '--y', 'Y.csv'], dir);
    expect(r.err).toBe(`pikt analyze: Cannot read ${join(dir, 'csvdir')}: it is a folder, not a file (EISDIR). Pass the path of a file.\n`);
    const cfgDir = await cli(['distill', '--config', 'csvdir'], dir);
    expect(cfgDir.err).toBe(`pikt distill: Config file ${join(dir, 'csvdir')} cannot be read. Check the path given to --config.\n`);
  });

  it('a corrupt results.json: the hint offers --force, and --force replaces it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pikt-corrupt-'));
    const args = ['reproduce', '--preset', 'tiny', '--experiments', 'E1', '--skip-png', '--out', out];
    expect((await cli(args, dir)).code).toBe(0);
    writeFileSync(join(out, 'results.json'), '{"version":1,');
    const resume = await cli([...args, '--resume'], dir);
    expect(resume.err).toMatch(/results\.json is not valid JSON \(.*\): its runs cannot be resumed\. Rerun with --force to start over and replace it/);
    const forced = await cli([...args, '--force', '--json'], dir);
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).experiments.E1.runs).toHaveLength(2 * getPreset('tiny').seeds); // with and without teacher, over the preset's seeds
  }, 120_000);
});
