import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';
import { nonFinitePaths } from './numeric-checks.js';

/**
 * Fuzz of the whole CLI, in process, against three promises of issue 14: never a stack trace or an
 * unexpected (non-pikt) error; never exit 0 with non-finite numbers (or a null where a number was
 * due) in the output; never a file written or changed outside the output (--out, or the command's
 * default output) and its folder's manifest. Inputs: random argument vectors, random and mutated
 * CSVs, distill configs and teacher files. Seeded, so a failure reproduces.
 */
const root = mkdtempSync(join(tmpdir(), 'pikt-cli-fuzz-'));
const inputs = join(root, 'in');
const work = join(root, 'work');
const SEED = 14;

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.isDirectory()) { out.set(`${relative(root, p)}/`, 'dir'); walk(p); } else out.set(relative(root, p), createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** The output a command may write: its --out (last one wins) or its default, resolved against cwd. */
function allowedOutput(argv: string[]): { path: string; dir: boolean } | undefined {
  const cmd = COMMANDS.find((c) => c.name === argv[0]);
  const spec = cmd?.flags.out;
  if (!spec) return undefined;
  let out = spec.default as string;
  argv.forEach((a, i) => { if (a === '--out' && argv[i + 1] !== undefined) out = argv[i + 1]; if (a.startsWith('--out=')) out = a.slice(6); });
  return { path: resolve(work, out), dir: argv[0] === 'reproduce' };
}

function allowed(file: string, out: { path: string; dir: boolean } | undefined): boolean {
  if (!out) return false;
  const abs = join(root, file.replace(/\/$/, ''));
  if (out.dir) return abs === out.path || abs.startsWith(`${out.path}${sep}`) || out.path.startsWith(`${abs}${sep}`);
  const base = dirname(out.path);
  // train-teacher also saves the teacher's weights beside --out (FILE.json -> FILE.weights/).
  const weights = out.path.replace(/\.json$/, '') + '.weights';
  if (abs === weights || abs.startsWith(`${weights}${sep}`)) return true;
  return abs === out.path || abs === join(base, '.pikt-manifest.json') || base.startsWith(`${abs}${sep}`) || abs === base;
}

const NULLABLE = /(^|\.)(withTeacher|withoutTeacher)$/;
function nullPaths(v: unknown, p = ''): string[] {
  if (v === null) return [p];
  if (Array.isArray(v)) return v.flatMap((x, i) => nullPaths(x, `${p}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nullPaths(x, p ? `${p}.${k}` : k));
  return [];
}

async function check(argv: string[]): Promise<number> {
  const before = snapshot(root);
  let out = '';
  let err = '';
  const code = await runCli(argv, COMMANDS, { cwd: work, isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  const what = `pikt ${argv.join(' ')} -> ${code}\n${err.slice(0, 400)}`;
  expect(err, what).not.toMatch(/unexpected error|\n\s+at .+:\d+:\d+/);
  expect([0, 1, 2, 130], what).toContain(code);
  if (code === 0) {
    // (the user's own words, e.g. a file named Infinity, may be echoed)
    const printed = argv.reduce((t, a) => (a.length > 2 ? t.split(a).join('') : t), out);
    expect(printed, what).not.toMatch(/\b(NaN|-?Infinity)\b/);
    if (argv.includes('--json') && argv[0] !== 'list' && !argv.includes('-h') && !argv.includes('--help')) {
      const o = JSON.parse(out) as unknown;
      expect(nonFinitePaths(o), what).toEqual([]);
      if (argv[0] !== 'reproduce') expect(nullPaths(o).filter((p) => !NULLABLE.test(p)), what).toEqual([]);
    }
  }
  const after = snapshot(root);
  const target = allowedOutput(argv);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k) && !allowed(k, target));
  expect(changed, what).toEqual([]);
  // Leave the next case a clean folder: remove what this one wrote.
  for (const k of after.keys()) if (!before.has(k) && k.startsWith('work/')) rmSync(join(root, k), { recursive: true, force: true });
  return code;
}

let fingerprint: Record<string, unknown> = {};
const experiment = { model: { id: 'wide-student', options: { width: 32 } }, terms: [{ id: 'label-fit' }, { id: 'quadratic-pi', name: 'pi' }], optimizer: { kind: 'gd', lr: 0.5 }, steps: 2, seed: 1 };
let teacherText = '';

beforeAll(async () => {
  mkdirSync(inputs, { recursive: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(inputs, 'X.csv'), 'a,b,c\n0.6,0.8,0\n1,0,0\n0,0.6,0.8\n0,1,0\n');
  writeFileSync(join(inputs, 'Y.csv'), '1\n-1\n1\n-1\n');
  writeFileSync(join(inputs, 'user-notes.txt'), 'mine');
  mkdirSync(join(inputs, 'adir'));
  const r = await runCli(['train-teacher', '--preset', 'tiny', '--steps', '2', '--out', join(inputs, 'teacher.json')], COMMANDS, { cwd: work, isTTY: false, stdout: { write: () => true }, stderr: { write: () => true } });
  expect(r).toBe(0);
  teacherText = readFileSync(join(inputs, 'teacher.json'), 'utf8');
  fingerprint = (JSON.parse(teacherText) as { fingerprint: Record<string, unknown> }).fingerprint;
  writeFileSync(join(inputs, 'exp.json'), JSON.stringify({ data: fingerprint, teacher: { file: join(inputs, 'teacher.json') }, experiment }));
}, 120_000);

/** A string with some bytes (chars) replaced, removed or repeated. */
const mutated = (text: string) => fc.array(fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.constantFrom('delete', 'dup', 'replace', 'cut'), fc.constantFrom(',', '\n', '"', 'x', 'NaN', '1e999', '-', '0x10', ' ', '', '\r', '{', '}', ']', 'null', '1e300', '\u0000', '9')), { maxLength: 4 })
  .map((edits) => edits.reduce((t, [at, op, s]) => (op === 'delete' ? t.slice(0, at) + t.slice(at + 1) : op === 'dup' ? t.slice(0, at) + t.slice(at, at + 8) + t.slice(at) : op === 'cut' ? t.slice(0, at) : t.slice(0, at) + s + t.slice(at + 1)), text));

/** A JSON value with some leaves (numbers, strings, arrays' items) replaced by odd values: still valid JSON. */
const leafMutated = (value: unknown) => fc.array(fc.tuple(fc.nat(), fc.constantFrom<unknown>(0, -1, 2, 1.5, 1e300, -1e300, 1e-300, 1e8, null, 'x', '', [], {}, true, [1, 2, 3])), { minLength: 1, maxLength: 3 })
  .map((edits) => {
    const v = JSON.parse(JSON.stringify(value)) as unknown;
    for (const [pick, replacement] of edits) {
      const leaves: Array<[Record<string, unknown> | unknown[], string | number]> = [];
      const walk = (x: unknown) => {
        if (x && typeof x === 'object') for (const [k, c] of Object.entries(x)) { leaves.push([x as Record<string, unknown>, Array.isArray(x) ? Number(k) : k]); walk(c); }
      };
      walk(v);
      if (leaves.length === 0) continue;
      const [parent, key] = leaves[pick % leaves.length];
      (parent as Record<string | number, unknown>)[key] = replacement;
    }
    return JSON.stringify(v);
  });

const weirdNumbers = ['0', '-1', '1.5', '2', '1e8', '1e300', '1e-300', '0x10', 'NaN', 'Infinity', '', ' ', 'abc', '1,5', '3'];
const paths = () => [join(inputs, 'X.csv'), join(inputs, 'Y.csv'), join(inputs, 'adir'), join(inputs, 'user-notes.txt'), join(inputs, 'exp.json'), join(inputs, 'teacher.json'), '/dev/zero', '/sys/kernel', join(inputs, 'missing.csv'), 'out.json', 'rep'];

describe('CLI fuzz (in process)', () => {
  it('random argument vectors', async () => {
    const flagValue = fc.oneof(fc.constantFrom(...weirdNumbers), fc.constantFrom(...paths()), fc.string({ maxLength: 6 }));
    const argv = fc.tuple(
      fc.constantFrom('analyze', 'distill', 'train-teacher', 'bench', 'list', 'reproduce', 'nope'),
      fc.array(fc.tuple(fc.constantFrom('--x', '--y', '--z', '--lambda', '--eta', '--eps', '--config', '--out', '--n', '--d', '--m', '--repeats', '--steps', '--hidden', '--train-fraction', '--json', '--force', '--resume', '--seed', '--experiments', '--bogus', '-h'), flagValue), { maxLength: 5 }),
    ).map(([cmd, pairs]) => {
      const a = [cmd, ...pairs.flatMap(([f, v]) => (['--json', '--force', '--resume', '-h'].includes(f) ? [f] : [f, v]))];
      // Keep the expensive commands small: tiny preset, one experiment, small bench sizes by default.
      if (cmd === 'reproduce' || cmd === 'train-teacher') a.push('--preset', 'tiny', '--skip-png', '--experiments', 'E1');
      if (cmd === 'train-teacher') a.splice(a.indexOf('--skip-png'), 3);
      if (cmd === 'bench') a.push('--n', '20', '--d', '4', '--m', '16', '--repeats', '1', '--backend', 'cpu');
      return a;
    });
    await fc.assert(fc.asyncProperty(argv, async (a) => { await check(a); }), { numRuns: 120, seed: SEED });
  }, 300_000);

  it('random and mutated CSVs for analyze', async () => {
    const valid = 'f1,f2\n0.6,0.8\n1,0\n0,1\n-0.6,0.8\n';
    const csv = fc.oneof(fc.constant(valid), mutated(valid), fc.string({ maxLength: 40 }), fc.array(fc.array(fc.oneof(fc.double(), fc.constantFrom('nan', '', 'x')), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\n')));
    let analyzed = 0;
    await fc.assert(fc.asyncProperty(csv, fc.constantFrom('1\n-1\n1\n-1\n', '1e300\n1\n1\n1\n', '1\n'), async (x, y) => {
      writeFileSync(join(work, 'fx.csv'), x);
      writeFileSync(join(work, 'fy.csv'), y);
      if ((await check(['analyze', '--x', 'fx.csv', '--y', 'fy.csv', '--json'])) === 0) analyzed += 1;
    }), { numRuns: 80, seed: SEED });
    expect(analyzed).toBeGreaterThan(0);
  }, 300_000);

  it('mutated distill configs and teacher files', async () => {
    const cfg = { data: fingerprint, teacher: { file: 'fteacher.json' }, experiment };
    const config = JSON.stringify(cfg);
    const teacher = JSON.parse(teacherText) as Record<string, unknown>;
    const small = { ...teacher, z: (teacher.z as number[]).slice(0, 3) };
    const configs = fc.oneof({ weight: 1, arbitrary: fc.constant(config) }, { weight: 2, arbitrary: mutated(config) }, { weight: 4, arbitrary: leafMutated(cfg) });
    // Teacher files: as written, with bytes mutated, or with a leaf of a shortened copy replaced (valid JSON, wrong values).
    const teachers = fc.oneof(fc.constant(teacherText), mutated(teacherText.slice(0, 600)), leafMutated(small).map((t) => { const o = JSON.parse(t); o.z = o.z?.length === 3 ? teacher.z : o.z; return JSON.stringify(o); }));
    let trained = 0;
    await fc.assert(fc.asyncProperty(configs, teachers, async (c, t) => {
      writeFileSync(join(work, 'fcfg.json'), c);
      writeFileSync(join(work, 'fteacher.json'), t);
      if ((await check(['distill', '--config', 'fcfg.json', '--out', 'fres.json', '--json', '--backend', 'cpu'])) === 0) trained += 1;
    }), { numRuns: 50, seed: SEED });
    // The property saw successful runs too, not only refusals.
    expect(trained).toBeGreaterThan(0);
  }, 300_000);
});
