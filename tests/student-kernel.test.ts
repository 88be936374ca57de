// The kernel the analysis uses comes from the object that is trained: `studentNtk` reads the
// layer description off the wide student (@pikt/models) itself, and `hinf` / `twoLayerNtk`, the
// closed forms the CLI uses as a fast path, equal it to 1e-12 on float64 (SCIENCE.md section 3:
// Hinf(x, x') = x.x' (pi - theta) / (2 pi) for first-layer training, + the arc-cosine term for both).
import { createRng, InvalidOptionError } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { dense, hinf, layersModel, relu, serial, studentLayers, studentNtk, twoLayerNtk } from '@pikt/ntk';
import { describe, expect, it } from 'vitest';

const quiet = () => undefined;
const n = 40;
const d = 7;
/** Points on the unit sphere, and a second set with other norms (the closed forms hold for any norm). */
function points(count: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  const x = rng.fillNormal(new Float64Array(count * d));
  for (let i = 0; i < count; i++) {
    const norm = Math.hypot(...x.subarray(i * d, (i + 1) * d));
    for (let j = 0; j < d; j++) x[i * d + j] *= scale / norm;
  }
  return x;
}
const x = points(n, 1);
const xTest = points(9, 2, 1.7);

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / s;
}

describe('the student kernel from the trained model', () => {
  it('first-layer training: the wide student\'s layer kernel equals hinf to 1e-12 (train-train and test-train)', () => {
    const student = createWideStudent({ width: 512, kappa: 0.7, trainLayers: 'first' });
    const k = studentNtk(student, x, null, { inputDim: d, onWarning: quiet });
    expect(k.rows).toBe(n);
    expect(maxRelDiff(k.data, hinf(x, null, { inputDim: d, onWarning: quiet }).data)).toBeLessThan(1e-12);
    const kt = studentNtk(student, xTest, x, { inputDim: d, onWarning: quiet });
    expect(maxRelDiff(kt.data, hinf(xTest, x, { inputDim: d, onWarning: quiet }).data)).toBeLessThan(1e-12);
  });

  it('both layers trained: it equals twoLayerNtk with the student\'s kappa', () => {
    const student = createWideStudent({ width: 512, kappa: 1.3, trainLayers: 'both' });
    const k = studentNtk(student, x, null, { inputDim: d, onWarning: quiet }).data;
    const ref = twoLayerNtk(x, null, { inputDim: d, kappa: 1.3, trainLayers: 'both', onWarning: quiet }).data;
    expect(maxRelDiff(k, ref)).toBeLessThan(1e-12);
    // and kappa matters there (so the options really were read off the model)
    const other = twoLayerNtk(x, null, { inputDim: d, kappa: 1, trainLayers: 'both', onWarning: quiet }).data;
    expect(maxRelDiff(k, other)).toBeGreaterThan(1e-3);
  });

  it('a layersModel carries its own description; other models are refused with a clear error', () => {
    const layer = serial(dense({ width: 64, wStd: 1, parameterization: 'standard', trainable: true }), relu(), dense({ width: 1, wStd: 1, parameterization: 'ntk' }));
    expect(studentLayers(layersModel(layer))).toBe(layer);
    const err = (() => { try { studentLayers({ id: 'mlp-teacher', options: {} }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toBe('Invalid option "model" of studentLayers: must be "wide-student" or a model built by layersModel '
      + '(one that carries its layer description) (got "mlp-teacher"). Change "model" in the options of studentLayers.');
  });
});
