import { InvalidOptionError, type Rng } from '@pikt/core';

/**
 * Teacher-quality knob "label noise" (SCIENCE.md section 1, E3): a copy of `classIds` (class ids in
 * [0, numClasses)) in which exactly round(rate * n) samples, chosen uniformly without replacement,
 * get a different class drawn uniformly from the other numClasses - 1. Deterministic in `rng`.
 * Returns the noisy labels and the sorted indices that changed. Train the teacher on the noisy
 * labels; the student and the evaluation keep the clean ones.
 */
export function withLabelNoise(classIds: Int32Array, numClasses: number, rate: number, rng: Rng): { classIds: Int32Array; flipped: Int32Array } {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new InvalidOptionError('withLabelNoise.numClasses', numClasses, 'an integer >= 2');
  if (!(rate >= 0 && rate <= 1)) throw new InvalidOptionError('withLabelNoise.rate', rate, 'a fraction in [0, 1]');
  const bad = classIds.findIndex((c) => c < 0 || c >= numClasses);
  if (bad >= 0) throw new InvalidOptionError(`withLabelNoise.classIds[${bad}]`, classIds[bad], `a class id in [0, ${numClasses})`);
  const out = Int32Array.from(classIds);
  const count = Math.round(rate * classIds.length);
  const flipped = rng.child('which').permutation(classIds.length).slice(0, count).sort();
  const pick = rng.child('class');
  for (const i of flipped) {
    const shift = 1 + pick.int(numClasses - 1); // never 0: the new class differs
    out[i] = (classIds[i] + shift) % numClasses;
  }
  return { classIds: out, flipped };
}
