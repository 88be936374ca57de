import { describe, expect, it } from 'vitest';
import { PiktError } from '@pikt/core';
import { withFs, wrapFsError } from './fs-errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: raw node message`), { code });

describe('wrapFsError', () => {
  it('turns raw errno errors into PiktErrors naming the operation, the path and what to do', async () => {
    await expect(withFs('write', '/data/out/results.json', () => { throw errno('ENOSPC'); })).rejects.toThrow(
      'Cannot write /data/out/results.json: no space left on the device (ENOSPC). Free some disk space or choose a folder on another disk; finished work written before is intact.');
    const e = wrapFsError(errno('EACCES'), 'create the folder', '/x') as PiktError;
    expect(e).toBeInstanceOf(PiktError);
    expect([e.code, e.message]).toEqual(['PIKT_FS_EACCES', 'Cannot create the folder /x: permission denied (EACCES). Choose a folder you can write to, or change its permissions.']);
    expect((wrapFsError(errno('ENOTDIR'), 'read', '/a/b') as Error).message).toBe('Cannot read /a/b: a part of the path is a file, not a folder (ENOTDIR). Check the path: one of its folders is an existing file.');
    const plain = new TypeError('not fs');
    expect(wrapFsError(plain, 'write', '/x')).toBe(plain);
  });
});
