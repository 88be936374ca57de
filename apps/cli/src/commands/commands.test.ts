import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, COMMANDS, { cwd, isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'pikt-commands-'));
// A user's plugin module, as a user writes it: it imports tfjs-core, so it lives where Node finds
// the package (under the CLI's node_modules, ignored by git); the commands get its path.
const pluginDir = join(import.meta.dirname, '../../node_modules/.pikt-test');
mkdirSync(pluginDir, { recursive: true });
const plugin = join(pluginDir, 'my-plugin.mjs');
writeFileSync(plugin, `
import * as tf from '@tensorflow/tfjs-core';
const myL2 = (options = {}) => {
  const weight = options.weight ?? 1;
  return {
    specificationVersion: 'v1', id: 'my-l2', needs: ['teacherLogits'], options: { weight },
    compute: ({ studentLogits, teacherLogits }) => tf.tidy(() => tf.mul(weight / 2, tf.sum(tf.square(tf.sub(studentLogits, teacherLogits))))),
    toJSON: () => ({ id: 'my-l2', options: { weight } }),
  };
};
myL2.id = 'my-l2'; myL2.needs = ['teacherLogits']; myL2.defaults = { weight: 1 };
export const regularizers = [myL2];
`);
const data = { dataset: 'mnist', classes: [3, 5], trainPerClass: 10, testPerClass: 10, teacherPerClass: 10, pcaDim: 6, seed: 3 };
const experiment = {
  model: { id: 'wide-student', options: { width: 64 } },
  terms: [{ id: 'label-fit' }, { id: 'my-l2', name: 'pi', options: { weight: 1 } }],
  optimizer: { kind: 'gd', lr: 0.5 }, steps: 5, seed: 1, evalEvery: 5,
};
const write = (name: string, v: unknown) => { writeFileSync(join(dir, name), typeof v === 'string' ? v : JSON.stringify(v)); return name; };

describe('pikt list', () => {
  it('lists backends, built-in models, regularizers, datasets, and a plugin\'s additions', async () => {
    const r = await cli(['list', '--json', '--plugin', plugin], dir);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.backends.find((b: { id: string }) => b.id === 'wasm').supported).toBe(true);
    // node-gpu runs where Dawn finds an adapter (here: SwiftShader); either way it reports why or what.
    const gpu = o.backends.find((b: { id: string }) => b.id === 'node-gpu');
    expect(gpu.supported ? gpu.device : gpu.reason).toMatch(/\S/);
    expect(o.models).toEqual(['cnn-teacher', 'mlp-teacher', 'wide-student']);
    expect(o.regularizers).toEqual(['feature-matching', 'hinton-kl', 'label-fit', 'my-l2', 'quadratic-pi', 'scheduled', 'sum', 'weighted']);
    expect(o.datasets).toEqual(['cifar10', 'fashion-mnist', 'mnist']);
  });
});

