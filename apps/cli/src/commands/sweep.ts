import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { JsonObject } from '@pikt/core';
import { fingerprint, scheduleRuns } from '@pikt/runner';
import { activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from '../cli.js';
import { holdOutput } from '../output-guard/guard.js';
import { createProgress, formatDuration } from '../progress/progress.js';
import { writeReport } from '../report/write-report.js';
import { createRunExecutor } from '../reproduce/executor.js';
import { getPreset } from '../reproduce/presets.js';
import { recordOf } from '../reproduce/run-plan.js';
import { studentRunSpec, taskConfigFor } from '../reproduce/run-spec.js';
import { checkDataDir } from '../reproduce/task.js';
import type { DatasetName } from '../reproduce/task.js';
import { SCHEDULER_FLAGS, executorFromFlags, positiveIntFlag } from '../scheduler/executors.js';
import { configurations, knobsOf, parseGrid } from '../sweep/grid.js';
import { summarize } from '../sweep/summary.js';
import type { SweepRun } from '../sweep/summary.js';
import { sweepSection } from '../sweep/sweep-report.js';
import { REPRODUCE_FILES } from './reproduce-output.js';
import { TASK_FLAGS } from './task-flags.js';

/** Finished runs of an earlier sweep in the same folder, by fingerprint (identity: valid in any sweep). */
async function finishedRuns(path: string): Promise<Map<string, SweepRun>> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch { return new Map(); }
  try {
    const runs = (JSON.parse(text) as { runs?: SweepRun[] }).runs ?? [];
    return new Map(runs.filter((r) => typeof r.fingerprint === 'string' && !r.failure).map((r) => [r.fingerprint, r]));
  } catch {
    return new Map();
  }
}

