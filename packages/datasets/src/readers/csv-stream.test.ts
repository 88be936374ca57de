import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DataFormatError } from '../errors.js';
import { CsvStreamParser } from './csv-stream.js';
import { parseCsv, readCsv } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'pikt-csv-stream-'));
const file = (name: string, content: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, content); return p; };

describe('header detection', () => {
  it('a first row of numbers holding NaN is data, reported as a non-finite value, never a header', () => {
    expect(() => parseCsv('1,NaN\n2,3\n', {}, 'nan.csv')).toThrow(/^nan\.csv \(record 0, line 1, column 2\): non-finite value: expected a finite decimal number, found "NaN"/);
    expect(() => parseCsv('inf,1\n2,3\n')).toThrow(/line 1, column 1\): non-finite value/);
    expect(() => parseCsv('1,,3\n4,5,6\n')).toThrow(/line 1, column 2\): empty cell/);
    // A real header still is one.
    expect(parseCsv('a,nan_rate\n1,2\n').columns).toEqual(['a', 'nan_rate']);
  });
});

describe('CsvStreamParser', () => {
  it('gives the same table whatever the text is cut into (quotes, CRLF, BOM across pieces)', () => {
    const text = '\ufeffname,v,w\r\n"a, ""b""",1.5,-2e3\r\n\r\n  c  , 2 ,"3"\nd,4,5';
    const whole = parseCsv(text, { labelColumn: 'name' });
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
      const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
      const p = new CsvStreamParser({ labelColumn: 'name' }, 'x');
      for (let i = 0; i + 1 < at.length; i++) p.push(text.slice(at[i], at[i + 1]));
      const t = p.end();
      expect(Array.from(t.x)).toEqual(Array.from(whole.x));
      expect(t.labelCells).toEqual(['a, "b"', 'c', 'd']);
    }), { numRuns: 200 });
    expect(Array.from(whole.x)).toEqual([1.5, -2000, 2, 3, 4, 5]);
  });

  it('stops at the first bad row, before the rest arrives', () => {
    const p = new CsvStreamParser({}, 'f.csv');
    p.push('1,2\n3,4\n');
    expect(() => p.push('5,x\n6,7')).toThrow(/line 3, column 2\): non-numeric cell/);
  });

  it('caps values and cell length', () => {
    expect(() => parseCsv('1,2\n3,4\n5,6\n', { maxValues: 4 })).toThrow(/too many values: expected at most 4 numbers/);
    expect(() => parseCsv(`${'7'.repeat(70_000)}\n`)).toThrow(/cell too long: expected at most 65536 characters/);
  });
});

describe('readCsv limits', () => {
  it('refuses a plain file above maxBytes before reading it, and a gzip whose text exceeds it', async () => {
    const big = file('big.csv', '1,2\n'.repeat(1000));
    await expect(readCsv(big, { maxBytes: 1000 })).rejects.toThrow(/big\.csv: file too large: expected at most 1000 bytes .* of text, found 4000 bytes/);
    const gz = file('big.csv.gz', gzipSync('1,2\n'.repeat(100_000)));
    await expect(readCsv(gz, { maxBytes: 100_000 })).rejects.toThrow(/file too large: expected at most 100000 bytes .* of text after decompression, found more once decompressed/);
    const ok = await readCsv(gz);
    expect([ok.n, ok.d]).toEqual([100_000, 2]);
  });

  it('refuses devices, names folders, and reads a pipe up to the cap', async () => {
    await expect(readCsv('/dev/zero')).rejects.toThrow(/\/dev\/zero: not a file: expected a regular file or a pipe, found a character device/);
    await expect(readCsv(dir)).rejects.toThrow(/Cannot read .*: it is a folder, not a file \(EISDIR\)/);
    if (spawnSync('mkfifo', ['--help']).status !== 0) { console.log('mkfifo missing: FIFO cases skipped'); return; }
    // A fresh pipe per case: a killed writer's bytes stay in a pipe still open for reading.
    let fifo = '';
    const newFifo = (name: string) => { fifo = join(dir, name); spawnSync('mkfifo', [fifo]); };
    newFifo('pipe.csv');
    // Writers run in their own process group, killed whole (sh may fork the command).
    const spawned: Array<ReturnType<typeof spawn>> = [];
    const sh = (cmd: string) => { const c = spawn('sh', ['-c', cmd], { detached: true, stdio: 'ignore' }); spawned.push(c); return c; };
    const kill = (c: ReturnType<typeof spawn>) => { try { process.kill(-(c.pid as number), 'SIGKILL'); } catch { /* gone */ } };
    // A writer whose reader failed would block on open forever: every one is killed at the end.
    onTestFinished(() => spawned.forEach(kill));
    sh(`printf 'a,b\\n1,2\\n3,4\\n' > ${fifo}`);
    const t = await readCsv(fifo);
    expect([t.n, t.d, ...t.x]).toEqual([2, 2, 1, 2, 3, 4]);
    // An endless pipe (yes prints "1,2" forever) stops at the cap.
    newFifo('endless.csv');
    const endless = sh(`yes 1,2 > ${fifo}`);
    await expect(readCsv(fifo, { maxBytes: 1 << 20 })).rejects.toThrow(/file too large: expected at most 1048576 bytes/);
    kill(endless);
    // A bad first row on a pipe that never ends is reported at once.
    newFifo('stuck.csv');
    const stuck = sh(`(printf '1,2\\n3,x\\n'; sleep 30) > ${fifo}`);
    const t0 = performance.now();
    await expect(readCsv(fifo)).rejects.toThrow(/line 2, column 2\): non-numeric cell/);
    const waited = performance.now() - t0;
    kill(stuck);
    expect(waited).toBeLessThan(20_000); // reported while the writer still sleeps (30 s), not at its end
  });

  it('names invalid UTF-8 with its byte offset', async () => {
    const p = file('bad-utf8.csv', Uint8Array.from([0x31, 0x2c, 0x32, 0x0a, 0x33, 0x2c, 0xff, 0x0a]));
    const e = await readCsv(p).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DataFormatError);
    expect((e as Error).message).toMatch(/not UTF-8 text/);
  });
});
