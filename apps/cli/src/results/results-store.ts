import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PiktError } from '@pikt/core';
import type { JsonObject } from '@pikt/core';
import { canonicalJson, writeFileAtomic } from '@pikt/core';
import { wrapFsError } from '../output-guard/fs-errors.js';
import { RESULTS_VERSION } from './types.js';
import type { ResultsEnvironment, ResultsFile, RunRecord } from './types.js';
import type { Verdict } from '../report/types.js';

export interface ResultsStore {
  readonly path: string;
  /** The finished run `label` of `experiment`, if any. */
  get(experiment: string, label: string): RunRecord | undefined;
  /** Store a finished run (replacing one with the same label) and write results.json atomically. */
  put(experiment: string, run: RunRecord): Promise<void>;
  /** Order each experiment's runs as `order` lists them (labels not listed go last) and write. */
  reorder(order: Record<string, readonly string[]>): Promise<void>;
  /** Record each experiment's verdicts (as the report states them) and write. */
  putVerdicts(verdicts: Record<string, Verdict[]>): Promise<void>;
  /** A deep copy of the current file content. */
  snapshot(): ResultsFile;
  /** How many runs were found in the file when it was opened with `resume`. */
  readonly resumedRuns: number;
}

export interface OpenResultsOptions {
  dir: string;
  config: JsonObject;
  environment: ResultsEnvironment;
  /** Continue the file found in `dir` (its config must equal `config`). */
  resume?: boolean;
  /** Start over even when `dir` holds results (they are replaced on the first write, even a corrupt file). */
  force?: boolean;
  /** How to write results.json (the CLI passes its output guard's write); default writeFileAtomic. */
  write?: (path: string, text: string) => Promise<void>;
}


async function readExisting(path: string, force: boolean): Promise<ResultsFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw wrapFsError(err, 'read', path);
  }
  let parsed: ResultsFile | undefined;
  let problem = '';
  try {
    parsed = JSON.parse(text) as ResultsFile;
    if (parsed?.version !== RESULTS_VERSION || typeof parsed.experiments !== 'object' || parsed.experiments === null) {
      problem = `is not a pikt results file of version ${RESULTS_VERSION}`;
    }
  } catch (err) {
    problem = `is not valid JSON (${(err as Error).message})`;
  }
  if (!problem) return parsed;
  // --force starts over: the damaged file is replaced by the first run's write.
  if (force) return undefined;
  throw new PiktError('PIKT_RESULTS_CORRUPT', `${path} ${problem}: its runs cannot be resumed.`,
    'Rerun with --force to start over and replace it (pikt replaces only files it wrote), or restore it from a backup, or choose another --out folder.');
}

/**
 * Files a pikt of before the manifest wrote in `dir`, recognized by a valid pikt results.json
 * there: results.json, the report and the figures. Empty for any other folder.
 */
export async function legacyResultsFiles(dir: string): Promise<string[]> {
  let parsed: ResultsFile | undefined;
  try {
    parsed = await readExisting(join(dir, 'results.json'), true);
  } catch {
    return [];
  }
  if (!parsed) return [];
  const { readdir } = await import('node:fs/promises');
  const figures = await readdir(join(dir, 'figures')).catch(() => [] as string[]);
  return ['results.json', 'report.md', 'report.html', ...figures.filter((f) => /\.(svg|png)$/.test(f)).map((f) => `figures/${f}`)];
}

/**
 * Open (or create) `results.json` in `dir`. Every `put` rewrites the whole file atomically, so a
 * run killed at any moment leaves every finished run on disk, and `--resume` picks them up.
 */
export async function openResultsStore(options: OpenResultsOptions): Promise<ResultsStore> {
  const path = join(options.dir, 'results.json');
  const existing = await readExisting(path, Boolean(options.force) && !options.resume);
  let data: ResultsFile = { version: RESULTS_VERSION, config: options.config, environment: options.environment, experiments: {} };
  let resumedRuns = 0;
  if (existing && options.resume) {
    if (canonicalJson(existing.config) !== canonicalJson(options.config)) {
      throw new PiktError('PIKT_RESUME_MISMATCH', `${path} was written with a different configuration than this command's.`,
        'Resume with the same flags as the first run, or pick another --out folder.');
    }
    data = { ...existing, environment: options.environment };
    resumedRuns = Object.values(existing.experiments).reduce((s, e) => s + (e.runs?.length ?? 0), 0);
  } else if (existing && !options.force) {
    throw new PiktError('PIKT_RESULTS_EXIST', `${options.dir} already holds results.json from an earlier run.`,
      'Pass --resume to continue it, --force to start over, or choose another --out folder.');
  }
  const writeText = options.write ?? writeFileAtomic;
  const write = () => writeText(path, `${JSON.stringify(data, null, 2)}\n`);
  return {
    path,
    resumedRuns,
    get(experiment, label) {
      return data.experiments[experiment]?.runs.find((r) => r.label === label);
    },
    async put(experiment, run) {
      const exp = (data.experiments[experiment] ??= { runs: [] });
      const i = exp.runs.findIndex((r) => r.label === run.label);
      if (i >= 0) exp.runs[i] = run; else exp.runs.push(run);
      await write();
    },
    async reorder(order) {
      const sorted: ResultsFile['experiments'] = {};
      const ids = [...Object.keys(order), ...Object.keys(data.experiments).filter((k) => !(k in order))];
      for (const id of ids) {
        const exp = data.experiments[id];
        if (!exp) continue;
        const rank = (label: string) => { const r = order[id]?.indexOf(label) ?? -1; return r < 0 ? Number.MAX_SAFE_INTEGER : r; };
        sorted[id] = { ...exp, runs: [...exp.runs].sort((a, b) => rank(a.label) - rank(b.label)) };
      }
      data = { ...data, experiments: sorted };
      await write();
    },
    async putVerdicts(verdicts) {
      for (const [id, vs] of Object.entries(verdicts)) {
        const exp = (data.experiments[id] ??= { runs: [] });
        exp.verdicts = vs;
      }
      await write();
    },
    snapshot: () => JSON.parse(JSON.stringify(data)) as ResultsFile,
  };
}