export const sweepCommand: CommandDefinition = {
  name: 'sweep',
  summary: 'a grid over lambda, width, teacher, embedding, regularizer and steps, over seeds: mean and sd, measured beside predicted',
  flags: {
    ...TASK_FLAGS,
    grid: { type: 'string', multiple: true, value: 'KEY=V1,V2', description: 'a knob and its values (repeatable): lambda, width, teacher, embedding, regularizer, steps' },
    seeds: { type: 'string', value: 'S', description: 'student initializations per configuration (default 1)' },
    out: { type: 'string', value: 'DIR', default: './pikt-sweep', description: 'output folder: results.json, report.md, report.html, figures/' },
    'skip-png': { type: 'boolean', description: 'write SVG figures only' },
    json: { type: 'boolean', description: 'print a JSON summary instead of text' },
    ...SCHEDULER_FLAGS,
  },
  examples: [
    'pikt sweep --preset tiny --grid lambda=0,1,4 --grid width=512,2048 --seeds 3',
    'pikt sweep --grid regularizer=quadratic,kl --queue redis://queue-host:6379     # runs on pikt worker processes',
  ],
  async run({ io, flags, defer }) {
    const started = performance.now();
    const preset = getPreset(flags.preset as string);
    const grid = parseGrid((flags.grid as string[] | undefined) ?? [], preset);
    const seeds = positiveIntFlag('seeds', flags.seeds, 1, 'Pass how many student initializations per configuration, e.g. --seeds 3.');
    const scheduler = await executorFromFlags(flags, flags.backend as BackendChoice);
    const dataDir = flags['data-dir'] === undefined ? undefined : resolve(io.cwd, flags['data-dir'] as string);
    checkDataDir(dataDir);
    const task = taskConfigFor(preset, flags.dataset as DatasetName, dataDir);
    const configs = configurations(grid, preset);
    const plan = configs.flatMap((params) => Array.from({ length: seeds }, (_, seed) => {
      const spec = studentRunSpec(preset, task, knobsOf(params, seed));
      return { params, seed, spec, fingerprint: fingerprint(spec) };
    }));
    const out = resolve(io.cwd, flags.out as string);
    // After the queue answered, before any work: --out is a writable folder no other pikt holds, with
    // no file of the user's where the sweep writes. A sweep always continues its folder's runs.
    const guard = await holdOutput({ io, defer }, out, {
      command: 'sweep', kind: 'dir', resume: true, planned: REPRODUCE_FILES, plannedDirs: ['figures'], inputs: [dataDir],
    });
    const path = join(out, 'results.json');
    const reused = await finishedRuns(path);
    const runs = new Map<string, SweepRun>();
    for (const p of plan) { const r = reused.get(p.fingerprint); if (r) runs.set(p.fingerprint, { ...r, params: p.params, seed: p.seed }); }
    const backend = await activateBackend(flags.backend as BackendChoice);
    const config = { preset, task, grid, seeds, backend: backend.id } as unknown as JsonObject;
    const environment = { backend: backend.id, node: process.version, cpus: cpus().length, executor: scheduler.words };
    const file = () => {
      const list = plan.map((p) => runs.get(p.fingerprint)).filter((r): r is SweepRun => r !== undefined);
      return { version: 1, kind: 'sweep', config, environment, runs: list, summary: summarize(configs, list) };
    };
    const progress = createProgress({ write: (t) => io.stderr.write(t), isTTY: io.isTTY, columns: io.columns });
    const todo = new Set(plan.filter((p) => !runs.has(p.fingerprint)).map((p) => p.fingerprint)).size;
    progress.log(`pikt sweep: ${configs.length} configuration(s) x ${seeds} seed(s) = ${plan.length} runs (${todo} to compute${runs.size ? `, ${runs.size} found in ${path}` : ''}), preset ${preset.name}, on ${scheduler.words}`);
    let done = 0;
    const byFp = new Map(plan.map((p) => [p.fingerprint, p]));
    const result = await scheduleRuns(plan.map((p) => p.spec), {
      executor: scheduler.executor, signal: io.signal, known: (fp) => runs.has(fp),
      onEvent: (e) => { if (e.type === 'retrying') progress.log(`retrying ${e.fingerprint}: ${e.reason}`); },
      async onOutcome(o) {
        const p = byFp.get(o.fingerprint)!;
        const rec = recordOf({ label: '', params: null as never }, o.fingerprint, o);
        runs.set(o.fingerprint, { fingerprint: o.fingerprint, params: p.params, seed: p.seed, measured: rec.measured, predicted: rec.predicted, ...(rec.failure ? { failure: rec.failure } : {}) });
        await guard.write(path, `${JSON.stringify(file(), null, 2)}\n`);
        done += 1;
        progress.log(`[${done}/${todo}] ${o.status === 'done' ? 'finished' : `FAILED (${o.error.message})`} ${JSON.stringify(p.params)} seed ${p.seed}`);
      },
    }).finally(() => scheduler.executor.close());
    progress.close();
    if (result.aborted) {
      io.stderr.write(`pikt sweep: interrupted; ${runs.size} finished run(s) are kept in ${path}. Rerun the same command to continue.\n`);
      return EXIT_INTERRUPTED;
    }
    const data = file();
    await guard.write(path, `${JSON.stringify(data, null, 2)}\n`);
    const failed = data.runs.filter((r) => r.failure).map((r) => `${JSON.stringify(r.params)} seed ${r.seed}: ${r.failure!.message}`);
    const setup = `${(await createRunExecutor().task(task)).description}. Every other knob as in the ${preset.name} preset; seed s changes the student's initialization only.`;
    const written = await writeReport(out, {
      title: 'pikt sweep: measured vs predicted across a grid, over seeds',
      summary: `pikt sweep --preset ${preset.name} ${grid.map((g) => `--grid ${g.key}=${g.values.join(',')}`).join(' ')} --seeds ${seeds}`,
      environment: { backend: backend.id, node: process.version, cpus: cpus().length },
      experiments: [sweepSection(grid, seeds, data.summary, setup, failed)],
    }, { png: !flags['skip-png'], write: guard.write });
    const wallMs = Math.round(performance.now() - started);
    if (flags.json) io.stdout.write(`${JSON.stringify({ out, results: path, runs: data.runs.length, computed: result.outcomes.size, reused: result.skipped.length, failed, wallMs, files: written.files }, null, 2)}\n`);
    else io.stdout.write(`pikt sweep: ${result.outcomes.size} run(s) computed, ${result.skipped.length} reused, ${failed.length} failed, in ${formatDuration(wallMs)}. Report: ${join(out, 'report.html')}\n`);
    if (failed.length > 0) {
      io.stderr.write(`pikt sweep: ${failed.length} run(s) failed (recorded in ${path}): ${failed.join('; ')}\n`);
      return EXIT_FAILURE;
    }
    return 0;
  },
};
