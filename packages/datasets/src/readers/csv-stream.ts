import { InvalidOptionError } from '@pikt/core';
import { DataFormatError } from '../errors.js';

/** Options of the CSV parser (see CsvOptions in csv.ts for their meaning). */
export interface CsvParseOptions {
  delimiter?: string;
  header?: boolean | 'auto';
  labelColumn?: number | string | null;
  /** Most feature values kept (memory: 8 bytes each, twice while the table is assembled). */
  maxValues?: number;
}

/** Default cap on feature values: 2^25 (256 MiB of float64). */
export const DEFAULT_MAX_VALUES = 1 << 25;

/** What the parser produced: features row-major in float64, raw label cells, header names. */
export interface CsvParsed {
  n: number;
  d: number;
  x: Float64Array;
  labelCells?: string[];
  names?: string[];
  /** Index of the label column among the file's columns, -1 when none. */
  labelColumn: number;
}

export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;
/** A cell a number was meant to be in: a decimal, or NaN / inf spelled out (never header text). */
const NUMERIC_LOOKING = (c: string) => NUMBER.test(c) || NON_FINITE.test(c);
/** No number is this long: a longer cell is garbage (a binary file, /dev/zero) and stops the read. */
export const MAX_CELL_CHARS = 1 << 16;
const CHUNK_VALUES = 1 << 16;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Float64 values in fixed-size chunks: growing never copies, so the peak is the data plus one final copy. */
class ChunkedValues {
  private chunks: Float64Array[] = [];
  private at = CHUNK_VALUES;
  length = 0;
  push(v: number): void {
    if (this.at === CHUNK_VALUES) { this.chunks.push(new Float64Array(CHUNK_VALUES)); this.at = 0; }
    this.chunks[this.chunks.length - 1][this.at++] = v;
    this.length += 1;
  }
  /** One contiguous array; chunks are released as they are copied. */
  take(): Float64Array {
    const out = new Float64Array(this.length);
    let o = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      const k = Math.min(CHUNK_VALUES, this.length - o);
      out.set(k === CHUNK_VALUES ? c : c.subarray(0, k), o);
      o += k;
      this.chunks[i] = new Float64Array(0);
    }
    this.chunks = [];
    return out;
  }
}

interface Rec { line: number; cells: string[] }

/**
 * An incremental CSV parser (RFC 4180 quoting: "a,b" and "" for a quote; unquoted cells trimmed).
 * Text arrives in pieces through `push`; each record is checked as soon as it is complete, so the
 * first bad row stops the read with its line and column, and memory holds only the numbers (in
 * float64 chunks) and the current record, never the text.
 */
export class CsvStreamParser {
  private readonly delim: number;
  private readonly file: string;
  private readonly opts: CsvParseOptions;
  // tokenizer state
  private cell = '';
  private cells: string[] = [];
  private inQuotes = false;
  private quoted = false;
  private quotePending = false;
  private afterQuote = false;
  private skipLF = false;
  private line = 1;
  private recLine = 1;
  private quoteLine = 1;
  private first = true;
  // table state
  private pending: Rec[] = [];
  private decided = false;
  private width = 0;
  private headerLine = 1;
  private names: string[] | undefined;
  private labelCol = -1;
  private d = 0;
  private n = 0;
  private readonly values = new ChunkedValues();
  private readonly labels: string[] = [];

