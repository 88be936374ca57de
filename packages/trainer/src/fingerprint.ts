import { fmix32, fnv1a } from '@pikt/core';

/**
 * A 32-bit fingerprint of float arrays: h <- fmix32(h ^ word) over their raw 32-bit words (murmur3's
 * finalizer mixes every input bit into every output bit, unlike a multiply-only fold, which would miss
 * sign flips). Fast enough for millions of values; a checkpoint only resumes on the data it saw.
 */
export function fingerprintArrays(arrays: ReadonlyArray<Float32Array | undefined>): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    if (!a) { h = fmix32((h ^ 0xff) >>> 0); continue; }
    const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
    h = fmix32((h ^ a.length) >>> 0);
    for (let i = 0; i < words.length; i++) h = fmix32((h ^ words[i]) >>> 0);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Hex FNV-1a of a string. */
export function hashString(s: string): string {
  return fnv1a(s).toString(16).padStart(8, '0');
}
