import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { readmes, tsBlocks } from './check.mjs';

const run = promisify(execFile);
const repo = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'pikt-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README code blocks', () => {
  it('extracts ```ts blocks with their fence line and leaves out ```ts fragment blocks', () => {
    const text = 'intro\n```ts\nconst a = 1;\n```\n```ts fragment\nf(x?)\n```\n```sh\nls\n```\n```typescript\nlet b;\n```\n';
    expect(tsBlocks(text)).toEqual([{ line: 2, code: 'const a = 1;\n' }, { line: 11, code: 'let b;\n' }]);
    expect(readmes()).toEqual(expect.arrayContaining(['README.md', 'packages/trainer/README.md', 'packages/core/README.md']));
  });

  it('the trainer README example runs twice in the same folder: the second run returns the first (no PIKT_CHECKPOINT_EXISTS)', async () => {
    const [example] = tsBlocks(readFileSync('packages/trainer/README.md', 'utf8')) as Array<{ code: string }>;
    const out = join(repo, 'node_modules', '.cache', `pikt-readme-trainer-${process.pid}.mjs`);
    await build({
      stdin: { contents: example.code, resolveDir: repo, loader: 'ts', sourcefile: 'trainer-readme.ts' },
      bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error', external: ['@tensorflow/*'],
      plugins: [{ name: 'workspace', setup(b) { b.onResolve({ filter: /^@pikt\// }, (a) => ({ path: join(repo, 'packages', a.path.slice(6), 'src', 'index.ts') })); } }],
    });
    try {
      const first = await run(process.execPath, [out], { cwd: work });
      const second = await run(process.execPath, [out], { cwd: work });
      // The converged loss, a closed form: u = X W stays in range(X), whose normal is v = (1, 1, -1)/sqrt(3),
      // so min L = (1 + lambda)/2 (ybar.v)^2 + lambda / (2 (1 + lambda)) ||y - z||^2 = 1/12 + 3/8 = 11/24.
      expect(Number(first.stdout.split(' ')[0])).toBeCloseTo(11 / 24, 6);
      expect(second.stdout).toBe(first.stdout);
      const events = readFileSync(join(work, 'runs/demo/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; startStep?: number });
      expect(events.filter((e) => e.type === 'run-start').map((e) => e.startStep)).toEqual([0, 200]);
    } finally {
      rmSync(out, { force: true });
    }
  });
});
