import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, DatasetNotFoundError } from '../errors.js';
import { firstExisting, isGzip, maybeGunzip, readDataFile } from './bytes.js';

describe('gzip handling', () => {
  const plain = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
  const gz = new Uint8Array(gzipSync(plain));

  it('detects gzip by its magic bytes and decompresses it; passes other bytes through unchanged', async () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(plain)).toBe(false);
    expect(Array.from(await maybeGunzip(gz, 'a.gz'))).toEqual(Array.from(plain));
    expect(await maybeGunzip(plain, 'a')).toBe(plain);
  });

  it('a corrupt or truncated stream is a DataFormatError naming the file', async () => {
    await expect(maybeGunzip(gz.subarray(0, 30), 'cut.gz')).rejects.toThrow(DataFormatError);
    await expect(maybeGunzip(gz.subarray(0, 30), 'cut.gz')).rejects.toThrow(/^cut\.gz \(byte offset 0\): gzip stream cannot be decompressed/);
  });

  it('refuses to inflate past maxBytes (bounded memory for hostile input)', async () => {
    await expect(maybeGunzip(gz, 'big.gz', 999)).rejects.toThrow(/at most 999 bytes/);
    expect((await maybeGunzip(gz, 'ok.gz', 1000)).length).toBe(1000);
  });
});

describe('readDataFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pikt-bytes-'));

  it('reads plain and gzip files the same way', async () => {
    writeFileSync(join(dir, 'p.bin'), Uint8Array.from([1, 2, 3]));
    writeFileSync(join(dir, 'p.bin.gz'), gzipSync(Uint8Array.from([1, 2, 3])));
    const help = { dataset: 'T', hint: 'h' };
    expect(Array.from(await readDataFile(join(dir, 'p.bin'), help))).toEqual([1, 2, 3]);
    expect(Array.from(await readDataFile(join(dir, 'p.bin.gz'), help))).toEqual([1, 2, 3]);
    expect(await firstExisting([join(dir, 'nope'), join(dir, 'p.bin.gz')])).toBe(join(dir, 'p.bin.gz'));
    expect(await firstExisting([join(dir, 'nope')])).toBeUndefined();
  });

  it('a missing file is a DatasetNotFoundError carrying the hint', async () => {
    const p = join(dir, 'missing.bin');
    await expect(readDataFile(p, { dataset: 'My set', hint: 'Get it from X.' })).rejects.toThrow(DatasetNotFoundError);
    await expect(readDataFile(p, { dataset: 'My set', hint: 'Get it from X.' })).rejects.toThrow(`My set: ${p} does not exist. Get it from X.`);
  });
});