describe('pikt distill', () => {
  it('trains a student with a plugin regularizer from a JSON config', async () => {
    write('ok.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment });
    const r = await cli(['distill', '--config', 'ok.json', '--plugin', plugin, '--out', 'res.json', '--json'], dir);
    expect(r.err).not.toMatch(/pikt distill:/);
    expect(r.code).toBe(0);
    const o = JSON.parse(readFileSync(join(dir, 'res.json'), 'utf8'));
    expect(o.steps).toBe(5);
    expect(Number.isFinite(o.train.labelError)).toBe(true);
    // The objective is label + pi: the reported final loss is their sum.
    expect(o.finalLoss).toBeCloseTo(o.train['label-fit'] + o.train.pi, 4);
    expect(o.test.step).toBe(5);
  });

  it('reaches the sum / weighted combinators, over a plugin\'s term too, with the numbers of the separate terms', async () => {
    const terms = [{ id: 'sum', name: 'objective', options: { terms: [{ id: 'label-fit' }, { id: 'weighted', options: { weight: 2, term: { id: 'my-l2' } } }] } }];
    write('sum.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment: { ...experiment, terms } });
    write('split.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment: { ...experiment, terms: [{ id: 'label-fit' }, { id: 'my-l2', name: 'pi', options: { weight: 2 } }] } });
    const a = await cli(['distill', '--config', 'sum.json', '--plugin', plugin, '--out', 'sum-res.json', '--json'], dir);
    const b = await cli(['distill', '--config', 'split.json', '--plugin', plugin, '--out', 'split-res.json', '--json'], dir);
    expect([a.code, b.code]).toEqual([0, 0]);
    const [oa, ob] = ['sum-res.json', 'split-res.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    expect(oa.finalLoss).toBeCloseTo(ob.finalLoss, 4);
    expect(oa.train.objective).toBeCloseTo(ob.train['label-fit'] + ob.train.pi, 4);
    expect(oa.prediction).toEqual({ kind: 'output-loss' });
  });

  it('fails with one line naming the file and the problem for malformed or invalid configs', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['bad-json.json', '{ "data": { "dataset": "mnist", } }', /bad-json\.json is not valid JSON/],
      ['bad-field.json', { data: { ...data, trainPerClass: -1 }, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment }, /bad-field\.json: Invalid option "data\.trainPerClass": got -1\. Expected an integer >= 1\./],
      ['extra.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment, extra: 1 }, /Invalid option "extra"/],
      ['bad-lr.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment: { ...experiment, optimizer: { kind: 'gd', lr: -1 } } }, /experiment\.Invalid option "optimizer\.lr"|optimizer\.lr/],
      ['bad-term.json', { data, teacher: { hidden: 8, steps: 5, lr: 0.01 }, experiment: { ...experiment, terms: [{ id: 'label-fitt' }] } }, /Unknown regularizer "label-fitt"\. Known regularizers: feature-matching, hinton-kl, label-fit, quadratic-pi, scheduled, sum, weighted/],
    ];
    for (const [name, content, message] of cases) {
      const r = await cli(['distill', '--config', write(name, content)], dir);
      expect(r.code, name).toBe(1);
      expect(r.err, name).toMatch(message);
      expect(r.err.trim().split('\n'), name).toHaveLength(1);
    }
    const none = await cli(['distill'], dir);
    expect(none.code).toBe(2);
    expect(none.err).toBe('pikt distill: Missing --config. Pass the experiment JSON file: pikt distill --config exp.json.\n');
  });
});

describe('pikt train-teacher and bench', () => {
  it('train-teacher writes the teacher\'s outputs for the preset task', async () => {
    const r = await cli(['train-teacher', '--preset', 'tiny', '--steps', '5', '--out', 't.json', '--json'], dir);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
    expect(t.z).toHaveLength(24);
    expect(t.zTest).toHaveLength(24);
    expect(t.testAccuracy).toBe(JSON.parse(r.out).testAccuracy);
    expect(t.teacher.steps).toBe(5);
  });

  it('bench reports matmul GFLOP/s, a median GD step time, a Gram time and an analysis time', async () => {
    const r = await cli(['bench', '--n', '40', '--d', '8', '--m', '64', '--repeats', '3', '--matmul', '64', '--json', '--backend', 'cpu'], dir);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.backends.map((b: { id: string }) => b.id)).toEqual(['cpu']);
    const [b] = o.backends;
    expect(b.gdStepMs.all).toHaveLength(3);
    expect(b.gdStepMs.median).toBeGreaterThan(0);
    expect(b.gramMs.all).toHaveLength(3);
    expect(b.matmul.size).toBe(64);
    // GFLOP/s is 2 s^3 / median time: check the arithmetic against the reported times.
    const ms = [...b.matmul.ms].sort((x: number, y: number) => x - y)[1];
    expect(b.matmul.gflops).toBeCloseTo((2 * 64 ** 3) / (ms * 1e6), 0);
    expect(o.analysisMs.all).toHaveLength(3);
  });
});
