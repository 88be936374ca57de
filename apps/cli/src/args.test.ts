import { describe, expect, it } from 'vitest';
import { formatHelp, parseFlags, UsageError } from './args.js';
import type { FlagSpecs } from './args.js';

const specs: FlagSpecs = {
  out: { type: 'string', description: 'output folder', value: 'DIR', default: './pikt-report' },
  preset: { type: 'string', description: 'size', choices: ['tiny', 'quick', 'full'], default: 'quick' },
  lambda: { type: 'number', description: 'PI weight', range: 'nonNegative' },
  eps: { type: 'number', description: 'target', range: 'positive', default: 0.01 },
  steps: { type: 'number', description: 'steps', range: 'integer' },
  json: { type: 'boolean', description: 'JSON output' },
  plugin: { type: 'string', description: 'plugin', multiple: true },
};

function usage(argv: string[]): string {
  try {
    parseFlags('reproduce', specs, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseFlags', () => {
  it('parses strings, numbers, booleans and repeated flags, applying defaults', () => {
    expect(parseFlags('x', specs, ['--lambda', '2.5', '--json', '--plugin', 'a.js', '--plugin=b.js', '--out=r'])).toEqual({
      out: 'r', preset: 'quick', lambda: 2.5, eps: 0.01, steps: undefined, json: true, plugin: ['a.js', 'b.js'],
    });
  });
  it('names an unknown flag in one line', () => {
    expect(usage(['--lamda', '1'])).toBe('Unknown flag --lamda. Run "pikt reproduce --help" for the flags it takes.');
  });
  it('names a flag missing its value, a boolean given a value, and a stray argument', () => {
    expect(usage(['--out'])).toMatch(/^Flag --out needs a value\./);
    expect(usage(['--json=yes'])).toMatch(/^Flag --json takes no value\./);
    expect(usage(['extra'])).toMatch(/^Unexpected argument "extra"/);
  });
  it('checks numbers and choices', () => {
    expect(usage(['--lambda', 'abc'])).toMatch(/^--lambda must be a finite number; got "abc"\./);
    expect(usage(['--lambda', '-1'])).toMatch(/^Flag --lambda is followed by a value starting with "-": write it as --lambda=VALUE\./);
    expect(usage(['--lambda=-1'])).toMatch(/^--lambda must be >= 0; got -1\./);
    expect(usage(['--eps', '0'])).toMatch(/^--eps must be > 0; got 0\./);
    expect(usage(['--steps', '1.5'])).toMatch(/^--steps must be a non-negative integer; got 1.5\./);
    expect(usage(['--preset', 'huge'])).toMatch(/^--preset must be one of tiny, quick, full; got "huge"\./);
  });
  it('reads numbers as plain decimals only, and checks min, max and integer size', () => {
    for (const bad of ['0x10', '0b11', '0o7', 'Infinity', '1e999', '', ' ', '1_000', '1,5']) {
      expect(usage([`--lambda=${bad}`]), bad).toBe(`--lambda must be a finite number; got "${bad}". Write it in decimal (e.g. 0.5, 16, 1e-3). Run "pikt reproduce --help" for the flags it takes.`);
    }
    expect(parseFlags('x', { v: { type: 'number', description: '' } }, ['--v', '+1.5e-3']).v).toBe(0.0015);
    const bounded = { f: { type: 'number' as const, description: '', range: 'positive' as const, max: 1 }, k: { type: 'number' as const, description: '', range: 'integer' as const, min: 1 } };
    const err = (argv: string[]) => { try { parseFlags('x', bounded, argv); return ''; } catch (e) { return (e as Error).message.split('. Run')[0]; } };
    expect(err(['--f', '2'])).toBe('--f must be <= 1; got 2');
    expect(err(['--f', '1'])).toBe('');
    expect(err(['--k', '0'])).toBe('--k must be >= 1; got 0');
    expect(err(['--k', '1e20'])).toBe('--k must be an integer below 2^53; got 1e20');
  });
});

describe('formatHelp', () => {
  it('lists flags with value placeholders, choices and defaults, and the examples', () => {
    const help = formatHelp('reproduce', 'run E1-E6', specs, ['pikt reproduce --preset tiny']);
    expect(help).toContain('Usage: pikt reproduce [flags]');
    expect(help).toMatch(/--out DIR\s+output folder \(default \.\/pikt-report\)/);
    expect(help).toMatch(/--preset STRING\s+size \(one of tiny\|quick\|full; default quick\)/);
    expect(help).toContain('Examples:\n  pikt reproduce --preset tiny');
  });
});
