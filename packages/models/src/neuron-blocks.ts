/** A contiguous range of hidden neurons [start, start + size) processed as one block. */
export interface NeuronBlock {
  start: number;
  size: number;
  /** 0 for the first half of the neurons, 1 for the second (the mirrored half). */
  half: 0 | 1;
}

/** Largest [batch, block] float32 intermediate we allow: 2^25 elements = 128 MiB. */
const MAX_BLOCK_ELEMENTS = 2 ** 25;

/**
 * Split m neurons into blocks: the first half [0, ceil(m/2)) and the second half [ceil(m/2), m) are
 * cut at the same offsets, so with symmetric initialization (neuron r + m/2 mirrors neuron r) the
 * two halves go through kernels of identical shapes and their partial outputs cancel exactly in
 * float32 (rounding to nearest is symmetric in sign).
 *
 * The block size is `blockSize` neurons (0 = 1024: on wasm, [2000 x 784] x [784 x 1024] products
 * ran at ~20 GFLOP/s against ~13 with 4096-neuron blocks), reduced so that one [batch, block]
 * float32 intermediate stays under 128 MiB: widths up to 10^5 then fit the wasm heap (~2 GB of live
 * tensors). It depends on the batch size only through that cap, so the default gives the same
 * summation order, hence the same numbers, for every batch up to 32768 rows.
 */
export function planNeuronBlocks(width: number, batch: number, blockSize: number): NeuronBlock[] {
  let size = blockSize > 0 ? blockSize : 1024;
  while (size > 1 && Math.max(batch, 1) * size > MAX_BLOCK_ELEMENTS) size = Math.ceil(size / 2);
  const half = Math.ceil(width / 2);
  const blocks: NeuronBlock[] = [];
  for (const [h, lo, hi] of [[0, 0, half], [1, half, width]] as const) {
    for (let s = lo; s < hi; s += size) blocks.push({ start: s, size: Math.min(size, hi - s), half: h });
  }
  return blocks;
}
