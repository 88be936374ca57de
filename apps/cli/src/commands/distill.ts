import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidOptionError, PiktError, combinePredictions, datasetFromArrays } from '@pikt/core';
import type { RegularizerPrediction } from '@pikt/core';
import { prepareExperiment, runExperiment } from '@pikt/trainer';
import { UsageError } from '../args.js';
import { BACKEND_CHOICES, activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { EXIT_INTERRUPTED } from '../cli.js';
import { holdOutput } from '../output-guard/guard.js';
import { checkDistillSize } from './distill-size.js';
import { assertFiniteResult } from './numeric-checks.js';
import { readTeacherFile, taskFingerprint } from './teacher-file.js';
import { loadPlugins } from '../plugins.js';
import { createProgress } from '../progress/progress.js';
import { formatNumber } from '../report/format.js';
import { DATASETS, checkDataDir, prepareTask } from '../reproduce/task.js';
import { pluginDatasetSplits } from '../reproduce/plugin-dataset.js';
import { loadTeacherOutputs, trainTeacher } from '../reproduce/teacher.js';
import type { PreparedTask } from '../reproduce/task.js';
import { createCliRegistries } from '../registries.js';
import { readDistillConfig } from './distill-config.js';
import { PLUGIN_FLAG } from './list.js';

/**
 * The teacher's outputs from a `pikt train-teacher` file (for this task: its fingerprint was checked);
 * for another task, `teacher.weights` rebuilds the teacher from the weights saved beside the file.
 */
async function teacherOutputs(file: string, task: PreparedTask): Promise<{ z: Float64Array; zTest: Float64Array }> {
  const { n, nTest } = task;
  let parsed: { z?: unknown; zTest?: unknown; weights?: unknown };
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as typeof parsed;
  } catch (err) {
    throw new PiktError('PIKT_BAD_CONFIG', `Teacher file ${file} cannot be read as JSON (${(err as Error).message}).`, 'Write it with "pikt train-teacher --out FILE".');
  }
  const fits = Array.isArray(parsed.z) && parsed.z.length === n && Array.isArray(parsed.zTest) && parsed.zTest.length === nTest;
  if (!fits) {
    throw new PiktError('PIKT_BAD_CONFIG', `Teacher file ${file} does not hold outputs for this task (${n} train and ${nTest} test samples).`, 'Train the teacher with the same data settings (pikt train-teacher) or let distill train it.');
  }
  return { z: Float64Array.from(parsed.z as number[]), zTest: Float64Array.from(parsed.zTest as number[]) };
}

