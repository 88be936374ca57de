import type { PairAsset } from './data.js';

/**
 * The demo's static class-pair asset: "PIKTPAIR", a uint32 (little-endian) header length, a JSON header
 * { name, dim, nTrain, nTest, scale }, padding to 2 bytes, then int16 coordinates (train rows, test
 * rows; value = q / 32767 * scale) and int8 labels (-1 / +1, train then test). Quantizing PCA
 * coordinates to 16 bits keeps 4-5 significant digits at a quarter of JSON's size.
 */
const MAGIC = 'PIKTPAIR';

export function encodePair(p: PairAsset): Uint8Array {
  let scale = 0;
  for (const a of [p.train.x, p.test.x]) for (const v of a) scale = Math.max(scale, Math.abs(v));
  scale = scale || 1;
  const nTrain = p.train.y.length;
  const nTest = p.test.y.length;
  const header = new TextEncoder().encode(JSON.stringify({ name: p.name, dim: p.dim, nTrain, nTest, scale }));
  let off = 12 + header.length;
  off += off % 2;
  const bytes = new Uint8Array(off + 2 * p.dim * (nTrain + nTest) + nTrain + nTest);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, header.length, true);
  bytes.set(header, 12);
  const q = new Int16Array(bytes.buffer, off, p.dim * (nTrain + nTest));
  const all = [...p.train.x, ...p.test.x];
  for (let i = 0; i < all.length; i++) q[i] = Math.round((all[i] / scale) * 32767);
  const labels = new Int8Array(bytes.buffer, off + 2 * q.length, nTrain + nTest);
  [...p.train.y, ...p.test.y].forEach((v, i) => { labels[i] = v > 0 ? 1 : -1; });
  return bytes;
}

export function decodePair(bytes: Uint8Array): PairAsset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error('not a pikt demo pair asset (bad magic)');
  const len = view.getUint32(8, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as { name: string; dim: number; nTrain: number; nTest: number; scale: number };
  let off = 12 + len;
  off += off % 2;
  const total = h.nTrain + h.nTest;
  if (bytes.length !== off + 2 * h.dim * total + total) throw new Error(`pair asset ${h.name}: ${bytes.length} bytes, expected ${off + 2 * h.dim * total + total}`);
  const copy = bytes.slice(off); // aligned for the Int16Array view
  const q = new Int16Array(copy.buffer, 0, h.dim * total);
  const x = Float32Array.from(q, (v) => (v / 32767) * h.scale);
  const labels = new Int8Array(copy.buffer, 2 * q.length, total);
  const y = Float32Array.from(labels);
  return {
    name: h.name, dim: h.dim,
    train: { x: x.subarray(0, h.nTrain * h.dim), y: y.subarray(0, h.nTrain) },
    test: { x: x.subarray(h.nTrain * h.dim), y: y.subarray(h.nTrain) },
  };
}
