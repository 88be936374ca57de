import { InvalidOptionError } from '@pikt/core';
import { DataFormatError } from '../errors.js';
import type { LabeledSource } from '../labeled-data.js';
import { readDataFile } from './bytes.js';

export interface CsvOptions {
  /** Field separator, one character (default ","). */
  delimiter?: string;
  /**
   * Whether the first row names the columns; "auto" (default): yes when a column has text in the
   * first row and a number in the second, or when labelColumn is a name.
   */
  header?: boolean | 'auto';
  /**
   * The column holding class labels: 0-based index (negative counts from the end, -1 = last), or a
   * header name. Non-negative integers are class ids; any other text is a class name (ids follow
   * the sorted names). Default null: every column is a feature and the table has no labels.
   */
  labelColumn?: number | string | null;
}

/** A parsed numeric table: features in float64, row-major [n, d]. */
export interface CsvTable extends LabeledSource {
  x: Float64Array;
  classIds?: Int32Array;
  /** Feature column names (from the header, else c0, c1, ...). */
  columns: string[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

interface Rec { line: number; cells: string[] }

/** Splits text into records of cells (RFC 4180 quoting: "a,b" and "" for a quote); unquoted cells are trimmed. */
function tokenize(text: string, delim: string, file: string): Rec[] {
  const recs: Rec[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recLine = 1;
  let i = 0;
  const pushCell = () => { cells.push(quoted ? cell : cell.trim()); cell = ''; quoted = false; };
  const pushRecord = () => {
    pushCell();
    if (!(cells.length === 1 && cells[0] === '')) recs.push({ line: recLine, cells });
    cells = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && !quoted && cell.trim() === '') {
      const startLine = line;
      cell = '';
      i += 1;
      for (;;) {
        if (i >= text.length) {
          throw new DataFormatError({ file, line: startLine, record: recs.length }, 'unterminated quoted field', 'a closing double quote', 'end of file');
        }
        if (text[i] === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i += 1;
          break;
        }
        if (text[i] === '\n') line += 1;
        cell += text[i];
        i += 1;
      }
      quoted = true;
      while (text[i] === ' ' || text[i] === '\t') i += 1;
      if (i < text.length && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r') {
        throw new DataFormatError({ file, line, record: recs.length }, 'text after a closing quote', `"${delim}" or end of line`, JSON.stringify(text[i]));
      }
      continue;
    }
    if (ch === delim) { pushCell(); i += 1; continue; }
    if (ch === '\n' || ch === '\r') {
      pushRecord();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      i += 1;
      line += 1;
      recLine = line;
      continue;
    }
    cell += ch;
    i += 1;
  }
  if (cell !== '' || quoted || cells.length > 0) pushRecord();
  return recs;
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

/**
 * Parses CSV text of numbers (a user's own data). Every feature cell must be a decimal number:
 * empty, non-numeric and non-finite cells (NaN, inf, overflow) raise DataFormatError naming the
 * line and column, as do rows with a different number of cells.
 */
export function parseCsv(text: string, options: CsvOptions = {}, file = '<csv>'): CsvTable {
  const delim = options.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new InvalidOptionError('delimiter', delim, 'a single character other than a quote or newline');
  }
  const recs = tokenize(text.startsWith('\ufeff') ? text.slice(1) : text, delim, file);
  if (recs.length === 0) throw new DataFormatError({ file, line: 1 }, 'empty CSV', 'at least one data row', 'no rows');
  const width = recs[0].cells.length;
  const headerOpt = options.header ?? 'auto';
  // "auto": the first row is a header when a column holds text there and a number in the next row
  // (a label column of names does not count), or when the label column is named.
  const hasHeader = headerOpt !== 'auto' ? headerOpt : typeof options.labelColumn === 'string'
    || (recs.length > 1 && recs[0].cells.some((c, j) => !NUMBER.test(c) && NUMBER.test(recs[1].cells[j] ?? '')));
  const names = hasHeader ? recs[0].cells : undefined;
  const rows = hasHeader ? recs.slice(1) : recs;
  if (rows.length === 0) throw new DataFormatError({ file, line: recs[0].line }, 'empty CSV', 'at least one data row after the header', 'only a header');
  const labelCol = options.labelColumn === undefined || options.labelColumn === null ? -1 : resolveLabelColumn(options.labelColumn, width, names);
  const d = labelCol >= 0 ? width - 1 : width;
  if (d < 1) throw new DataFormatError({ file, line: recs[0].line }, 'no feature columns', 'at least one column besides the label', `${width} column(s)`);
  const n = rows.length;
  const x = new Float64Array(n * d);
  const labelCells: string[] = [];
  rows.forEach((rec, r) => {
    if (rec.cells.length !== width) {
      throw new DataFormatError({ file, line: rec.line, record: r }, 'wrong number of cells', `${width} (as in line ${recs[0].line})`, String(rec.cells.length));
    }
    let j = 0;
    for (let c = 0; c < width; c++) {
      const cell = rec.cells[c];
      if (c === labelCol) {
        if (cell === '') throw new DataFormatError({ file, line: rec.line, column: c + 1, record: r }, 'empty label', 'a class id or name', 'an empty cell');
        labelCells.push(cell);
        continue;
      }
      const v = NUMBER.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(v)) {
        const what = cell === '' ? 'empty cell' : NON_FINITE.test(cell) || NUMBER.test(cell) ? 'non-finite value' : 'non-numeric cell';
        throw new DataFormatError({ file, line: rec.line, column: c + 1, record: r }, what, 'a finite decimal number', JSON.stringify(cell),
          'Fix or remove the cell (impute missing values), or set labelColumn if this column holds class names.');
      }
      x[r * d + j] = v;
      j += 1;
    }
  });
  const columns = names ? names.filter((_, c) => c !== labelCol) : Array.from({ length: d }, (_, c) => `c${c}`);
  const table: CsvTable = { n, d, x, columns, numClasses: 0 };
  if (labelCol >= 0) Object.assign(table, encodeLabels(labelCells));
  return table;
}

function encodeLabels(cells: string[]): { classIds: Int32Array; numClasses: number; classNames: string[] } {
  if (cells.every((c) => /^\d{1,9}$/.test(c))) {
    const classIds = Int32Array.from(cells, Number);
    const numClasses = classIds.reduce((m, v) => Math.max(m, v), 0) + 1;
    return { classIds, numClasses, classNames: Array.from({ length: numClasses }, (_, i) => String(i)) };
  }
  const classNames = [...new Set(cells)].sort();
  const id = new Map(classNames.map((name, i) => [name, i]));
  return { classIds: Int32Array.from(cells, (c) => id.get(c) as number), numClasses: classNames.length, classNames };
}

/** Reads and parses a CSV file (UTF-8, plain or .gz). Node only. */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const bytes = await readDataFile(path, { dataset: 'CSV', hint: 'Check the path of your CSV file.' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataFormatError({ file: path }, 'not UTF-8 text', 'a UTF-8 encoded CSV file', 'invalid UTF-8 bytes', 'Re-save the file as UTF-8 CSV.');
  }
  return parseCsv(text, options, path);
}
