import { readFile } from 'node:fs/promises';
import { InvalidOptionError, isPlainObject, PiktError, requireNumber, requireObject, requireOneOf, requirePositiveInt } from '@pikt/core';
import type { JsonObject } from '@pikt/core';
import { DATASETS } from '../reproduce/task.js';
import type { TaskConfig } from '../reproduce/task.js';

/** `pikt distill --config exp.json`: the task, the teacher, and a @pikt/trainer experiment for the student. */
export interface DistillConfig {
  data: TaskConfig;
  /** Train a teacher (MLP) with these settings, or read the outputs `pikt train-teacher` saved. */
  teacher: { hidden: number; steps: number; lr: number; trainFraction: number } | { file: string };
  /** A @pikt/trainer ExperimentConfig: { model: { id, options }, terms: [{ id, options }], optimizer, steps, seed, ... }. */
  experiment: JsonObject;
}

/** A number in (0, max]: learning rates, fractions. */
const pos = (where: string, v: unknown, max?: number): number => requireNumber(where, v, { min: 0, minExclusive: true, ...(max === undefined ? {} : { max }) });

/** Read and validate a distill config; errors name the file and the field (`data.classes[1]`). */
export async function readDistillConfig(path: string): Promise<DistillConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PiktError('PIKT_NO_FILE', `Config file ${path} cannot be read.`, 'Check the path given to --config.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PiktError('PIKT_BAD_CONFIG', `Config file ${path} is not valid JSON: ${(err as Error).message}.`, 'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).');
  }
  try {
    const c = requireObject('', raw, ['data', 'teacher', 'experiment']);
    const d = requireObject('data', c.data, ['dataset', 'dataDir', 'classes', 'trainPerClass', 'testPerClass', 'teacherPerClass', 'pcaDim', 'seed']);
    requireOneOf('data.dataset', d.dataset, DATASETS);
    if (!Array.isArray(d.classes) || d.classes.length !== 2) throw new InvalidOptionError('data.classes', d.classes, 'two class ids, e.g. [3, 5]');
    const data: TaskConfig = {
      dataset: d.dataset as TaskConfig['dataset'],
      classes: [requirePositiveInt('data.classes[0]', d.classes[0], 0), requirePositiveInt('data.classes[1]', d.classes[1], 0)],
      trainPerClass: requirePositiveInt('data.trainPerClass', d.trainPerClass, 1),
      testPerClass: requirePositiveInt('data.testPerClass', d.testPerClass, 1),
      teacherPerClass: requirePositiveInt('data.teacherPerClass', d.teacherPerClass ?? 0, 0),
      pcaDim: requirePositiveInt('data.pcaDim', d.pcaDim, 1),
      seed: requirePositiveInt('data.seed', d.seed ?? 0, 0),
      ...(d.dataDir === undefined ? {} : { dataDir: String(d.dataDir) }),
    };
    const t = requireObject('teacher', c.teacher, ['file', 'hidden', 'steps', 'lr', 'trainFraction']);
    const teacher = typeof t.file === 'string'
      ? { file: t.file }
      : { hidden: requirePositiveInt('teacher.hidden', t.hidden, 1), steps: requirePositiveInt('teacher.steps', t.steps, 1), lr: pos('teacher.lr', t.lr), trainFraction: pos('teacher.trainFraction', t.trainFraction ?? 1, 1) };
    if (!('file' in teacher) && data.teacherPerClass < 1) throw new InvalidOptionError('data.teacherPerClass', d.teacherPerClass, 'an integer >= 1 when the teacher is trained here');
    if (!isPlainObject(c.experiment)) throw new InvalidOptionError('experiment', c.experiment, 'a @pikt/trainer experiment: { model, terms, optimizer, steps, seed }');
    return { data, teacher, experiment: c.experiment as JsonObject };
  } catch (err) {
    if (err instanceof InvalidOptionError) throw new PiktError('PIKT_BAD_CONFIG', `${path}: ${err.message}`, '', { cause: err });
    throw err;
  }
}
