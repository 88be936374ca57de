import { PiktError } from '@pikt/core';
import { createNodeShardTransport, type ShardChannel, type ShardTransport } from './node-shard-transport.js';
import { blockRows, planShards, putSegments, shardBlocks, takeSegments, type ShardSegment } from './shard-plan.js';
import type { ShardBackend, ShardReply, ShardRequest } from './shard-protocol.js';

/** A wide student to shard, as plain arrays (W [m, d] and a [m, K] row-major, as the unsharded student holds them). */
export interface ShardedStudentSpec {
  /** Number of shards W >= 1, each on its own thread. */
  workers: number;
  width: number;
  inputDim: number;
  outputDim: number;
  W: Float32Array;
  a: Float32Array;
  /** W(0) and a(0), to track ||W - W(0)||_F (the capacity of SCIENCE.md P5) in `update`. */
  initial?: { W: Float32Array; a: Float32Array };
  trainLayers: 'first' | 'both';
  /** The student's neurons per block (0 = 1024). */
  blockSize: number;
  /** Inputs of each split [n, d] row-major: copied once into shared memory that every shard reads. */
  splits: Record<string, Float32Array>;
  backend: ShardBackend;
  /** Default: Node worker_threads (createNodeShardTransport()). */
  transport?: ShardTransport;
}

/** Where one step's time went, summed over the calls since the last `takeTimings` (milliseconds). */
export interface ShardTimings {
  /** Wall time of forward and update round trips, as the coordinator saw them. */
  forward: number;
  update: number;
  /** The slowest shard's own compute time per call, summed. */
  shardForward: number;
  shardUpdate: number;
}

export interface ShardedStudent {
  readonly workers: number;
  /** The backend the shards run on, as their tfjs reports it. */
  readonly backend: string;
  /** u = sum_s u_s on split `split` (its rows `rows` when given), [b, K] row-major; `keep` prepares `update`. */
  forward(split: string, options?: { rows?: Int32Array; keep?: boolean }): Promise<Float32Array>;
  /** Every shard takes its GD step from G = dL/du of the last kept forward; ||W - W(0)||_F^2 when tracked. */
  update(G: Float32Array, lr: number): Promise<number | undefined>;
  /** Gather W and a back into the unsharded row order. */
  params(): Promise<{ W: Float32Array; a: Float32Array }>;
  takeTimings(): ShardTimings;
  /** Stop every shard thread; resolves when all have exited. Safe to call twice. */
  close(): Promise<void>;
}

/** A shard thread failed: its index, and what it said. */
export class ShardWorkerError extends PiktError {
  constructor(readonly worker: number, detail: string) {
    super('PIKT_SHARD_FAILED', `Shard worker ${worker} failed: ${detail}.`,
      'Every shard thread has been stopped. Fix the cause above, or train with workers: 1 to run in the main thread.');
  }
}

/**
 * Start the wide student sharded by width over `workers` threads (planShards): shard s holds m/W
 * neurons, its own tfjs backend, and the inputs (sent once, shared). Per step only the n x K
 * partial outputs go up and G = dL/du comes down. Any shard failure stops all of them and rejects
 * every pending and later call with a ShardWorkerError naming the shard.
 */