export const distillCommand: CommandDefinition = {
  name: 'distill',
  summary: 'train a student on a teacher\'s privileged information from a JSON experiment file (models and loss terms by registry id)',
  flags: {
    config: { type: 'string', value: 'FILE', description: 'experiment JSON: { data, teacher, experiment } (see the README)' },
    backend: { type: 'string', choices: BACKEND_CHOICES, default: 'wasm', description: 'tfjs backend' },
    out: { type: 'string', value: 'FILE', default: 'distill-result.json', description: 'where to write the final metrics' },
    force: { type: 'boolean', description: 'replace --out if pikt wrote it earlier (never a file pikt did not write)' },
    plugin: PLUGIN_FLAG,
    json: { type: 'boolean', description: 'print JSON' },
  },
  examples: [
    'pikt distill --config exp.json',
    'pikt distill --config exp.json --plugin ./my-regularizer.js --json    # use a term your plugin registers',
  ],
  async run({ io, flags, defer }) {
    if (!flags.config) throw new UsageError('Missing --config.', 'Pass the experiment JSON file: pikt distill --config exp.json.');
    const path = resolve(io.cwd, flags.config as string);
    const registries = createCliRegistries();
    await loadPlugins((flags.plugin as string[] | undefined) ?? [], io.cwd, registries);
    // Plugins first: a dataset one registers is a valid data.dataset.
    const builtin = new Set<string>(DATASETS);
    const pluginDatasets = registries.datasets.ids().filter((id) => !builtin.has(id));
    const cfg = await readDistillConfig(path, pluginDatasets);
    // Before any work: --out is writable, not an input (config, teacher file, plugins), not a user's file; locked.
    const teacherFile = 'file' in cfg.teacher ? resolve(io.cwd, cfg.teacher.file) : undefined;
    const pluginFiles = ((flags.plugin as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
    const guard = await holdOutput({ io, defer }, resolve(io.cwd, flags.out as string), { command: 'distill', kind: 'file', force: Boolean(flags.force), inputs: [path, teacherFile, ...pluginFiles] });
    // A teacher file is for its own task (its outputs); for another task use teacher.weights.
    if (teacherFile) await readTeacherFile(teacherFile, taskFingerprint(cfg.data));
    const experiment = { ...cfg.experiment };
    let prediction: RegularizerPrediction;
    try {
      // Every field checked before any data is read; what the terms declare says which kernel prediction applies.
      prediction = combinePredictions(prepareExperiment(experiment, registries).terms.map((t) => t.regularizer));
    } catch (err) {
      if (err instanceof InvalidOptionError) throw new PiktError('PIKT_BAD_CONFIG', `${path}: experiment.${err.message}`, '', { cause: err });
      throw err;
    }
    if (cfg.data.dataDir) checkDataDir(resolve(io.cwd, cfg.data.dataDir));
    const long = checkDistillSize(cfg, experiment, flags.backend as string);
    if (long) io.stderr.write(`pikt distill: warning: ${long}\n`);
    const backend = await activateBackend(flags.backend as BackendChoice);
    const task = await prepareTask(cfg.data, builtin.has(cfg.data.dataset) ? {} : { splits: await pluginDatasetSplits(cfg.data.dataset, registries.datasets.get(cfg.data.dataset)) });
    const progress = createProgress({ write: (t) => io.stderr.write(t), isTTY: io.isTTY, columns: io.columns });
    let z: Float64Array;
    let zTest: Float64Array;
    if ('file' in cfg.teacher) {
      ({ z, zTest } = await teacherOutputs(resolve(io.cwd, cfg.teacher.file), task));
    } else if ('weights' in cfg.teacher) {
      ({ z, zTest } = await loadTeacherOutputs(resolve(io.cwd, cfg.teacher.weights), task));
    } else {
      progress.task('teacher', 1, 2);
      const t = await trainTeacher(task, { label: 'distill', seed: cfg.data.seed, ...cfg.teacher }, { signal: io.signal, reporters: [progress] });
      if (!t) { progress.close(); return EXIT_INTERRUPTED; }
      ({ z, zTest } = t);
    }
    progress.task('student', 2, 2);
    const outputDim = 1;
    const result = await runExperiment({
      config: experiment, models: registries.models, regularizers: registries.regularizers, signal: io.signal, reporters: [progress],
      data: datasetFromArrays({
        id: 'distill', inputDim: task.d, outputDim,
        train: { x: task.x, targets: task.y, teacherLogits: z },
        test: { x: task.xTest, targets: task.yTest, teacherLogits: zTest },
      }),
    });
    progress.close();
    const testEval = result.evals.filter((e) => e.split === 'test').at(-1);
    const summary = {
      status: result.status, steps: result.steps, backend: backend.id, finalLoss: result.finalLoss, train: result.finalMetrics, prediction,
      ...(testEval ? { test: { step: testEval.step, ...testEval.metrics } } : {}),
      ...(result.stabilityBound === undefined ? {} : { stabilityBound: result.stabilityBound }),
    };
    const out = guard.path;
    assertFiniteResult('distill', summary, 'A loss term or the training produced NaN or inf: lower optimizer.lr, check the regularizers\' options, or rescale the data.');
    await guard.write(out, `${JSON.stringify(summary, null, 2)}\n`);
    for (const t of Object.values(result.params)) t.dispose();
    if (flags.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      const m = result.finalMetrics;
      io.stdout.write(`${result.status === 'completed' ? 'done' : 'stopped'} after ${result.steps} steps: training loss ${formatNumber(result.finalLoss)}, label error ||u - y|| ${formatNumber(m.labelError)}, ||u - z|| ${formatNumber(m.teacherError)}, accuracy ${formatNumber(m.accuracy)}`
        + `${testEval ? `; test accuracy ${formatNumber(testEval.metrics.accuracy)} (step ${testEval.step})` : ''}. Written to ${out}\n`);
    }
    return result.status === 'aborted' ? EXIT_INTERRUPTED : 0;
  },
};
