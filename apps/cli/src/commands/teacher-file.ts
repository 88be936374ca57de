import { readFile } from 'node:fs/promises';
import { PiktError } from '@pikt/core';
import { wrapFsError } from '../output-guard/fs-errors.js';
import type { TaskConfig } from '../reproduce/task.js';

/**
 * The task a teacher's outputs belong to: the data set, the class pair, the per-class counts of
 * the student's train and test sets and of the teacher's pool, the PCA size and the seed (which
 * picks the samples). Outputs are only meaningful on exactly this task.
 */
export type TaskFingerprint = { dataset: string } & Pick<TaskConfig, 'classes' | 'trainPerClass' | 'testPerClass' | 'teacherPerClass' | 'pcaDim' | 'seed'>;

export const FINGERPRINT_FIELDS = ['dataset', 'classes', 'trainPerClass', 'testPerClass', 'teacherPerClass', 'pcaDim', 'seed'] as const;

export function taskFingerprint(task: TaskConfig): TaskFingerprint {
  return {
    dataset: task.dataset, classes: [task.classes[0], task.classes[1]], trainPerClass: task.trainPerClass, testPerClass: task.testPerClass,
    teacherPerClass: task.teacherPerClass, pcaDim: task.pcaDim, seed: task.seed,
  };
}

/** The teacher file does not belong to this task; names the first field that differs. */
export class TeacherMismatchError extends PiktError {
  constructor(readonly file: string, readonly field: string, readonly found: unknown, readonly expected: unknown) {
    super('PIKT_TEACHER_MISMATCH',
      `Teacher file ${file} was made for another task: ${field} is ${JSON.stringify(found)} there, ${JSON.stringify(expected)} in this config's data.`,
      'Train the teacher for this task (pikt train-teacher with the same data settings), or let distill train it.');
  }
}

const badFile = (file: string, what: string) => new PiktError('PIKT_BAD_TEACHER_FILE', `Teacher file ${file} ${what}.`, 'Write it with "pikt train-teacher --out FILE".');

/**
 * Read a teacher file and check its fingerprint against `expected` before any data is loaded.
 * Files without a fingerprint (before it existed) are checked through their `task` field.
 */
export async function readTeacherFile(file: string, expected: TaskFingerprint): Promise<{ z: unknown; zTest: unknown }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw wrapFsError(err, 'read the teacher file', file);
  }
  let parsed: { fingerprint?: unknown; task?: unknown; z?: unknown; zTest?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (err) {
    throw badFile(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badFile(file, 'is not a JSON object');
  const fp = (parsed.fingerprint ?? parsed.task) as Record<string, unknown> | undefined;
  if (!fp || typeof fp !== 'object') throw badFile(file, 'carries no task fingerprint');
  for (const field of FINGERPRINT_FIELDS) {
    if (JSON.stringify(fp[field]) !== JSON.stringify(expected[field])) throw new TeacherMismatchError(file, `data.${field}`, fp[field], expected[field]);
  }
  for (const key of ['z', 'zTest'] as const) {
    const v = parsed[key];
    if (!Array.isArray(v)) throw badFile(file, `has no "${key}" array`);
    const i = v.findIndex((e) => typeof e !== 'number' || !Number.isFinite(e));
    if (i >= 0) throw badFile(file, `holds ${JSON.stringify(v[i])} at ${key}[${i}], not a finite number`);
  }
  return { z: parsed.z, zTest: parsed.zTest };
}