export async function startShardedStudent(spec: ShardedStudentSpec): Promise<ShardedStudent> {
  const { workers, width, inputDim: d, outputDim: k } = spec;
  const plan = planShards(width, workers);
  const rowsPerBlock = blockRows(spec.blockSize, Math.max(...Object.values(spec.splits).map((x) => x.length / d)));
  const shared = shareSplits(spec.splits);
  const transport = spec.transport ?? createNodeShardTransport();
  const channels: ShardChannel[] = [];
  const pending = new Map<number, { worker: number; resolve: (r: ShardReply) => void; reject: (e: Error) => void }>();
  let failed: ShardWorkerError | undefined;
  let closing: Promise<void> | undefined;
  let nextId = 1;
  const timings: ShardTimings = { forward: 0, update: 0, shardForward: 0, shardUpdate: 0 };

  const close = (): Promise<void> => {
    if (!closing) {
      const closed = new PiktError('PIKT_SHARDS_CLOSED', 'The sharded student was closed while a call was in flight.', 'Wait for every call before close().');
      for (const p of pending.values()) p.reject(failed ?? closed);
      pending.clear();
      closing = Promise.all(channels.map((c) => c.terminate())).then(() => undefined);
    }
    return closing;
  };
  const fail = (worker: number, detail: string) => {
    if (failed || closing) return;
    failed = new ShardWorkerError(worker, detail);
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
    void close();
  };
  const request = (worker: number, msg: Omit<ShardRequest, 'id'>, transfer?: ArrayBuffer[]): Promise<ShardReply> => {
    if (failed) return Promise.reject(failed);
    if (closing) return Promise.reject(new PiktError('PIKT_SHARDS_CLOSED', 'The sharded student was closed.', 'Start a new one.'));
    const id = nextId++;
    return new Promise<ShardReply>((resolve, reject) => {
      pending.set(id, { worker, resolve, reject });
      channels[worker].post({ ...msg, id } as ShardRequest, transfer);
    });
  };
  const onReply = (worker: number, message: unknown) => {
    const r = message as ShardReply;
    const p = pending.get(r.id);
    if (r.type === 'error') { fail(worker, r.message); return; }
    if (!p) return;
    pending.delete(r.id);
    p.resolve(r);
  };
  const all = <T extends ShardReply['type']>(make: (s: number) => [Omit<ShardRequest, 'id'>, ArrayBuffer[]?]) =>
    Promise.all(plan.map((_, s) => { const [m, t] = make(s); return request(s, m, t); })) as Promise<Array<Extract<ShardReply, { type: T }>>>;

  try {
    for (let s = 0; s < workers; s++) {
      const ch = await transport.spawn(s);
      channels.push(ch);
      ch.onMessage((m) => onReply(s, m));
      ch.onFailure((err) => fail(s, err.message.split('\n')[0]));
    }
    const ready = await all<'ready'>((s) => [{
      type: 'init', backend: spec.backend,
      kernel: {
        width, inputDim: d, outputDim: k, trainLayers: spec.trainLayers, splits: shared,
        blocks: shardBlocks(plan[s], rowsPerBlock), W: takeSegments(spec.W, d, plan[s]), a: takeSegments(spec.a, k, plan[s]),
        ...(spec.initial ? { initial: { W: takeSegments(spec.initial.W, d, plan[s]), a: takeSegments(spec.initial.a, k, plan[s]) } } : {}),
      },
    }]);
    const backend = ready[0].backend;
    return {
      workers,
      backend,
      async forward(split, options = {}) {
        const t0 = performance.now();
        const parts = await all<'forward'>(() => [{ type: 'forward', split, keep: options.keep ?? false, ...(options.rows ? { rows: options.rows } : {}) }]);
        const u = parts[0].u;
        // Shard order is fixed, so the float32 sum u = u_0 + u_1 + ... is the same on every run.
        for (let s = 1; s < parts.length; s++) for (let i = 0; i < u.length; i++) u[i] = Math.fround(u[i] + parts[s].u[i]);
        timings.forward += performance.now() - t0;
        timings.shardForward += Math.max(...parts.map((p) => p.ms));
        return u;
      },
      async update(G, lr) {
        const t0 = performance.now();
        const parts = await all<'update'>(() => [{ type: 'update', G, lr }]);
        timings.update += performance.now() - t0;
        timings.shardUpdate += Math.max(...parts.map((p) => p.ms));
        if (parts.some((p) => p.squaredDistance === undefined)) return undefined;
        return parts.reduce((t, p) => t + (p.squaredDistance as number), 0);
      },
      async params() {
        const parts = await all<'params'>(() => [{ type: 'params' }]);
        const W = new Float32Array(width * d);
        const a = new Float32Array(width * k);
        parts.forEach((p, s) => { putSegments(W, d, plan[s], p.W); putSegments(a, k, plan[s], p.a); });
        return { W, a };
      },
      takeTimings() {
        const t = { ...timings };
        timings.forward = timings.update = timings.shardForward = timings.shardUpdate = 0;
        return t;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Copy each split into a SharedArrayBuffer (one copy, read by every shard) when the runtime has them. */
function shareSplits(splits: Record<string, Float32Array>): Record<string, Float32Array> {
  if (typeof SharedArrayBuffer === 'undefined') return splits;
  return Object.fromEntries(Object.entries(splits).map(([name, x]) => {
    const out = new Float32Array(new SharedArrayBuffer(x.byteLength));
    out.set(x);
    return [name, out];
  }));
}

export type { ShardSegment };
