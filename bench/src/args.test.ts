import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseBenchArgs } from './args.js';

describe('parseBenchArgs', () => {
  it('defaults: the full run, installing peers, building, results under the default folder', () => {
    expect(parseBenchArgs([], '/r')).toEqual({ quick: false, install: true, build: true, out: '/r', help: false });
  });

  it('reads every flag, inline values and a bare -- from pnpm', () => {
    expect(parseBenchArgs(['--', '--quick', '--only', 'a,g1,a', '--runs=3', '--no-install', '--no-build', '--out', '/tmp/x'], '/r'))
      .toEqual({ quick: true, only: ['a', 'g1'], runs: 3, install: false, build: false, out: '/tmp/x', help: false });
    expect(parseBenchArgs(['--only=b'], '/r').only).toEqual(['b']);
    expect(parseBenchArgs(['--workers', '2']).workers).toBe(2);
    expect(parseBenchArgs(['--workers=auto']).workers).toBe(0);
  });

  it('names an unknown workload and lists the known ones', () => {
    expect(() => parseBenchArgs(['--only', 'a,h,zz'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--only', 'a,h,zz'])).toThrow('Unknown workloads "h", "zz" in --only. Known workloads: a, b, c, d, e, f, g1, g2.');
    expect(() => parseBenchArgs(['--only', 'g'])).toThrow('Unknown workload "g" in --only. Known workloads: a, b, c, d, e, f, g1, g2.');
  });

  it('refuses unknown flags, missing values and bad run counts with what to do', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow('Unknown argument "--fast". Run pnpm bench --help for the options.');
    expect(() => parseBenchArgs(['--only'])).toThrow('--only needs a value. Example: --only a,b.');
    expect(() => parseBenchArgs(['--only', '--quick'])).toThrow('--only needs a value. Example: --only a,b.');
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow('--runs must be an integer >= 1 (got "0"). Example: --runs 3.');
    expect(() => parseBenchArgs(['--runs=2.5'])).toThrow('--runs must be an integer >= 1 (got "2.5").');
    expect(() => parseBenchArgs(['--workers', '0'])).toThrow('--workers must be an integer >= 1 or "auto" (got "0"). Example: --workers 2.');
    try { parseBenchArgs(['--x']); } catch (e) { expect((e as BenchArgsError).code).toBe('PIKT_BENCH_ARGS'); }
  });
});
