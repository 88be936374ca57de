import { UnknownPluginError, type JsonObject, type ReporterV1 } from '@pikt/core';
import { randomFourierFeatures, unitNorm } from '@pikt/datasets';
import { eighFactor } from '@pikt/linalg';
import { hinf } from '@pikt/ntk';
import type { Progress } from '../progress/progress.js';
import type { RunRecord } from '../results/types.js';
import type { Preset } from './presets.js';
import { runStudent } from './student-run.js';
import type { EmbeddedTask, StudentSpec } from './student-run.js';
import { prepareTask } from './task.js';
import type { PreparedTask, TaskConfig } from './task.js';
import { trainTeacher } from './teacher.js';
import type { TeacherOutputs, TeacherSpec } from './teacher.js';
import type { PlannedRun, RunExecutor } from './types.js';

/** Everything that determines a reproduce run's numbers: recorded as results.json's config. */
export interface ReproduceConfig extends JsonObject {
  preset: Preset;
  task: TaskConfig & JsonObject;
  backend: string;
  experiments: string[];
}

export function taskConfigFor(preset: Preset, dataset: TaskConfig['dataset'], dataDir?: string): TaskConfig & JsonObject {
  return {
    dataset, ...(dataDir ? { dataDir } : {}), classes: preset.classes, trainPerClass: preset.trainPerClass,
    testPerClass: preset.testPerClass, teacherPerClass: preset.teacherPerClass, pcaDim: preset.pcaDim, seed: preset.seed,
  };
}

export function teacherSpecFor(preset: Preset, label: string): TeacherSpec {
  const q = preset.teacherQualities.find((t) => t.label === label);
  const base = { label, hidden: preset.teacher.hidden, lr: preset.teacher.lr, seed: preset.seed };
  return q ? { ...base, trainFraction: q.trainFraction, steps: q.steps } : { ...base, trainFraction: 1, steps: preset.teacher.steps };
}

function unitRows(x: Float64Array, n: number, d: number): Float64Array {
  const t = unitNorm();
  t.fit({ x, n, d });
  return t.apply({ x, n, d }).x;
}

/** The kernel side of an embedding: Hinf on train, its eigenbasis (float64), and Hinf(test, train). */
export function embed(task: PreparedTask, x: Float64Array, xTest: Float64Array, d: number): EmbeddedTask {
  const H = hinf(x, null, { inputDim: d, onWarning: () => undefined }).data;
  return {
    n: task.n, d, x, y: task.y, nTest: task.nTest, xTest, yTest: task.yTest,
    H, basis: eighFactor(H), hTest: hinf(xTest, x, { inputDim: d, onWarning: () => undefined }).data,
  };
}

/** The student spec of a planned run: the preset's sizes with the run's overrides. */
export function studentSpecFor(preset: Preset, run: PlannedRun): StudentSpec {
  const reg = run.params.regularizer ?? 'quadratic';
  return {
    lambda: run.params.lambda ?? 0,
    width: run.params.width ?? preset.width,
    kappa: preset.kappa,
    regularizer: reg.startsWith('kl') ? 'kl' : reg === 'feature-matching' ? 'feature-matching' : 'quadratic',
    temperature: typeof run.spec.temperature === 'number' ? run.spec.temperature : preset.temperature,
    steps: typeof run.spec.steps === 'number' ? run.spec.steps : preset.steps,
    stepScale: typeof run.spec.stepScale === 'number' ? run.spec.stepScale : preset.stepScale,
    eps: preset.eps,
    // One initialization per width, shared by every run of that width, so runs differ only in what they vary.
    seed: `${preset.seed}/student/m=${run.params.width ?? preset.width}`,
    spectrum: true,
  };
}

/**
 * Executes E1-E6 runs: prepares the task once, trains each teacher once, builds each embedding's
 * Gram once (all lazily and deterministically, so a resumed invocation rebuilds exactly the same
 * inputs), then trains and predicts each student.
 */
export function createExecutor(config: ReproduceConfig, progress: Progress): RunExecutor & { task(): Promise<PreparedTask>; teacher(label: string, signal?: AbortSignal): Promise<TeacherOutputs | undefined>; embedding(name: string, signal?: AbortSignal): Promise<EmbeddedTask | undefined> } {
  const { preset } = config;
  let taskP: Promise<PreparedTask> | undefined;
  const teachers = new Map<string, TeacherOutputs>();
  const embeddings = new Map<string, EmbeddedTask>();
  // Runs that differ only in label (E1's runs reappear in E2, E3, E4, E5, E6) are computed once.
  const memo = new Map<string, Omit<RunRecord, 'label' | 'params'>>();
  const reporters: ReporterV1[] = [progress];
  const self = {
    task: () => (taskP ??= prepareTask(config.task)),
    async teacher(label: string, signal?: AbortSignal) {
      const have = teachers.get(label);
      if (have) return have;
      const task = await self.task();
      progress.log(`training teacher "${label}"`);
      const t = await trainTeacher(task, teacherSpecFor(preset, label), { signal, reporters });
      if (t) teachers.set(label, t);
      return t;
    },
    async embedding(name: string, signal?: AbortSignal) {
      const have = embeddings.get(name);
      if (have) return have;
      const task = await self.task();
      let e: EmbeddedTask;
      if (name === 'raw') {
        e = embed(task, task.x, task.xTest, task.d);
      } else if (name === 'rff') {
        const rff = randomFourierFeatures({ features: preset.rffDim, bandwidth: 'median', seed: `${preset.seed}/rff` });
        rff.fit({ x: task.x, n: task.n, d: task.d });
        const tr = rff.apply({ x: task.x, n: task.n, d: task.d });
        const te = rff.apply({ x: task.xTest, n: task.nTest, d: task.d });
        e = embed(task, unitRows(tr.x, task.n, tr.d), unitRows(te.x, task.nTest, tr.d), tr.d);
      } else if (name === 'teacher-features') {
        const t = await self.teacher('strong', signal);
        if (!t) return undefined;
        e = embed(task, unitRows(t.features, task.n, t.featureDim), unitRows(t.featuresTest, task.nTest, t.featureDim), t.featureDim);
      } else {
        throw new UnknownPluginError('embedding', name, ['raw', 'rff', 'teacher-features']);
      }
      embeddings.set(name, e);
      return e;
    },
    async describe() {
      return (await self.task()).description;
    },
    async execute(run: PlannedRun, signal: AbortSignal): Promise<RunRecord | undefined> {
      const key = JSON.stringify({ spec: studentSpecFor(preset, run), teacher: run.params.teacher, embedding: run.params.embedding ?? 'raw' });
      const known = memo.get(key);
      if (known) return structuredClone({ label: run.label, params: run.params, ...known });
      const teacher = run.params.teacher ? await self.teacher(run.params.teacher, signal) : null;
      if (teacher === undefined) return undefined;
      const e = await self.embedding(run.params.embedding ?? 'raw', signal);
      if (!e) return undefined;
      const spec = studentSpecFor(preset, run);
      const out = await runStudent(e, teacher && { z: teacher.z, features: teacher.features, featureDim: teacher.featureDim }, spec, { signal, reporters });
      if (!out) return undefined;
      if (teacher) {
        out.measured.teacherTestAccuracy = teacher.testAccuracy;
        out.measured.teacherTrainSamples = teacher.trainSamples;
      }
      const record = { measured: out.measured, predicted: out.predicted, curves: out.curves, ...(out.notes.length > 0 ? { notes: out.notes } : {}) };
      memo.set(key, structuredClone(record));
      return { label: run.label, params: run.params, ...record };
    },
  };
  return self;
}
