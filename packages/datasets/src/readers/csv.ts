import type { LabeledSource } from '../labeled-data.js';
import { CsvStreamParser } from './csv-stream.js';
import type { CsvParsed } from './csv-stream.js';
import { streamTextFile } from './text-source.js';

export interface CsvOptions {
  /** Field separator, one character (default ","). */
  delimiter?: string;
  /**
   * Whether the first row names the columns; "auto" (default): yes when a column has text in the
   * first row (not a number, not NaN/inf spelled out) and a number in the second, or when
   * labelColumn is a name. A row of numbers and NaNs is never taken as a header.
   */
  header?: boolean | 'auto';
  /**
   * The column holding class labels: 0-based index (negative counts from the end, -1 = last), or a
   * header name. Non-negative integers are class ids; any other text is a class name (ids follow
   * the sorted names). Default null: every column is a feature and the table has no labels.
   */
  labelColumn?: number | string | null;
  /** readCsv: most bytes of text, after decompression (default 256 MiB). */
  maxBytes?: number;
  /** Most feature values (default 2^25 = 256 MiB of float64). */
  maxValues?: number;
}

/** A parsed numeric table: features in float64, row-major [n, d]. */
export interface CsvTable extends LabeledSource {
  x: Float64Array;
  classIds?: Int32Array;
  /** Feature column names (from the header, else c0, c1, ...). */
  columns: string[];
}

/**
 * Parses CSV text of numbers (a user's own data). Every feature cell must be a decimal number:
 * empty, non-numeric and non-finite cells (NaN, inf, overflow) raise DataFormatError naming the
 * line and column, as do rows with a different number of cells.
 */
export function parseCsv(text: string, options: CsvOptions = {}, file = '<csv>'): CsvTable {
  const parser = new CsvStreamParser(options, file);
  parser.push(text);
  return toTable(parser.end());
}

function toTable(p: CsvParsed): CsvTable {
  const { n, d, x, names, labelCells } = p;
  const columns = names ? names.filter((_, c) => c !== p.labelColumn) : Array.from({ length: d }, (_, c) => `c${c}`);
  const table: CsvTable = { n, d, x, columns, numClasses: 0 };
  if (labelCells) Object.assign(table, encodeLabels(labelCells));
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

/**
 * Reads and parses a CSV file (UTF-8, plain or .gz) as a stream: the text is never held whole, the
 * first bad row stops the read, and memory is the numbers (float64) plus one copy while the table
 * is assembled. Files above `maxBytes` of text (after decompression; default 256 MiB) or
 * `maxValues` numbers (default 2^25) are refused with DataFormatError; devices are refused,
 * pipes are read up to the cap. Node only.
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const parser = new CsvStreamParser(options, path);
  await streamTextFile(path, (t) => parser.push(t), { maxBytes: options.maxBytes, help: { dataset: 'CSV', hint: 'Check the path of your CSV file.' } });
  return toTable(parser.end());
}
