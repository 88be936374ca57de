import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

describe('writeFileAtomic', () => {
  it('creates parent folders, replaces the content and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-atomic-'));
    const path = join(dir, 'a', 'b', 'results.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, new TextEncoder().encode('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['results.json']);
  });

  it('keeps the old file when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-atomic-'));
    const path = join(dir, 'results.json');
    writeFileSync(path, 'old');
    // A directory where the target's parent should be a file: mkdir fails, nothing is touched.
    await expect(writeFileAtomic(join(path, 'child.json'), 'x')).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
  });
});
