import { join } from 'node:path';
import { writeFileAtomic } from '@pikt/core';
import { formatMarkdown, type BenchReport } from './report.js';

/** "2026-12-01T19:20:05.123Z" -> "2026-12-01T19-20-05Z" (no colons: safe on every filesystem). */
export function fileStamp(iso: string): string {
  return `${iso.slice(0, 19).replace(/:/g, '-')}Z`;
}

/**
 * Writes the report as <stamp>[-quick].json and .md in `dir`, then latest.json and latest.md
 * (each through a temp file and a rename: a reader sees the old file or the new one). Returns the paths.
 */
export async function writeResults(dir: string, report: BenchReport): Promise<string[]> {
  const base = `${fileStamp(report.date)}${report.mode === 'quick' ? '-quick' : ''}`;
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const md = formatMarkdown(report);
  const files: Array<[string, string]> = [[`${base}.json`, json], [`${base}.md`, md], ['latest.json', json], ['latest.md', md]];
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    paths.push(path);
  }
  return paths;
}
