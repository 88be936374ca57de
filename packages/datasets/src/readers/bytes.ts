import { DataFormatError, DatasetNotFoundError } from '../errors.js';

/** Largest decompressed size accepted by default (1 GiB): bounds what a corrupt or hostile .gz can allocate. */
export const DEFAULT_MAX_BYTES = 1 << 30;

/** gzip files start with 0x1f 0x8b (RFC 1952 section 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip input (any file whose first bytes are the gzip magic); other input is returned
 * unchanged. Uses node:zlib in Node (loaded on first use, never at import) and DecompressionStream
 * elsewhere. A corrupt stream or one larger than `maxBytes` raises DataFormatError naming the file.
 */
export async function maybeGunzip(bytes: Uint8Array, file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  let out: Uint8Array;
  try {
    out = await gunzip(bytes, maxBytes);
  } catch (err) {
    throw new DataFormatError({ file, offset: 0 }, 'gzip stream cannot be decompressed',
      `a complete gzip stream of at most ${maxBytes} bytes`, (err as Error)?.message ?? String(err),
      'The .gz file is corrupt or truncated: re-download or re-compress it (or raise maxBytes for a larger file).');
  }
  return out;
}

async function gunzip(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let zlib: typeof import('node:zlib') | undefined;
  try {
    zlib = await import('node:zlib');
  } catch {
    zlib = undefined;
  }
  if (zlib?.gunzipSync) {
    const buf = zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  // Browsers: stream through DecompressionStream, stopping at maxBytes.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`output exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** How to explain a missing file: which dataset it belongs to and how to get it. */
export interface MissingFileHelp {
  dataset: string;
  hint: string;
}

/**
 * Reads a whole file (Node only; node:fs is loaded on first use) and decompresses it if it is gzip.
 * A missing file raises DatasetNotFoundError with `help.hint`.
 */
export async function readDataFile(path: string, help: MissingFileHelp, maxBytes = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  let raw: Uint8Array;
  try {
    const buf = await fs.readFile(path);
    raw = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DatasetNotFoundError(help.dataset, path, help.hint);
    throw err;
  }
  return maybeGunzip(raw, path, maxBytes);
}

/** The first of `candidates` that exists, or undefined (Node only). */
export async function firstExisting(candidates: readonly string[]): Promise<string | undefined> {
  const fs = await import('node:fs/promises');
  for (const p of candidates) {
    try {
      await fs.access(p);
      return p;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
