import * as tf from '@tensorflow/tfjs-core';
import {
  MissingInputError,
  createRng,
  ensureGradients,
  type JsonObject,
  type RegularizerFactory,
  type RegularizerInput,
  type Rng,
} from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../expect-no-tensor-leak.js';
import { readAndDispose, readScalar } from '../read-back.js';

export interface RegularizerConformanceOptions<O extends JsonObject> {
  factory: RegularizerFactory<O>;
  /** Options to test with (defaults when omitted). */
  options?: Partial<O>;
  /** Build a batch of inputs containing every need; the suite disposes them. */
  makeInput(rng: Rng): RegularizerInput;
  /** Relative tolerance of the gradient check (default 2e-2: float32 central differences). */
  gradientRtol?: number;
}

function disposeInput(input: RegularizerInput): void {
  for (const t of Object.values(input)) if (t) (t as tf.Tensor).dispose();
}

/**
 * Conformance suite for `RegularizerV1`: a finite scalar value; the gradient with respect to the
 * student's logits (and features, when needed) equals central finite differences along random directions,
 *   d/dh L(u + h v) |_{h=0} ~ (L(u + h v) - L(u - h v)) / (2 h);
 * each declared need, when left out, raises `MissingInputError` naming it; options survive a JSON
 * round trip with equal values; no tensors leak.
 * Registers tfjs's gradients itself (core's `ensureGradients`); needs an active backend.
 */
export function describeRegularizerConformance<O extends JsonObject>(opts: RegularizerConformanceOptions<O>): void {
  const { factory } = opts;
  describe(`regularizer conformance: ${factory.id}`, () => {
    beforeAll(ensureGradients);
    it('returns a finite scalar', async () => {
      const input = opts.makeInput(createRng(1));
      const value = tf.tidy(() => factory(opts.options).compute(input));
      expect(value.shape).toEqual([]);
      expect(Number.isFinite(await readScalar(value))).toBe(true);
      disposeInput(input);
    });

    it('gradient w.r.t. the student inputs matches central finite differences', async () => {
      const reg = factory(opts.options);
      const rng = createRng(2);
      const input = opts.makeInput(rng);
      const wrt: Array<'studentLogits' | 'studentFeatures'> = reg.needs.includes('studentFeatures') ? ['studentLogits', 'studentFeatures'] : ['studentLogits'];
      const rtol = opts.gradientRtol ?? 2e-2;
      for (const key of wrt) {
        const x0 = input[key] as tf.Tensor2D;
        // + 0 * sum(x) keeps x on the tape: a term that ignores it (feature matching ignores the
        // logits) has a zero gradient there, which the finite differences must reproduce.
        const loss = (x: tf.Tensor) => tf.add(reg.compute({ ...input, [key]: x as tf.Tensor2D }), tf.mul(0, tf.sum(x))) as tf.Scalar;
        const g = Array.from(await readAndDispose(tf.tidy(() => tf.grad(loss)(x0))));
        const u0 = Float32Array.from(await x0.data());
        const scale = Math.max(1e-3, Math.sqrt(u0.reduce((s, v) => s + v * v, 0) / u0.length));
        for (let trial = 0; trial < 3; trial++) {
          const v = rng.fillNormal(new Float32Array(u0.length));
          const h = 1e-2 * scale;
          const value = (sign: number) =>
            readScalar(tf.tidy(() => loss(tf.tensor2d(u0.map((x, i) => x + sign * h * v[i]), x0.shape as [number, number]))));
          const fd = ((await value(1)) - (await value(-1))) / (2 * h);
          const analytic = g.reduce((s, gi, i) => s + gi * v[i], 0);
          const gnorm = Math.sqrt(g.reduce((s, x) => s + x * x, 0) * v.length);
          expect(Math.abs(fd - analytic), `${key}, direction ${trial}: FD ${fd} vs grad.v ${analytic}`)
            .toBeLessThanOrEqual(rtol * Math.max(Math.abs(analytic), 1e-3 * gnorm, 1e-6));
        }
      }
      disposeInput(input);
    });

    it('names each missing need', () => {
      const reg = factory(opts.options);
      const input = opts.makeInput(createRng(3));
      for (const need of reg.needs) {
        const partial = { ...input, [need]: undefined };
        let caught: unknown;
        try { tf.tidy(() => reg.compute(partial)); } catch (err) { caught = err; }
        expect(caught).toBeInstanceOf(MissingInputError);
        expect((caught as MissingInputError).field).toBe(need);
        expect((caught as Error).message).toContain(need);
      }
      disposeInput(input);
    });

    it('options survive a JSON round trip and give the same value', async () => {
      const reg = factory(opts.options);
      const json = JSON.parse(JSON.stringify(reg.toJSON())) as { id: string; options: O };
      expect(json.id).toBe(factory.id);
      const again = factory(json.options);
      expect(again.options).toEqual(reg.options);
      const input = opts.makeInput(createRng(4));
      const a = await readScalar(tf.tidy(() => reg.compute(input)));
      const b = await readScalar(tf.tidy(() => again.compute(input)));
      expect(b).toBe(a);
      disposeInput(input);
    });

    it('does not leak tensors', async () => {
      const reg = factory(opts.options);
      const input = opts.makeInput(createRng(5));
      await expectNoTensorLeak(() => { tf.tidy(() => reg.compute(input)).dispose(); }, `${factory.id}.compute`);
      disposeInput(input);
    });
  });
}
