import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../packages/runner/src/testing/redis-server.js';
import { runCli } from '../cli.js';
import { getPreset } from '../reproduce/presets.js';
import { configurations, parseGrid } from '../sweep/grid.js';
import { meanSd } from '../sweep/summary.js';
import { COMMANDS } from './index.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, COMMANDS, { cwd: mkdtempSync(join(tmpdir(), 'pikt-sweep-')), isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  return { code, out, err };
}

const hint = 'Write --grid key=v1,v2 with key one of lambda, width, teacher, embedding, regularizer, steps, e.g. --grid lambda=0,1 --grid width=512,2048.';

describe('pikt sweep: bad input', () => {
  it('answers each mistake with one line and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--grid', 'lambda'], `pikt sweep: --grid "lambda" is malformed. ${hint}`],
      [['--grid', 'lambda='], `pikt sweep: --grid "lambda=" is malformed. ${hint}`],
      [['--grid', 'depth=1,2'], `pikt sweep: --grid has unknown key "depth". ${hint}`],
      [[], `pikt sweep: The grid is empty: nothing to sweep. ${hint}`],
      [['--grid', 'lambda=0,x'], `pikt sweep: --grid lambda got "x"; expected a number >= 0. ${hint}`],
      [['--grid', 'width=64', '--workers', '0'], 'pikt sweep: --workers must be an integer >= 1; got 0. Pass how many runs may execute at once, e.g. --workers 2.'],
      [['--grid', 'width=64', '--queue', 'localhost:6379'], 'pikt sweep: --queue got "localhost:6379", not a Redis URL. Pass redis://host:port, e.g. --queue redis://127.0.0.1:6379.'],
      [['--grid', 'width=64', '--seeds', '0'], 'pikt sweep: --seeds must be an integer >= 1; got 0. Pass how many student initializations per configuration, e.g. --seeds 3.'],
    ];
    for (const [args, line] of cases) {
      const r = await cli(['sweep', '--preset', 'tiny', ...args]);
      expect([r.code, r.err]).toEqual([2, `${line}\n`]);
    }
    const w = await cli(['worker', '--queue', 'redis//h:1']);
    expect([w.code, w.err]).toEqual([2, 'pikt worker: --queue got "redis//h:1", not a Redis URL. Pass redis://host:port, e.g. --queue redis://127.0.0.1:6379.\n']);
  });

  it('exits 1 with one line naming the URL when Redis is unreachable, and writes nothing', async () => {
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'pikt-sweep-'));
    let err = '';
    const code = await runCli(['sweep', '--preset', 'tiny', '--grid', 'lambda=0,1', '--queue', `redis://127.0.0.1:${port}`, '--out', 'out'], COMMANDS, { cwd, isTTY: false, stdout: { write: () => undefined }, stderr: { write: (s: string) => { err += s; } } });
    expect(code).toBe(1);
    expect(err.split('\n').filter((l) => l.startsWith('pikt sweep: '))).toEqual([`pikt sweep: Redis at redis://127.0.0.1:${port} is unreachable (ECONNREFUSED). Start redis-server there, or check the host and port given to --queue.`]);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});

describe('the grid', () => {
  it('is the cartesian product in flag order, over the preset\'s defaults', () => {
    const preset = getPreset('tiny');
    const grid = parseGrid(['lambda=0,1', 'width=128,512', 'regularizer=kl-T3'], preset);
    expect(configurations(grid, preset).map((c) => [c.lambda, c.width, c.regularizer, c.steps])).toEqual([[0, 128, 'kl-T3', 60], [0, 512, 'kl-T3', 60], [1, 128, 'kl-T3', 60], [1, 512, 'kl-T3', 60]]);
  });
  it('summarizes with the sample standard deviation', () => {
    expect(meanSd([1, 2, 3, Number.NaN])).toEqual({ mean: 2, sd: 1, n: 3 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0, n: 1 });
  });
});
