import { PiktError } from '@pikt/core';

/** Where in a file a format problem sits. `record` is the 0-based sample (image, row) index. */
export interface DataLocation {
  /** The file name or a label such as `<bytes>` for in-memory input. */
  file: string;
  /** Byte offset from the start of the (decompressed) file. */
  offset?: number;
  /** 0-based record index (image, label, CSV data row). */
  record?: number;
  /** 1-based line number, for text formats. */
  line?: number;
  /** 1-based column number, for text formats. */
  column?: number;
}

function where(loc: DataLocation): string {
  const parts: string[] = [];
  if (loc.record !== undefined) parts.push(`record ${loc.record}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.offset !== undefined) parts.push(`byte offset ${loc.offset}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * A data file is not in the format it claims: wrong magic number, truncated, inconsistent counts,
 * a label out of range, a non-numeric or non-finite cell. Names the file, where, what was expected
 * and what was found, so the bad byte can be inspected with a hex dump.
 */
export class DataFormatError extends PiktError {
  readonly file: string;
  readonly offset?: number;
  readonly record?: number;
  readonly line?: number;
  readonly column?: number;

  constructor(
    loc: DataLocation,
    readonly problem: string,
    readonly expected: string,
    readonly found: string,
    hint = 'The file is corrupt, truncated or in another format: re-extract or re-export it.',
  ) {
    super('PIKT_DATA_FORMAT', `${loc.file}${where(loc)}: ${problem}: expected ${expected}, found ${found}.`, hint);
    this.file = loc.file;
    this.offset = loc.offset;
    this.record = loc.record;
    this.line = loc.line;
    this.column = loc.column;
  }
}

/** A dataset's files are not where they should be; the hint says how to get them. */
export class DatasetNotFoundError extends PiktError {
  constructor(readonly dataset: string, readonly path: string, hint: string) {
    super('PIKT_DATASET_NOT_FOUND', `${dataset}: ${path} does not exist.`, hint);
  }
}
