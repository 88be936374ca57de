import * as tf from '@tensorflow/tfjs-core';
import type { ShardSegment } from './shard-plan.js';

/** What one shard is given at start (plain arrays: they cross a thread boundary). */
export interface ShardKernelInit {
  /** Width m of the whole student (the scale is 1/sqrt(m), not 1/sqrt(m_s)). */
  width: number;
  inputDim: number;
  outputDim: number;
  /** Blocks of this shard in local rows (from `shardBlocks`). */
  blocks: ShardSegment[];
  /** This shard's rows of W [m_s, d] and a [m_s, K], row-major. */
  W: Float32Array;
  a: Float32Array;
  /** Rows of W(0) and a(0), for the partial ||W - W(0)||_F^2 (omit to skip it). */
  initial?: { W: Float32Array; a: Float32Array };
  /** 'both' trains a as well. */
  trainLayers: 'first' | 'both';
  /** Inputs of each split, row-major [n, d] (the same memory for every shard when shared). */
  splits: Record<string, Float32Array>;
}

/**
 * The wide student's share of one GD step on a shard (SCIENCE.md section 1), with W_s, a_s its rows:
 *
 *   forward:  u_s = (1/sqrt(m)) relu(X W_s^T) a_s                          [n, K]
 *   update:   dW_s = (1/sqrt(m)) ((G a_s^T) .* 1{X W_s^T > 0})^T X        [m_s, d]
 *             da_s = (1/sqrt(m)) relu(X W_s^T)^T G                         [m_s, K]  (trainLayers 'both')
 *             W_s <- W_s - eta dW_s  (and a_s <- a_s - eta da_s)
 *
 * for G = dL/du of the summed u = sum_s u_s. Blockwise in the transposed layout, as the unsharded
 * student: H_b^T = W_b X^T, u^T += a_b^T relu(H_b^T), with the two halves summed separately so a
 * symmetric init gives u_s = 0 exactly. W and a are kept as one tensor per block, so no slicing or
 * concatenation happens per step, and X^T of each whole split is made once. The forward pass of
 * a step keeps the activation patterns (first layer only), so a step costs two n x d x m_s products (masks: float32 0/1, 4 n m_s bytes).
 */
