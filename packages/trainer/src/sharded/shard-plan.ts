/** One contiguous run of student neurons [start, start + size) held by a shard, from half 0 or 1. */
export interface ShardSegment {
  start: number;
  size: number;
  half: 0 | 1;
}

/**
 * Split the m neurons of the wide student over `workers` shards by width. The student's neurons come
 * in two halves, [0, ceil(m/2)) and [ceil(m/2), m) (under symmetric initialization neuron r + m/2
 * mirrors neuron r), and each shard takes the same slice of both halves:
 *
 *   shard s holds rows [lo_s, hi_s) of half 0 and rows ceil(m/2) + [lo'_s, hi'_s) of half 1,
 *   lo_s = floor(s h / W), with h the half's size,
 *
 * so every shard is itself a symmetric student of width about m/W: its partial output
 * u_s = (1/sqrt(m)) relu(X W_s^T) a_s is exactly 0 at a symmetric init, and so is u = sum_s u_s,
 * as in the unsharded student. Rows keep the order of the unsharded W (segment 0, then segment 1).
 */
export function planShards(width: number, workers: number): ShardSegment[][] {
  const half = Math.ceil(width / 2);
  const sizes = [half, width - half];
  const plan: ShardSegment[][] = [];
  for (let s = 0; s < workers; s++) {
    const segments: ShardSegment[] = [];
    ([0, 1] as const).forEach((h) => {
      const lo = Math.floor((s * sizes[h]) / workers);
      const hi = Math.floor(((s + 1) * sizes[h]) / workers);
      if (hi > lo) segments.push({ start: h * half + lo, size: hi - lo, half: h });
    });
    plan.push(segments);
  }
  return plan;
}

/** Largest [batch, block] float32 intermediate a shard allows: 2^25 elements = 128 MiB (as the student). */
const MAX_BLOCK_ELEMENTS = 2 ** 25;

/** Neurons per block for a batch of `batch` rows: `blockSize` (0 = 1024), halved while a block is over the cap. */
export function blockRows(blockSize: number, batch: number): number {
  let size = blockSize > 0 ? blockSize : 1024;
  while (size > 1 && Math.max(batch, 1) * size > MAX_BLOCK_ELEMENTS) size = Math.ceil(size / 2);
  return size;
}

/** The blocks of one shard, in local row offsets (rows of the shard's own W_s), each tagged with its half. */
export function shardBlocks(segments: readonly ShardSegment[], rowsPerBlock: number): ShardSegment[] {
  const blocks: ShardSegment[] = [];
  let local = 0;
  for (const seg of segments) {
    for (let s = 0; s < seg.size; s += rowsPerBlock) blocks.push({ start: local + s, size: Math.min(rowsPerBlock, seg.size - s), half: seg.half });
    local += seg.size;
  }
  return blocks;
}

/** Copy the rows of `segments` out of a row-major [m, cols] array, in order (a shard's slice). */
export function takeSegments(data: Float32Array, cols: number, segments: readonly ShardSegment[]): Float32Array {
  const out = new Float32Array(segments.reduce((t, s) => t + s.size, 0) * cols);
  let at = 0;
  for (const s of segments) {
    out.set(data.subarray(s.start * cols, (s.start + s.size) * cols), at);
    at += s.size * cols;
  }
  return out;
}

/** Write a shard's rows back into the row-major [m, cols] array `into` (the inverse of takeSegments). */
export function putSegments(into: Float32Array, cols: number, segments: readonly ShardSegment[], rows: Float32Array): void {
  let at = 0;
  for (const s of segments) {
    into.set(rows.subarray(at, at + s.size * cols), s.start * cols);
    at += s.size * cols;
  }
}
