import type { JsonObject } from '@pikt/core';
import type { DistillConfig } from './distill-config.js';
import { checkEstimate, studentEstimate } from './estimates.js';

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Up-front size check of `pikt distill` (before the teacher is trained or any data read): the
 * student's width m from experiment.model.options.width, n = 2 trainPerClass rows of pcaDim
 * features, steps (or epochs of full-batch steps); and the teacher's when distill trains it. Throws WorkTooLargeError above the memory
 * available; returns a warning line above ten minutes.
 */
export function checkDistillSize(cfg: DistillConfig, experiment: JsonObject, backend: string): string | undefined {
  const model = (experiment.model ?? {}) as { options?: Record<string, unknown> };
  const m = num(model.options?.width, 4096);
  const block = num(model.options?.blockSize, 0);
  const n = 2 * cfg.data.trainPerClass;
  const nTest = 2 * cfg.data.testPerClass;
  const d = cfg.data.pcaDim;
  const steps = num(experiment.steps, num(experiment.epochs, 1));
  const teacher = 'hidden' in cfg.teacher ? checkTeacherSize(cfg.data, cfg.teacher.hidden, cfg.teacher.steps, backend, 'teacher.hidden (or teacher.steps) in the --config file') : undefined;
  // With blockSize b > 0 only [n, b] activations are alive at a time.
  const live = block > 0 ? Math.min(block, m) : m;
  const est = studentEstimate(Math.max(n, nTest), d, m, steps, backend);
  const tensorBytes = est.tensorBytes - 4 * 6 * Math.max(n, nTest) * (m - live);
  const student = checkEstimate({
    what: `Training the student (width m = ${m}, n = ${n} samples, d = ${d}, ${steps} steps)`,
    hostBytes: 8 * (n + nTest) * d * 4, tensorBytes, seconds: est.seconds,
    flags: 'experiment.model.options.width (or the data sizes, or steps) in the --config file',
  }, backend);
  return [teacher, student].filter(Boolean).join(' ') || undefined;
}

/**
 * Up-front size check of a teacher MLP with `hidden` units trained on the task's teacher pool
 * (n = 2 teacherPerClass rows of pcaDim features, Adam): the same count as the student's.
 */
export function checkTeacherSize(task: DistillConfig['data'], hidden: number, steps: number, backend: string, flag: string): string | undefined {
  const n = Math.max(2 * task.teacherPerClass, 2 * task.trainPerClass, 2 * task.testPerClass);
  const e = studentEstimate(n, task.pcaDim, hidden, steps, backend);
  return checkEstimate({ what: `Training the teacher (${hidden} hidden units, n = ${n} samples, d = ${task.pcaDim}, ${steps} steps)`, hostBytes: 0, ...e, flags: flag }, backend);
}
