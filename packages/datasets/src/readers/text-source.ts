import { PiktError } from '@pikt/core';
import { DataFormatError, DatasetNotFoundError } from '../errors.js';
import { isGzip } from './bytes.js';
import type { MissingFileHelp } from './bytes.js';

/** Default cap on the text of a CSV file, after decompression: 256 MiB. */
export const DEFAULT_MAX_TEXT_BYTES = 256 * 1024 * 1024;

export interface TextStreamOptions {
  /** Most bytes of text read (after gunzip); larger input stops with DataFormatError. */
  maxBytes?: number;
  help: MissingFileHelp;
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

function tooLarge(file: string, maxBytes: number, found: string): DataFormatError {
  return new DataFormatError({ file }, 'file too large', `at most ${maxBytes} bytes (${mib(maxBytes)}) of text${found.includes('decompressed') ? ' after decompression' : ''}`, found,
    'Use a smaller file (fewer rows), or raise the maxBytes option if the memory is there.');
}

/** An OS error while reading a data file, with the path and the errno (never a raw Node error). */
export class DataFileReadError extends PiktError {
  constructor(readonly path: string, readonly errno: string, cause: unknown) {
    super(`PIKT_READ_${errno}`, `Cannot read ${path}: ${errno === 'EISDIR' ? 'it is a folder, not a file' : errno === 'EACCES' || errno === 'EPERM' ? 'permission denied' : 'the system refused'} (${errno}).`,
      errno === 'EISDIR' ? 'Pass the path of a file.' : 'Check the path and its permissions.', { cause });
  }
}

function wrapRead(err: unknown, path: string, help: MissingFileHelp): unknown {
  if (err instanceof PiktError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new DatasetNotFoundError(help.dataset, path, help.hint);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new DataFileReadError(path, code, err);
  return err;
}

/**
 * Stream a text file (UTF-8, plain or gzip) to `onText` in pieces of about 64 KiB, without ever
 * holding the whole file. Regular files larger than `maxBytes` are refused before reading; gzip
 * input and pipes (FIFOs) are counted as they stream, so a small .gz expanding to gigabytes stops
 * at the cap. Character and block devices (/dev/zero, /dev/urandom) are refused. Node only.
 * An error thrown by `onText` stops the read and is rethrown.
 */
export async function streamTextFile(path: string, onText: (text: string) => void, options: TextStreamOptions): Promise<void> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const [fs, zlib] = await Promise.all([import('node:fs/promises'), import('node:zlib')]);
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    throw wrapRead(err, path, options.help);
  }
  // A pipe's pending read blocks until its writer writes or closes: after an error, close in the
  // background so the error is reported at once.
  let blockingClose = true;
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new DataFileReadError(path, 'EISDIR', undefined);
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      throw new DataFormatError({ file: path }, 'not a file', 'a regular file or a pipe', `a ${st.isCharacterDevice() ? 'character' : 'block'} device`,
        'Pass the path of a CSV file (a device such as /dev/zero never ends).');
    }
    const head = Buffer.alloc(2);
    const regular = st.isFile();
    blockingClose = regular;
    let first: Buffer | undefined;
    if (regular) {
      await handle.read(head, 0, 2, 0);
      if (!isGzip(head) && st.size > maxBytes) throw tooLarge(path, maxBytes, `${st.size} bytes`);
    }
    const raw = handle.createReadStream({ highWaterMark: 1 << 16, autoClose: false, ...(regular ? { start: 0 } : {}) });
    const iter = raw[Symbol.asyncIterator]();
    let gz = regular && isGzip(head);
    if (!regular) {
      const r = await iter.next();
      first = r.done ? undefined : (r.value as Buffer);
      gz = first !== undefined && isGzip(first);
    }
    async function* rawChunks(): AsyncGenerator<Buffer> {
      if (first) yield first;
      for (;;) {
        const r = await iter.next();
        if (r.done) return;
        yield r.value as Buffer;
      }
    }
    let source: AsyncIterable<Buffer> = rawChunks();
    let gunzip: import('node:zlib').Gunzip | undefined;
    if (gz) {
      const { Readable } = await import('node:stream');
      gunzip = zlib.createGunzip({ chunkSize: 1 << 16 });
      source = Readable.from(rawChunks()).pipe(gunzip);
    }
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let total = 0;
    let offset = 0;
    const decode = (bytes?: Uint8Array) => {
      try {
        return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
      } catch {
        throw new DataFormatError({ file: path, offset }, 'not UTF-8 text', 'a UTF-8 encoded CSV file', 'invalid UTF-8 bytes', 'Re-save the file as UTF-8 CSV.');
      }
    };
    try {
      for await (const chunk of source) {
        total += chunk.length;
        if (total > maxBytes) throw tooLarge(path, maxBytes, gz ? `more once decompressed (stopped at ${total} bytes)` : `more (stopped at ${total} bytes)`);
        const text = decode(chunk);
        offset = total;
        if (text) onText(text);
      }
    } catch (err) {
      if (err instanceof PiktError) throw err;
      if (gz) {
        throw new DataFormatError({ file: path, offset: 0 }, 'gzip stream cannot be decompressed', 'a complete gzip stream', (err as Error)?.message ?? String(err),
          'The .gz file is corrupt or truncated: re-download or re-compress it.');
      }
      throw wrapRead(err, path, options.help);
    } finally {
      gunzip?.destroy();
      raw.destroy();
    }
    const rest = decode();
    if (rest) onText(rest);
  } finally {
    const closing = handle.close().catch(() => undefined);
    if (blockingClose) await closing;
  }
}
