import * as tf from '@tensorflow/tfjs-core';
import type { ParamTensors } from '@pikt/core';
import { ADAM_DEFAULTS, type OptimizerConfig, type OptimizerKind } from './config.js';

/** An optimizer's state as tensors plus the update count, for checkpoints. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Number of updates applied. */
  t: number;
  /** Per-parameter slots, keyed `m/<param>` and `v/<param>` for Adam (none for gd/sgd). */
  slots: Record<string, tf.Tensor>;
}

export interface Optimizer {
  readonly kind: OptimizerKind;
  /**
   * Apply one update to the trainable parameters, returning the new parameter record. The old tensors
   * of updated parameters and the gradients are disposed; the others are carried over.
   */
  update(params: ParamTensors, grads: Record<string, tf.Tensor>): ParamTensors;
  /** The current state (tensors owned by the optimizer: do not dispose). */
  state(): OptimizerState;
  dispose(): void;
}

/**
 * gd and sgd: W <- W - eta * g (the same rule; gd gets the full-batch gradient, sgd a mini-batch one).
 *
 * adam (Kingma & Ba 2015, Algorithm 1): with t the update count,
 *   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,
 *   W <- W - eta * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon).
 * The bias corrections are computed in float64 and enter as scalars.
 *
 * `restore` continues from a checkpoint's state (its tensors are taken over by the optimizer).
 */
export function createOptimizer(config: OptimizerConfig, restore?: OptimizerState): Optimizer {
  let t = restore?.t ?? 0;
  const slots: Record<string, tf.Tensor> = { ...(restore?.slots ?? {}) };
  const { kind, lr, beta1 = ADAM_DEFAULTS.beta1, beta2 = ADAM_DEFAULTS.beta2, epsilon = ADAM_DEFAULTS.epsilon } = config;
  return {
    kind,
    update(params, grads) {
      t += 1;
      const next: ParamTensors = { ...params };
      for (const [name, g] of Object.entries(grads)) {
        const p = params[name];
        if (kind === 'adam') {
          const mKey = `m/${name}`;
          const vKey = `v/${name}`;
          const [m, v, updated] = tf.tidy(() => {
            const mPrev = slots[mKey] ?? tf.zerosLike(p);
            const vPrev = slots[vKey] ?? tf.zerosLike(p);
            const mNew = tf.add(tf.mul(mPrev, beta1), tf.mul(g, 1 - beta1));
            const vNew = tf.add(tf.mul(vPrev, beta2), tf.mul(tf.square(g), 1 - beta2));
            const mHat = tf.div(mNew, 1 - beta1 ** t);
            const vHat = tf.div(vNew, 1 - beta2 ** t);
            const step = tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(vHat), epsilon));
            return [mNew, vNew, tf.sub(p, step)];
          });
          tf.dispose([slots[mKey], slots[vKey]].filter((s): s is tf.Tensor => s !== undefined));
          slots[mKey] = m;
          slots[vKey] = v;
          next[name] = updated;
        } else {
          next[name] = tf.tidy(() => tf.sub(p, tf.mul(g, lr)));
        }
        p.dispose();
        g.dispose();
      }
      return next;
    },
    state: () => ({ kind, t, slots }),
    dispose() {
      tf.dispose(Object.values(slots));
      for (const k of Object.keys(slots)) delete slots[k];
    },
  };
}
