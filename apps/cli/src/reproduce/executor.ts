import { canonicalJson, type ReporterV1 } from '@pikt/core';
import { randomFourierFeatures, unitNorm } from '@pikt/datasets';
import { eighFactor } from '@pikt/linalg';
import { hinf } from '@pikt/ntk';
import { createCliRegistries } from '../registries.js';
import type { CliRegistries } from '../registries.js';
import type { Preset } from './presets.js';
import type { EmbeddingConfig, StudentRunSpec } from './run-spec.js';
import { runStudent } from './student-run.js';
import { unevenNormTask } from './assumption-variants.js';
import type { EmbeddedTask } from './student-run.js';
import { prepareTask } from './task.js';
import type { PreparedTask, TaskConfig } from './task.js';
import { trainTeacher } from './teacher.js';
import type { TeacherOutputs, TeacherSpec } from './teacher.js';
import type { RunOutcome } from './types.js';
import type { JsonObject } from '@pikt/core';

/** Everything that determines a reproduce run's numbers: recorded as results.json's config. */
export interface ReproduceConfig extends JsonObject {
  preset: Preset;
  task: TaskConfig & JsonObject;
  backend: string;
  experiments: string[];
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

/** Executes one JSON run spec; the caches are an implementation detail (a run's numbers depend on its spec alone). */
export interface StudentRunExecutor {
  execute(spec: StudentRunSpec, signal: AbortSignal): Promise<RunOutcome | undefined>;
  task(cfg: TaskConfig): Promise<PreparedTask>;
  teacher(cfg: TaskConfig, spec: TeacherSpec, signal?: AbortSignal): Promise<TeacherOutputs | undefined>;
}

/**
 * Executes run specs: prepares each task once, trains each teacher once, builds each embedding's
 * Gram once (lazily, keyed by their canonical JSON, so any process rebuilds exactly the same
 * inputs from a spec), then trains and predicts the student.
 */
export function createRunExecutor(options: { reporters?: ReporterV1[]; log?: (line: string) => void; registries?: CliRegistries } = {}): StudentRunExecutor {
  const registries = options.registries ?? createCliRegistries();
  const reporters = options.reporters ?? [];
  const tasks = new Map<string, Promise<PreparedTask>>();
  const teachers = new Map<string, TeacherOutputs>();
  const embeddings = new Map<string, EmbeddedTask>();
  const self: StudentRunExecutor = {
    task(cfg) {
      const key = canonicalJson(cfg);
      let t = tasks.get(key);
      if (!t) { t = prepareTask(cfg); tasks.set(key, t); }
      return t;
    },
    async teacher(cfg, spec, signal) {
      const key = canonicalJson({ cfg, spec });
      const have = teachers.get(key);
      if (have) return have;
      const task = await self.task(cfg);
      options.log?.(`training teacher "${spec.label}"`);
      const t = await trainTeacher(task, spec, { signal, reporters });
      if (t) teachers.set(key, t);
      return t;
    },
    async execute(spec, signal) {
      const started = performance.now();
      const teacher = spec.teacher ? await self.teacher(spec.task, spec.teacher, signal) : null;
      if (teacher === undefined) return undefined;
      const e = await embedding(spec.task, spec.embedding, signal);
      if (!e) return undefined;
      const out = await runStudent(e, teacher && { z: teacher.z, features: teacher.features, featureDim: teacher.featureDim }, spec, registries, { signal, reporters });
      if (!out) return undefined;
      if (teacher) {
        out.measured.teacherTestAccuracy = teacher.testAccuracy;
        out.measured.teacherTrainSamples = teacher.trainSamples;
      }
      return { measured: out.measured, predicted: out.predicted, curves: out.curves, ...(out.notes.length > 0 ? { notes: out.notes } : {}), wallMs: Math.round(performance.now() - started) };
    },
  };
  async function embedding(cfg: TaskConfig, em: EmbeddingConfig, signal: AbortSignal): Promise<EmbeddedTask | undefined> {
    const key = canonicalJson({ cfg, em });
    const have = embeddings.get(key);
    if (have) return have;
    const task = await self.task(cfg);
    let e: EmbeddedTask;
    if (em.id === 'raw') {
      e = embed(task, task.x, task.xTest, task.d);
    } else if (em.id === 'uneven-norms') {
      e = unevenNormTask(embed(task, task.x, task.xTest, task.d), em.seed);
    } else if (em.id === 'rff') {
      const rff = randomFourierFeatures(em.options);
      rff.fit({ x: task.x, n: task.n, d: task.d });
      const tr = rff.apply({ x: task.x, n: task.n, d: task.d });
      const te = rff.apply({ x: task.xTest, n: task.nTest, d: task.d });
      e = embed(task, unitRows(tr.x, task.n, tr.d), unitRows(te.x, task.nTest, tr.d), tr.d);
    } else {
      const t = await self.teacher(cfg, em.teacher, signal);
      if (!t) return undefined;
      e = embed(task, unitRows(t.features, task.n, t.featureDim), unitRows(t.featuresTest, task.nTest, t.featureDim), t.featureDim);
    }
    embeddings.set(key, e);
    return e;
  }
  return self;
}
