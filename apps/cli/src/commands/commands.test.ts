import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';
import { prepareTask } from '../reproduce/task.js';
import { loadTeacherOutputs } from '../reproduce/teacher.js';
import { pluginDatasetSplits } from '../reproduce/plugin-dataset.js';
import { createCliRegistries } from '../registries.js';
import { loadPlugins } from '../plugins.js';

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

// A dataset plugin: two blobs in R^10 (class c centred at +-1 on the first axis), a factory of a DatasetV1.
const dsPlugin = join(pluginDir, 'blobs-plugin.mjs');
writeFileSync(dsPlugin, `
const rows = (n, off) => { const x = new Float32Array(n * 10); const classIds = new Int32Array(n); const targets = new Float32Array(n);
  for (let i = 0; i < n; i++) { const c = i % 2; classIds[i] = c; targets[i] = c ? 1 : -1; for (let j = 0; j < 10; j++) x[i * 10 + j] = Math.sin(7 * (i + off) + 3 * j) * 0.5 + (j === 0 ? (c ? 1 : -1) : 0); }
  return { n, x, targets, classIds }; };
const blobs = () => ({ specificationVersion: 'v1', id: 'blobs', spec: { inputDim: 10, outputDim: 1, size: { train: 60, test: 40 }, classNames: ['left', 'right'] },
  async *batches(split) { yield split === 'train' ? rows(60, 0) : rows(40, 1000); } });
blobs.id = 'blobs';
export const datasets = [blobs];
`);

describe('pikt distill on a dataset a plugin registers', () => {
  it('reads the DatasetV1 into a unit-norm class-pair task and trains on it', async () => {
    const registries = createCliRegistries();
    await loadPlugins([dsPlugin], dir, registries);
    const cfg = { dataset: 'blobs', classes: [0, 1] as [number, number], trainPerClass: 10, testPerClass: 8, teacherPerClass: 12, pcaDim: 4, seed: 1 };
    const task = await prepareTask(cfg, { splits: await pluginDatasetSplits('blobs', registries.datasets.get('blobs')) });
    expect([task.n, task.d, task.nTest, task.nTeacher]).toEqual([20, 4, 16, 24]);
    expect(task.y.reduce((a, b) => a + b, 0)).toBe(0);
    for (let i = 0; i < task.n; i++) expect(Math.hypot(...task.x.subarray(i * 4, i * 4 + 4))).toBeCloseTo(1, 12);
    expect(task.description).toContain('blobs classes left (y = -1) vs right (y = +1)');
    write('blobs.json', { data: cfg, teacher: { hidden: 8, steps: 20, lr: 0.05 }, experiment: { ...experiment, terms: [{ id: 'label-fit' }] } });
    const r = await cli(['distill', '--config', 'blobs.json', '--plugin', dsPlugin, '--out', 'blobs-res.json', '--json'], dir);
    expect(r.err).not.toMatch(/pikt distill:/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).steps).toBe(5);
    const without = await cli(['distill', '--config', 'blobs.json', '--out', 'blobs-res.json'], dir);
    expect(without.code).not.toBe(0);
    expect(without.err).toContain('data.dataset');
    expect(without.err).toContain('(or a dataset a --plugin registers)');
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
    // The weights are saved beside the outputs, and rebuild the same outputs on the same task.
    expect(t.weights).toBe('t.weights');
    expect(JSON.parse(r.out).weights).toBe(join(dir, 't.weights'));
    const task = await prepareTask(t.task);
    const again = await loadTeacherOutputs(join(dir, 't.weights'), task);
    expect(Array.from(again.z)).toEqual(t.z);
    expect(Array.from(again.zTest)).toEqual(t.zTest);
    expect(again.testAccuracy).toBe(t.testAccuracy);
  });

  it('distill rebuilds the teacher from its saved weights (teacher.weights) on another split of the data, where the outputs file is refused', async () => {
    const tiny = { dataset: 'mnist', classes: [3, 5], trainPerClass: 12, testPerClass: 12, teacherPerClass: 24, pcaDim: 8, seed: 2022 };
    const other = { ...tiny, trainPerClass: 7, testPerClass: 5 };
    const exp = { ...experiment, terms: [{ id: 'label-fit' }] };
    write('w1.json', { data: other, teacher: { file: 't.json' }, experiment: exp });
    write('w2.json', { data: other, teacher: { weights: 't.weights' }, experiment: exp });
    // The outputs file is for its own task only (provenance check); the weights serve any task of the same input size.
    const a = await cli(['distill', '--config', 'w1.json', '--out', 'w1-res.json', '--json'], dir);
    const b = await cli(['distill', '--config', 'w2.json', '--out', 'w2-res.json', '--json'], dir);
    expect(a.code).toBe(1);
    expect(a.err).toContain('was made for another task: data.trainPerClass is 12 there, 7 in this config');
    expect(b.err).not.toMatch(/pikt distill:/);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.out).train.teacherError).toBeGreaterThan(0);
    write('w3.json', { data: { ...other, pcaDim: 6 }, teacher: { weights: 't.weights' }, experiment: exp });
    const c = await cli(['distill', '--config', 'w3.json', '--out', 'w3-res.json'], dir);
    expect(c.code).not.toBe(0);
    expect(c.err).toMatch(/t\.weights/);
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