  constructor(options: CsvParseOptions = {}, file = '<csv>') {
    const delim = options.delimiter ?? ',';
    if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
      throw new InvalidOptionError('delimiter', delim, 'a single character other than a quote or newline');
    }
    this.delim = delim.charCodeAt(0);
    this.opts = options;
    this.file = file;
  }

  /** Feed the next piece of text. Throws DataFormatError at the first bad record. */
  push(text: string): void {
    let s = text;
    if (this.first) { this.first = false; if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); }
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.skipLF) { this.skipLF = false; if (c === LF) { start = i + 1; continue; } }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) { this.append('"'); continue; }
          this.inQuotes = false;
          this.afterQuote = true;
        } else if (c === QUOTE) {
          this.quotePending = true;
          continue;
        } else {
          if (c === LF) this.line += 1;
          this.append(s[i]);
          continue;
        }
      }
      if (this.afterQuote) {
        if (c === SPACE || c === TAB) continue;
        if (c !== this.delim && c !== LF && c !== CR) {
          throw new DataFormatError({ file: this.file, line: this.line, record: this.n }, 'text after a closing quote', `"${String.fromCharCode(this.delim)}" or end of line`, JSON.stringify(s[i]));
        }
        this.afterQuote = false;
        start = i;
      }
      if (c === this.delim) {
        this.append(s.slice(start, i));
        this.endCell();
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.append(s.slice(start, i));
        this.endRecord();
        if (c === CR) this.skipLF = true;
        this.line += 1;
        this.recLine = this.line;
        start = i + 1;
      } else if (c === QUOTE && !this.quoted) {
        const before = this.cell + s.slice(start, i);
        if (before.trim() === '') {
          this.cell = '';
          this.inQuotes = true;
          this.quoted = true;
          this.quoteLine = this.line;
          start = i + 1;
        }
      }
    }
    if (!this.inQuotes && !this.afterQuote && start < s.length) this.append(s.slice(start));
  }

  /** The end of the text: the last record, the header decision if still open, and the table. */
  end(): CsvParsed {
    if (this.inQuotes && !this.quotePending) {
      throw new DataFormatError({ file: this.file, line: this.quoteLine, record: this.n }, 'unterminated quoted field', 'a closing double quote', 'end of file');
    }
    this.inQuotes = false;
    if (this.cell !== '' || this.quoted || this.quotePending || this.afterQuote || this.cells.length > 0) this.endRecord();
    if (!this.decided) this.decide(true);
    if (this.n === 0) {
      throw new DataFormatError({ file: this.file, line: this.headerLine }, 'empty CSV', this.names ? 'at least one data row after the header' : 'at least one data row', this.names ? 'only a header' : 'no rows');
    }
    return { n: this.n, d: this.d, x: this.values.take(), labelColumn: this.labelCol, ...(this.labelCol >= 0 ? { labelCells: this.labels } : {}), ...(this.names ? { names: this.names } : {}) };
  }

  private append(t: string): void {
    if (t.length === 0) return;
    this.cell += t;
    if (this.cell.length > MAX_CELL_CHARS) {
      throw new DataFormatError({ file: this.file, line: this.recLine, column: this.cells.length + 1, record: this.n }, 'cell too long',
        `at most ${MAX_CELL_CHARS} characters`, `more (${JSON.stringify(this.cell.slice(0, 20))}...)`,
        'This is not CSV text (a binary file or a device?): pass a CSV file of numbers.');
    }
  }

  private endCell(): void {
    this.cells.push(this.quoted ? this.cell : this.cell.trim());
    this.cell = '';
    this.quoted = false;
    this.quotePending = false;
    this.afterQuote = false;
  }

  private endRecord(): void {
    this.endCell();
    const cells = this.cells;
    this.cells = [];
    // A blank line (or one holding only "") is not a record.
    if (cells.length === 1 && cells[0] === '') return;
    const rec = { line: this.recLine, cells };
    if (this.decided) { this.row(rec); return; }
    this.pending.push(rec);
    // A first row without header text is data whatever follows: decide now, so that a bad second
    // row on a pipe is reported without waiting for a third.
    const o = this.opts;
    const firstIsData = (o.header ?? 'auto') === 'auto' && typeof o.labelColumn !== 'string' && cells.every((c) => c === '' || NUMERIC_LOOKING(c));
    if (this.pending.length === 2 || firstIsData) this.decide(false);
  }

  /**
   * The header decision, on the first two records. "auto": the first row is a header when a
   * column holds text there (not empty, not a number, not NaN/inf spelled out) and a number in the
   * next row, or when the label column is named. A row of numbers and NaNs is always data.
   */
  private decide(atEnd: boolean): void {
    this.decided = true;
    const recs = this.pending;
    this.pending = [];
    if (recs.length === 0) {
      if (atEnd) throw new DataFormatError({ file: this.file, line: 1 }, 'empty CSV', 'at least one data row', 'no rows');
      return;
    }
    const o = this.opts;
    const h = o.header ?? 'auto';
    const hasHeader = h !== 'auto' ? h : typeof o.labelColumn === 'string'
      || (recs.length > 1 && recs[0].cells.some((c, j) => c !== '' && !NUMERIC_LOOKING(c) && NUMBER.test(recs[1].cells[j] ?? '')));
    this.width = recs[0].cells.length;
    this.headerLine = recs[0].line;
    this.names = hasHeader ? recs[0].cells : undefined;
    this.labelCol = o.labelColumn === undefined || o.labelColumn === null ? -1 : resolveLabelColumn(o.labelColumn, this.width, this.names);
    this.d = this.labelCol >= 0 ? this.width - 1 : this.width;
    if (this.d < 1) throw new DataFormatError({ file: this.file, line: recs[0].line }, 'no feature columns', 'at least one column besides the label', `${this.width} column(s)`);
    for (const r of hasHeader ? recs.slice(1) : recs) this.row(r);
  }

  private row(rec: Rec): void {
    const r = this.n;
    const cap = this.opts.maxValues ?? DEFAULT_MAX_VALUES;
    if (this.values.length + this.d > cap) {
      throw new DataFormatError({ file: this.file, line: rec.line, record: r }, 'too many values', `at most ${cap} numbers (${cap * 8} bytes as float64)`, `more, at row ${r + 1}`,
        'Use a smaller file (fewer rows or columns), or raise the maxValues option if the memory is there.');
    }
    if (rec.cells.length !== this.width) {
      throw new DataFormatError({ file: this.file, line: rec.line, record: r }, 'wrong number of cells', `${this.width} (as in line ${this.headerLine})`, String(rec.cells.length));
    }
    for (let c = 0; c < this.width; c++) {
      const cell = rec.cells[c];
      if (c === this.labelCol) {
        if (cell === '') throw new DataFormatError({ file: this.file, line: rec.line, column: c + 1, record: r }, 'empty label', 'a class id or name', 'an empty cell');
        this.labels.push(cell);
        continue;
      }
      const v = NUMBER.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(v)) {
        const what = cell === '' ? 'empty cell' : NUMERIC_LOOKING(cell) ? 'non-finite value' : 'non-numeric cell';
        throw new DataFormatError({ file: this.file, line: rec.line, column: c + 1, record: r }, what, 'a finite decimal number', JSON.stringify(cell),
          'Fix or remove the cell (impute missing values), or set labelColumn if this column holds class names.');
      }
      this.values.push(v);
    }
    this.n += 1;
  }
}

function resolveLabelColumn(spec: number | string, width: number, names: string[] | undefined): number {
  if (typeof spec === 'string') {
    if (!names) throw new InvalidOptionError('labelColumn', spec, 'a column index when the file has no header row');
    const at = names.indexOf(spec);
    if (at < 0) throw new InvalidOptionError('labelColumn', spec, `one of the header names ${JSON.stringify(names)}`);
    return at;
  }
  const at = spec < 0 ? width + spec : spec;
  if (!Number.isInteger(spec) || at < 0 || at >= width) {
    throw new InvalidOptionError('labelColumn', spec, `an integer index in -${width}..${width - 1}`);
  }
  return at;
}
