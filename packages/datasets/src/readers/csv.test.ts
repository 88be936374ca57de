import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { parseCsv, readCsv } from './csv.js';

function errorOf(fn: () => unknown): DataFormatError {
  try { fn(); } catch (e) { if (e instanceof DataFormatError) return e; throw e; }
  throw new Error('expected a DataFormatError');
}

describe('parseCsv', () => {
  it('parses numbers row-major in float64, with an auto-detected header', () => {
    const t = parseCsv('a,b,c\n1,2.5,-3e2\n.5, 4 ,+6\n', {}, 'f.csv');
    expect([t.n, t.d]).toEqual([2, 3]);
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(Array.from(t.x)).toEqual([1, 2.5, -300, 0.5, 4, 6]);
    expect(t.classIds).toBeUndefined();
  });

  it('numeric first row is data; CRLF, a BOM, blank lines and a missing final newline are fine', () => {
    const t = parseCsv('\ufeff1;2\r\n\r\n3;4', { delimiter: ';' });
    expect(Array.from(t.x)).toEqual([1, 2, 3, 4]);
    expect(t.columns).toEqual(['c0', 'c1']);
  });

  it('class names in a label column become sorted class ids', () => {
    const t = parseCsv('x,y,species\n1,2,versicolor\n3,4,setosa\n5,6,versicolor\n', { labelColumn: 'species' });
    expect(t.classNames).toEqual(['setosa', 'versicolor']);
    expect(Array.from(t.classIds!)).toEqual([1, 0, 1]);
    expect([t.d, t.numClasses]).toEqual([2, 2]);
    expect(Array.from(t.x)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('integer labels are class ids; a negative index counts from the end; quoted cells may hold the delimiter', () => {
    const t = parseCsv('"1",2,"0"\n3,4,2\n', { labelColumn: -1, header: false });
    expect(Array.from(t.classIds!)).toEqual([0, 2]);
    expect(t.numClasses).toBe(3);
    const q = parseCsv('name,v\n"a, ""b""",1\nc,2\n', { labelColumn: 0 });
    expect(q.classNames).toEqual(['a, "b"', 'c']);
  });

  it('errors name the file, line, column and the bad cell', () => {
    let e = errorOf(() => parseCsv('a,b\n1,2\n3,x7\n', {}, 'data.csv'));
    expect(e.message).toMatch(/^data\.csv \(record 1, line 3, column 2\): non-numeric cell: expected a finite decimal number, found "x7"/);
    e = errorOf(() => parseCsv('1,NaN\n', {}, 'd.csv'));
    expect(e.message).toMatch(/line 1, column 2\): non-finite value.*found "NaN"/);
    e = errorOf(() => parseCsv('1,1e999\n'));
    expect(e.message).toMatch(/non-finite value.*"1e999"/);
    e = errorOf(() => parseCsv('1,2\n3,\n'));
    expect(e.message).toMatch(/line 2, column 2\): empty cell/);
    e = errorOf(() => parseCsv('1,2\n3,4,5\n'));
    expect(e.message).toMatch(/line 2\): wrong number of cells: expected 2 \(as in line 1\), found 3/);
    e = errorOf(() => parseCsv('1,"2\n3,4\n'));
    expect(e.message).toMatch(/line 1\): unterminated quoted field/);
    e = errorOf(() => parseCsv('1,"2"x\n'));
    expect(e.message).toMatch(/text after a closing quote/);
    expect(() => parseCsv('')).toThrow(/empty CSV/);
    expect(() => parseCsv('a,b\n', { header: true })).toThrow(/empty CSV: expected at least one data row after the header/);
    expect(() => parseCsv('a,b\n')).toThrow(/non-numeric cell/);
    expect(() => parseCsv('a\n1\n', { labelColumn: 0 })).toThrow(/no feature columns/);
    expect(() => parseCsv('1,2\n', { labelColumn: 'y', header: false })).toThrow(InvalidOptionError);
    expect(() => parseCsv('a,b\n1,2\n', { labelColumn: 'y' })).toThrow(/one of the header names \["a","b"\]/);
    expect(() => parseCsv('1,2\n', { labelColumn: 5 })).toThrow(/labelColumn/);
    expect(() => parseCsv('1,2\n', { delimiter: '"' })).toThrow(/delimiter/);
  });

  it('does not accept hex, blanks-as-zero or other lenient Number() forms', () => {
    expect(() => parseCsv('0x10,1\n')).toThrow(/non-numeric cell.*"0x10"/);
    expect(() => parseCsv('1,Infinity\n')).toThrow(/non-finite value/);
  });
});

describe('readCsv', () => {
  it('reads a UTF-8 file and rejects invalid UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-csv-'));
    writeFileSync(join(dir, 'ok.csv'), 'f1,f2,label\n0.5,1,cat\n2,3,dog\n');
    const t = await readCsv(join(dir, 'ok.csv'), { labelColumn: 'label' });
    expect(Array.from(t.classIds!)).toEqual([0, 1]);
    writeFileSync(join(dir, 'bad.csv'), Uint8Array.from([0x31, 0x2c, 0xff, 0x0a]));
    await expect(readCsv(join(dir, 'bad.csv'))).rejects.toThrow(/not UTF-8 text/);
  });
});
