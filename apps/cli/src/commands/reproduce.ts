import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { PiktError } from '@pikt/core';
import { linalgKernels } from '@pikt/linalg';
import { UsageError } from '../args.js';
import { activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from '../cli.js';
import { createProgress, formatDuration } from '../progress/progress.js';
import { verdictTally } from '../report/markdown.js';
import { TASK_FLAGS } from './task-flags.js';
import type { ExperimentReport, ReportDocument } from '../report/types.js';
import { writeReport } from '../report/write-report.js';
import { summarizeClaims } from '../report/summary.js';
import { legacyResultsFiles, openResultsStore } from '../results/results-store.js';
import { holdOutput } from '../output-guard/guard.js';
import { REPRODUCE_FILES, jsonWithNumbers, runWarnings } from './reproduce-output.js';
import { createRunExecutor } from '../reproduce/executor.js';
import type { ReproduceConfig } from '../reproduce/executor.js';
import { resolvePlan, taskConfigFor } from '../reproduce/run-spec.js';
import { EXPERIMENTS } from '../reproduce/experiments/index.js';
import { getPreset } from '../reproduce/presets.js';
import { executePlan } from '../reproduce/run-plan.js';
import { estimatePlan } from '../reproduce/experiments/cost-estimate.js';
import { SCHEDULER_FLAGS, executorFromFlags } from '../scheduler/executors.js';
import { checkDataDir } from '../reproduce/task.js';
import type { DatasetName } from '../reproduce/task.js';

function parseExperiments(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const known = EXPERIMENTS.map((e) => e.id as string);
  const bad = ids.filter((id) => !known.includes(id));
  if (bad.length > 0 || ids.length === 0) throw new UsageError(`--experiments got ${bad.length ? `unknown ${bad.join(', ')}` : 'nothing'}.`, `Use a comma-separated subset of ${known.join(',')}.`);
  return known.filter((id) => ids.includes(id));
}

export const reproduceCommand: CommandDefinition = {
  name: 'reproduce',
  summary: 'run the paper\'s experiments E1-E6 and E7 (where the theory breaks): measured vs predicted numbers, figures and a report',
  flags: {
    ...TASK_FLAGS,
    out: { type: 'string', value: 'DIR', default: './pikt-report', description: 'output folder: results.json, figures/, report.html, report.md' },
    experiments: { type: 'string', value: 'LIST', default: 'E1,E2,E3,E4,E5,E6,E7', description: 'which experiments, comma-separated' },
    seed: { type: 'number', range: 'integer', description: 'override the preset\'s seed' },
    resume: { type: 'boolean', description: 'continue the results.json in --out: finished runs are not recomputed' },
    force: { type: 'boolean', description: 'start over even if --out holds results' },
    'skip-png': { type: 'boolean', description: 'write SVG figures only' },
    json: { type: 'boolean', description: 'print a JSON summary instead of text' },
    ...SCHEDULER_FLAGS,
  },
  examples: [
    'pikt reproduce                                   # quick preset on MNIST, report in ./pikt-report',
    'pikt reproduce --preset full --out full-report',
    'pikt reproduce --resume                          # after Ctrl-C: finished runs are kept',
    'pikt reproduce --dataset cifar10 --data-dir ~/cifar-10-batches-bin --experiments E1,E2',
  ],
  async run({ io, flags, defer }) {
    const started = performance.now();
    if (flags.resume && flags.force) throw new UsageError('--resume and --force contradict each other.', 'Pass one of them.');
    const dataDir = flags['data-dir'] as string | undefined;
    checkDataDir(dataDir === undefined ? undefined : resolve(io.cwd, dataDir));
    // Before any work: --out is a writable folder, no other pikt holds it, no file there is the user's.
    const out = resolve(io.cwd, flags.out as string);
    const guard = await holdOutput({ io, defer }, out, {
      command: 'reproduce', kind: 'dir', force: Boolean(flags.force), resume: Boolean(flags.resume), planned: REPRODUCE_FILES, plannedDirs: ['figures'],
      inputs: [dataDir === undefined ? undefined : resolve(io.cwd, dataDir)], adopt: legacyResultsFiles,
    });
    const preset = getPreset(flags.preset as string);
    if (typeof flags.seed === 'number') preset.seed = flags.seed;
    const experiments = parseExperiments(flags.experiments as string);
    const scheduler = await executorFromFlags(flags, flags.backend as BackendChoice);
    const config: ReproduceConfig = {
      preset, experiments, backend: flags.backend as string,
      task: taskConfigFor(preset, flags.dataset as DatasetName, dataDir === undefined ? undefined : resolve(io.cwd, dataDir)),
    };
    const backend = await activateBackend(flags.backend as BackendChoice);
    const store = await openResultsStore({
      dir: out, config, resume: Boolean(flags.resume), force: Boolean(flags.force), write: guard.write,
      environment: { backend: backend.id, device: String(backend.features.device ?? ''), node: process.version, cpus: cpus().length, ...kernelsUsed() },
    });
    const progress = createProgress({ write: (t) => io.stderr.write(t), isTTY: io.isTTY, columns: io.columns });
    const defs = EXPERIMENTS.filter((e) => experiments.includes(e.id));
    const plan = resolvePlan(defs.flatMap((e) => e.plan(preset)), preset, config.task);
    progress.log(`pikt reproduce: ${plan.length} runs (${experiments.join(', ')}), preset ${preset.name}, ${config.task.dataset}, backend ${backend.id}, on ${scheduler.words}${store.resumedRuns ? `, resuming with ${store.resumedRuns} finished` : ''}`);
    const estimate = estimatePlan(plan);
    progress.log(`estimated ${formatDuration(estimate.seconds * 1000)} on one wasm worker of an idle 2-core machine (${estimate.distinctRuns} distinct runs)`);
    const outcome = await executePlan(plan, scheduler.executor, store, progress, io.signal).finally(() => scheduler.executor.close());
    progress.close();
    if (outcome.aborted) {
      const kept = outcome.computed.length + outcome.reused.length;
      io.stderr.write(`pikt reproduce: interrupted; ${kept} finished run(s) are kept in ${store.path}. Rerun with --resume to continue.\n`);
      return EXIT_INTERRUPTED;
    }
    const order = Object.fromEntries(defs.map((e) => [e.id, e.plan(preset).map((r) => r.label)]));
    await store.reorder(order);
    const data = store.snapshot();
    const setup = (await createRunExecutor().task(config.task)).description;
    // Failed runs (recorded with their reason, the plan went on) are listed, not judged.
    const sections: ExperimentReport[] = defs.map((e) => e.report((data.experiments[e.id]?.runs ?? []).filter((r) => !r.failure), { preset, setup }));
    const failedRuns = defs.flatMap((e) => (data.experiments[e.id]?.runs ?? []).filter((r) => r.failure).map((r) => ({ experiment: e.id, label: r.label, reason: r.failure?.message ?? 'unknown' })));
    await store.putVerdicts(Object.fromEntries(sections.map((s) => [s.id, s.verdicts])));
    const doc: ReportDocument = {
      title: 'pikt: knowledge transfer in the kernel regime, measured against the theory',
      summary: `pikt reproduce --preset ${preset.name} --dataset ${config.task.dataset} --backend ${backend.id}: experiments ${experiments.join(', ')} of SCIENCE.md section 6 (Panahi et al., CIKM 2022, in pikt's formulation).`,
      environment: { backend: `${backend.id} (${backend.features.device ?? ''})`, node: process.version, cpus: cpus().length, ...kernelsUsed() },
      experiments: sections,
      claims: summarizeClaims(sections),
      ...(failedRuns.length > 0 ? { failedRuns } : {}),
    };
    const written = await writeReport(out, doc, { png: !flags['skip-png'], write: guard.write });
    for (const w of written.warnings) progress.log(`warning: ${w}`);
    const wallMs = Math.round(performance.now() - started);
    const verdicts = sections.flatMap((s) => s.verdicts);
    const tally = { holds: verdicts.filter((v) => v.holds === true).length, fails: verdicts.filter((v) => v.holds === false).length, unchecked: verdicts.filter((v) => v.holds === null).length };
    if (flags.json) {
      io.stdout.write(`${jsonWithNumbers({ out, results: store.path, report: resolve(out, 'report.html'), computed: outcome.computed, reused: outcome.reused, failed: outcome.failed, wallMs, verdicts: tally, files: written.files }, data, sections)}\n`);
    } else {
      for (const w of runWarnings(data)) io.stderr.write(`pikt reproduce: warning: ${w}\n`);
      const lines = [
        `pikt reproduce: ${outcome.computed.length} run(s) computed, ${outcome.reused.length} reused, in ${formatDuration(wallMs)}.`,
        ...sections.map((s) => `  ${s.id} ${s.title}: ${verdictTally(s.verdicts)}`),
        `Report: ${resolve(out, 'report.html')} (and report.md, figures/, results.json)`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    if (plan.length === 0) throw new PiktError('PIKT_EMPTY_PLAN', 'No run was planned.', 'Check --experiments.');
    if (outcome.failed.length > 0) {
      io.stderr.write(`pikt reproduce: ${outcome.failed.length} run(s) failed (recorded in ${store.path}; rerun with --resume to retry them): ${outcome.failed.join('; ')}\n`);
      return EXIT_FAILURE;
    }
    return 0;
  },
};

/** The float64 kernels the analysis runs on, for results.json and the report (a JS fallback says why). */
function kernelsUsed(): { linalgKernels: 'wasm-simd' | 'js'; linalgKernelsReason?: string } {
  const k = linalgKernels();
  return k.kind === 'js' ? { linalgKernels: 'js', linalgKernelsReason: k.reason } : { linalgKernels: 'wasm-simd' };
}