export function createShardKernel(init: ShardKernelInit) {
  const { width, inputDim: d, outputDim: k, blocks, trainLayers } = init;
  const scale = 1 / Math.sqrt(width);
  const rows = (data: Float32Array, cols: number, b: ShardSegment) => tf.tensor2d(data.subarray(b.start * cols, (b.start + b.size) * cols), [b.size, cols]);
  let W = blocks.map((b) => rows(init.W, d, b));
  let a = blocks.map((b) => rows(init.a, k, b));
  let aT = a.map((t) => tf.transpose(t));
  const W0 = init.initial ? blocks.map((b) => rows(init.initial!.W, d, b)) : undefined;
  const a0 = init.initial && trainLayers === 'both' ? blocks.map((b) => rows(init.initial!.a, k, b)) : undefined;
  const x: Record<string, { x: tf.Tensor2D; xT: tf.Tensor2D }> = {};
  for (const [name, data] of Object.entries(init.splits)) {
    const t = tf.tensor2d(data, [data.length / d, d]);
    x[name] = { x: t, xT: tf.transpose(t) };
  }
  /** The batch of the last kept forward pass, with its masks (first layer) for `update`. */
  let kept: { x: tf.Tensor2D; own: boolean; masks: tf.Tensor[] } | undefined;
  const dropKept = () => {
    if (!kept) return;
    tf.dispose(kept.masks);
    if (kept.own) kept.x.dispose();
    kept = undefined;
  };

  return {
    /** u_s of split `split` (rows `batch` of it when given), row-major [b, K]; `keep` prepares `update`. */
    async forward(split: string, batch: Int32Array | undefined, keep: boolean): Promise<Float32Array> {
      const s = x[split];
      if (!s) throw new Error(`shard has no split "${split}" (known: ${Object.keys(x).join(', ')})`);
      if (keep) dropKept();
      const [xb, xbT] = batch
        ? tf.tidy(() => { const g = tf.gather(s.x, tf.tensor1d(batch, 'int32')) as tf.Tensor2D; return [g, tf.transpose(g)]; })
        : [s.x, s.xT];
      const masks: tf.Tensor[] = [];
      const halves: Array<tf.Tensor2D | null> = [null, null];
      blocks.forEach((b, i) => {
        const [o, mask] = tf.tidy(() => {
          const HT = tf.matMul(W[i], xbT);
          const oT = tf.matMul(aT[i], tf.relu(HT)) as tf.Tensor2D;
          // A float32 0/1 step mask, as the unsharded student keeps (a bool mask and where cost more on wasm).
          return keep && trainLayers === 'first' ? [oT, tf.step(HT)] : [oT];
        });
        if (mask) masks.push(mask);
        const prev = halves[b.half];
        halves[b.half] = prev ? tf.tidy(() => tf.add(prev, o) as tf.Tensor2D) : o as tf.Tensor2D;
        if (prev) { prev.dispose(); o.dispose(); }
      });
      const u = tf.tidy(() => {
        const [h0, h1] = halves;
        const sum = h0 && h1 ? tf.add(h0, h1) : (h0 ?? h1 ?? tf.zeros([k, xb.shape[0]]));
        return tf.transpose(tf.mul(sum, scale));
      });
      tf.dispose(halves.filter((h): h is tf.Tensor2D => h !== null));
      if (batch && xbT !== s.xT) xbT.dispose();
      if (keep) kept = { x: xb, own: batch !== undefined, masks };
      else if (batch) xb.dispose();
      try {
        return (await u.data()) as Float32Array;
      } finally {
        u.dispose();
      }
    },

    /**
     * One GD update from G = dL/du [b, K] (row-major) of the last kept forward pass, with rate `lr`.
     * Returns this shard's sum of ||W_b - W_b(0)||^2 (and ||a_b - a_b(0)||^2) in float64 when tracked.
     */
    async update(G: Float32Array, lr: number): Promise<number | undefined> {
      if (!kept) throw new Error('update without a kept forward pass (call forward with keep first)');
      const batch = kept;
      const n = batch.x.shape[0];
      const g = tf.tidy(() => tf.mul(tf.tensor2d(G, [n, k]), scale) as tf.Tensor2D);
      const gT = tf.transpose(g);
      const nextW: tf.Tensor2D[] = [];
      const nextA: tf.Tensor2D[] = [];
      blocks.forEach((_b, i) => {
        const [w, aa] = tf.tidy(() => {
          const MT = tf.matMul(a[i], gT);
          if (trainLayers === 'first') {
            const ST = tf.mul(MT, batch.masks[i]) as tf.Tensor2D;
            return [tf.sub(W[i], tf.mul(tf.matMul(ST, batch.x), lr)) as tf.Tensor2D];
          }
          const HT = tf.matMul(W[i], tf.transpose(batch.x));
          const dW = tf.matMul(tf.mul(MT, tf.step(HT)) as tf.Tensor2D, batch.x);
          const da = tf.matMul(tf.relu(HT), g);
          return [tf.sub(W[i], tf.mul(dW, lr)) as tf.Tensor2D, tf.sub(a[i], tf.mul(da, lr)) as tf.Tensor2D];
        });
        nextW.push(w);
        if (aa) nextA.push(aa);
      });
      tf.dispose([g, gT, ...W]);
      W = nextW;
      if (trainLayers === 'both') {
        tf.dispose([...a, ...aT]);
        a = nextA;
        aT = a.map((t) => tf.transpose(t));
      }
      dropKept();
      if (!W0) return undefined;
      const sums = tf.tidy(() => tf.stack([
        ...W.map((w, i) => tf.sum(tf.square(tf.sub(w, W0[i])))),
        ...(a0 ? a.map((t, i) => tf.sum(tf.square(tf.sub(t, a0[i])))) : []),
      ]));
      try {
        let total = 0;
        for (const v of await sums.data()) total += v;
        return total;
      } finally {
        sums.dispose();
      }
    },

    /** This shard's current W_s [m_s, d] and a_s [m_s, K], row-major. */
    async params(): Promise<{ W: Float32Array; a: Float32Array }> {
      const read = async (parts: tf.Tensor2D[], cols: number) => {
        const out = new Float32Array(parts.reduce((t, p) => t + p.shape[0], 0) * cols);
        let at = 0;
        for (const p of parts) { out.set(await p.data() as Float32Array, at); at += p.size; }
        return out;
      };
      return { W: await read(W, d), a: await read(a, k) };
    },

    dispose(): void {
      dropKept();
      tf.dispose([...W, ...a, ...aT, ...(W0 ?? []), ...(a0 ?? [])]);
      for (const s of Object.values(x)) tf.dispose([s.x, s.xT]);
    },
  };
}

export type ShardKernel = ReturnType<typeof createShardKernel>;
