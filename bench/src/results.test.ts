import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatMarkdown } from './report.js';
import { fixtureReport } from './report-fixture.js';
import { fileStamp, writeResults } from './results.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('writeResults', () => {
  it('stamps files by date without colons', () => {
    expect(fileStamp('2026-12-01T19:20:05.123Z')).toBe('2026-12-01T19-20-05Z');
  });

  it('writes the dated pair and latest.*, exact contents, replacing an older latest, no temp files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-bench-results-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'latest.json'), 'old');
    const paths = await writeResults(join(dir, 'sub'), fixtureReport);
    expect(paths).toEqual(['2026-12-01T19-20-05Z-quick.json', '2026-12-01T19-20-05Z-quick.md', 'latest.json', 'latest.md'].map((f) => join(dir, 'sub', f)));
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual(['2026-12-01T19-20-05Z-quick.json', '2026-12-01T19-20-05Z-quick.md', 'latest.json', 'latest.md']);
    const json = `${JSON.stringify(fixtureReport, null, 2)}\n`;
    expect(readFileSync(paths[0], 'utf8')).toBe(json);
    expect(readFileSync(paths[2], 'utf8')).toBe(json);
    expect(JSON.parse(readFileSync(paths[2], 'utf8'))).toEqual(fixtureReport);
    expect(readFileSync(paths[1], 'utf8')).toBe(formatMarkdown(fixtureReport));
    expect(readFileSync(paths[3], 'utf8')).toBe(formatMarkdown(fixtureReport));

    const full = { ...fixtureReport, mode: 'full' as const, date: '2026-12-02T01:02:03.000Z', wallSeconds: 1 };
    await writeResults(dir, full);
    expect(readdirSync(dir).sort()).toEqual(['2026-12-02T01-02-03Z.json', '2026-12-02T01-02-03Z.md', 'latest.json', 'latest.md', 'sub']);
    expect(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')).date).toBe('2026-12-02T01:02:03.000Z');
    expect(readFileSync(join(dir, 'latest.md'), 'utf8').split('\n')[0]).toBe('# pnpm bench: 2026-12-02T01:02:03.000Z');
    // While the run is under way (rewritten after each case), the heading says how far it got.
    await writeResults(dir, { ...full, planned: 9 });
    expect(readFileSync(join(dir, 'latest.md'), 'utf8').split('\n')[0]).toBe('# pnpm bench: 2026-12-02T01:02:03.000Z (partial: 3 of 9 cases so far)');
    expect(readdirSync(dir)).toHaveLength(5);
  });
});
