import { PiktError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { DataFormatError, DatasetNotFoundError } from './errors.js';

describe('DataFormatError', () => {
  it('names the file, the place, what was expected and what was found', () => {
    const e = new DataFormatError({ file: 'a.idx', offset: 12, record: 3 }, 'label out of range', 'a class id in 0..9', '11');
    expect(e).toBeInstanceOf(PiktError);
    expect(e.code).toBe('PIKT_DATA_FORMAT');
    expect(e.message).toBe('a.idx (record 3, byte offset 12): label out of range: expected a class id in 0..9, found 11. '
      + 'The file is corrupt, truncated or in another format: re-extract or re-export it.');
    expect([e.file, e.offset, e.record]).toEqual(['a.idx', 12, 3]);
  });

  it('uses line and column for text formats, and a custom hint', () => {
    const e = new DataFormatError({ file: 'x.csv', line: 4, column: 2 }, 'non-numeric cell', 'a number', '"abc"', 'Fix it.');
    expect(e.message).toBe('x.csv (line 4, column 2): non-numeric cell: expected a number, found "abc". Fix it.');
    expect(e.hint).toBe('Fix it.');
  });
});

describe('DatasetNotFoundError', () => {
  it('says which dataset, which path and how to get it', () => {
    const e = new DatasetNotFoundError('Fashion-MNIST', '/nope', 'Install dataset-fashion-mnist.');
    expect(e.code).toBe('PIKT_DATASET_NOT_FOUND');
    expect(e.message).toBe('Fashion-MNIST: /nope does not exist. Install dataset-fashion-mnist.');
  });
});
