import { dirname, relative, resolve } from 'node:path';
import type { CommandDefinition } from '../cli.js';
import { EXIT_INTERRUPTED } from '../cli.js';
import { activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import { holdOutput } from '../output-guard/guard.js';
import { assertFiniteResult } from './numeric-checks.js';
import { taskFingerprint } from './teacher-file.js';
import { checkTeacherSize } from './distill-size.js';
import { createProgress } from '../progress/progress.js';
import { formatNumber } from '../report/format.js';
import { taskConfigFor, teacherSpecFor } from '../reproduce/run-spec.js';
import { getPreset } from '../reproduce/presets.js';
import { checkDataDir, prepareTask } from '../reproduce/task.js';
import type { DatasetName } from '../reproduce/task.js';
import { trainTeacher } from '../reproduce/teacher.js';
import { TASK_FLAGS } from './task-flags.js';

/** Format of the file `pikt train-teacher` writes and `pikt distill` reads (`teacher.file`). */
export const TEACHER_FILE_VERSION = 1;

export const trainTeacherCommand: CommandDefinition = {
  name: 'train-teacher',
  summary: 'train a teacher (MLP) on a preset\'s task and save its weights and its outputs z on the student\'s train and test inputs',
  flags: {
    ...TASK_FLAGS,
    hidden: { type: 'number', range: 'integer', min: 1, description: 'hidden units (default: the preset\'s)' },
    steps: { type: 'number', range: 'integer', min: 1, description: 'Adam steps (default: the preset\'s)' },
    lr: { type: 'number', range: 'positive', description: 'Adam learning rate (default: the preset\'s)' },
    'train-fraction': { type: 'number', range: 'positive', max: 1, default: 1, description: 'fraction of the teacher pool to train on (quality knob), in (0, 1]' },
    out: { type: 'string', value: 'FILE', default: 'teacher.json', description: 'where to write the teacher\'s outputs' },
    force: { type: 'boolean', description: 'replace --out if pikt wrote it earlier (never a file pikt did not write)' },
    weights: { type: 'string', value: 'DIR', description: 'where to save the teacher\'s weights (model.json + weights.bin; default: FILE of --out with .weights for .json)' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  examples: [
    'pikt train-teacher --out teacher.json',
    'pikt train-teacher --preset tiny --train-fraction 0.1 --steps 20 --out weak-teacher.json --json',
  ],
  async run({ io, flags, defer }) {
    const dataDir = flags['data-dir'] === undefined ? undefined : resolve(io.cwd, flags['data-dir'] as string);
    checkDataDir(dataDir);
    // Before training: --out is a file pikt may write (not a folder, not someone else's file), locked.
    const out = resolve(io.cwd, flags.out as string);
    const guard = await holdOutput({ io, defer }, out, { command: 'train-teacher', kind: 'file', force: Boolean(flags.force), inputs: [dataDir] });
    // The weights folder too: locked, and never a user's model.json / weights.bin replaced.
    const weights = resolve(io.cwd, (flags.weights as string | undefined) ?? `${out.replace(/\.json$/, '')}.weights`);
    const weightsGuard = await holdOutput({ io, defer }, weights, {
      command: 'train-teacher', kind: 'dir', force: Boolean(flags.force), planned: ['model.json', 'weights.bin'], inputs: [dataDir, out],
    });
    const preset = getPreset(flags.preset as string);
    const task = taskConfigFor(preset, flags.dataset as DatasetName, dataDir);
    const base = teacherSpecFor(preset, 'strong');
    const spec = {
      ...base, label: 'cli', trainFraction: flags['train-fraction'] as number,
      hidden: (flags.hidden as number | undefined) ?? base.hidden, steps: (flags.steps as number | undefined) ?? base.steps, lr: (flags.lr as number | undefined) ?? base.lr,
    };
    const long = checkTeacherSize(task, spec.hidden, spec.steps, flags.backend as string, '--hidden (or --steps)');
    if (long) io.stderr.write(`pikt train-teacher: warning: ${long}\n`);
    const backend = await activateBackend(flags.backend as BackendChoice);
    const progress = createProgress({ write: (t) => io.stderr.write(t), isTTY: io.isTTY, columns: io.columns });
    progress.task('teacher', 1, 1);
    const t = await trainTeacher(await prepareTask(task), spec, { signal: io.signal, reporters: [progress], saveWeightsTo: weights, write: weightsGuard.write });
    progress.close();
    if (!t) { io.stderr.write('pikt train-teacher: interrupted; nothing written.\n'); return EXIT_INTERRUPTED; }
    const file = { version: TEACHER_FILE_VERSION, fingerprint: taskFingerprint(task), task, teacher: spec, backend: backend.id, testAccuracy: t.testAccuracy, trainSamples: t.trainSamples, weights: relative(dirname(out), weights) || '.', z: Array.from(t.z), zTest: Array.from(t.zTest) };
    // `weights` (above) is relative to the outputs file, so the pair can be moved together.
    assertFiniteResult('train-teacher', { testAccuracy: t.testAccuracy, z: t.z, zTest: t.zTest }, 'Lower --lr or --steps: the teacher\'s training diverged.');
    await guard.write(out, `${JSON.stringify(file)}\n`);
    const summary = { out, weights, testAccuracy: t.testAccuracy, trainSamples: t.trainSamples, hidden: spec.hidden, steps: spec.steps };
    io.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `teacher: ${spec.hidden} hidden units, ${spec.steps} steps on ${t.trainSamples} samples; test accuracy ${formatNumber(t.testAccuracy)}; outputs written to ${out}, weights to ${weights}\n`);
    return 0;
  },
};
