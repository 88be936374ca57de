import { UsageError } from '../args.js';
import type { Preset } from '../reproduce/presets.js';
import { EMBEDDINGS, piTerm } from '../reproduce/run-spec.js';
import type { StudentKnobs } from '../reproduce/run-spec.js';

/** The knobs a sweep varies; the rest come from the preset. */
export const GRID_KEYS = ['lambda', 'width', 'teacher', 'embedding', 'regularizer', 'steps'] as const;
export type GridKey = (typeof GRID_KEYS)[number];

/** One configuration of a sweep (results.json `params`), plain JSON. */
export interface SweepParams {
  lambda: number;
  width: number;
  /** A teacher quality of the preset, or 'none'. */
  teacher: string;
  embedding: string;
  regularizer: string;
  steps: number;
}

export type Grid = Array<{ key: GridKey; values: Array<number | string> }>;

const hint = `Write --grid key=v1,v2 with key one of ${GRID_KEYS.join(', ')}, e.g. --grid lambda=0,1 --grid width=512,2048.`;

function value(key: GridKey, text: string, preset: Preset): number | string {
  const num = Number(text);
  const bad = (expected: string) => new UsageError(`--grid ${key} got "${text}"; expected ${expected}.`, hint);
  if (key === 'lambda') { if (text.trim() === '' || !Number.isFinite(num) || num < 0) throw bad('a number >= 0'); return num; }
  if (key === 'width' || key === 'steps') { if (!/^\d+$/.test(text) || num < 1) throw bad('an integer >= 1'); return num; }
  if (key === 'teacher') {
    const known = [...preset.teacherQualities.map((q) => q.label), 'none'];
    if (!known.includes(text)) throw bad(`one of ${known.join(', ')}`);
    return text;
  }
  if (key === 'embedding') { if (!(EMBEDDINGS as readonly string[]).includes(text)) throw bad(`one of ${EMBEDDINGS.join(', ')}`); return text; }
  if (!piTerm(text, 1, preset)) throw bad('one of quadratic, kl, kl-T<temperature>, feature-matching');
  return text;
}

/** Parse the --grid flags: each `key=v1,v2,...`, every key once, at least one. Usage errors name the flag. */
export function parseGrid(flags: readonly string[], preset: Preset): Grid {
  if (flags.length === 0) throw new UsageError('The grid is empty: nothing to sweep.', hint);
  const grid: Grid = [];
  for (const f of flags) {
    const m = /^([^=]*)=(.*)$/.exec(f);
    if (!m || m[2] === '') throw new UsageError(`--grid "${f}" is malformed.`, hint);
    const key = m[1].trim();
    if (!(GRID_KEYS as readonly string[]).includes(key)) throw new UsageError(`--grid has unknown key "${key}".`, hint);
    if (grid.some((g) => g.key === key)) throw new UsageError(`--grid gives "${key}" twice.`, 'Give each key once, with all its values: --grid lambda=0,1,4.');
    const values = m[2].split(',').map((v) => value(key as GridKey, v.trim(), preset));
    if (new Set(values).size !== values.length) throw new UsageError(`--grid ${key} repeats a value.`, 'List each value once.');
    grid.push({ key: key as GridKey, values });
  }
  return grid;
}

/** The preset's default configuration (what a key the grid does not vary is set to). */
export function defaultParams(preset: Preset): SweepParams {
  return { lambda: preset.lambda, width: preset.width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic', steps: preset.steps };
}

/** Every configuration of the grid (cartesian product, in the order the flags list keys and values). */
export function configurations(grid: Grid, preset: Preset): SweepParams[] {
  let out: SweepParams[] = [defaultParams(preset)];
  for (const { key, values } of grid) out = out.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return out;
}

/** The student knobs of a configuration at seed index `seed` (0: the preset's own initialization). */
export function knobsOf(p: SweepParams, seed: number): StudentKnobs {
  return { lambda: p.lambda, width: p.width, teacher: p.teacher === 'none' ? null : p.teacher, embedding: p.embedding, regularizer: p.regularizer, steps: p.steps, seedIndex: seed };
}
