import { fnv1a } from '@pikt/core';

/** JSON with object keys sorted at every level, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * 32-bit FNV-1a over the raw bytes of float arrays, folded word by word (fast enough for millions of
 * values): a fingerprint of the training data, so a checkpoint only resumes on the data it saw.
 */
export function fingerprintArrays(arrays: ReadonlyArray<Float32Array | undefined>): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    if (!a) { h = Math.imul(h ^ 0xff, 0x01000193); continue; }
    const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
    h = Math.imul(h ^ a.length, 0x01000193);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Hex FNV-1a of a string. */
export function hashString(s: string): string {
  return fnv1a(s).toString(16).padStart(8, '0');
}
