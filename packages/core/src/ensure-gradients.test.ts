import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGradientBundle, bundleEntry, run, coreDir } from '../test-support/node-child.js';

// The point of ensureGradients is plain Node, where tfjs-core registers no gradients: test it there,
// in a child `node` process, not inside vitest (where another test file may have registered them).
const source = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureGradients, gradientsRegistered } from '${coreDir}src/ensure-gradients.ts';
await tf.setBackend('cpu');
const f = (x) => tf.sum(tf.square(x));
let before = 'no error';
try { tf.grad(f)(tf.tensor1d([1, 2])); } catch (e) { before = e.message; }
const registeredBefore = gradientsRegistered();
await ensureGradients();
await ensureGradients(); // idempotent
const g = Array.from(tf.grad(f)(tf.tensor1d([1, -3])).dataSync());
// d/dA sum(relu(A B)) + sum(A) through matMul, relu, addN (dy.clone) and sum.
const A = tf.tensor2d([[1, -2], [3, 4]]);
const B = tf.tensor2d([[1, 0], [0, 1]]);
const [gA] = tf.grads((a, b) => tf.addN([tf.sum(tf.relu(tf.matMul(a, b))), tf.sum(a)]))([A, B]);
console.log(JSON.stringify({ before, registeredBefore, after: gradientsRegistered(), g, gA: Array.from(gA.dataSync()) }));
`;

// The shipped module imported before tfjs-core itself: the application's tfjs-core must still own the
// Tensor class (else t.clone() and the AddN/Cast gradients break).
const importedFirst = `
import '${coreDir}gradients/register-all-gradients.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend('cpu');
const clone = Array.from(tf.tensor1d([3, 4]).clone().dataSync());
const g = Array.from(tf.grad((x) => tf.addN([tf.sum(tf.cast(x, 'float32')), tf.sum(x)]))(tf.tensor1d([1, 2])).dataSync());
console.log(JSON.stringify({ clone, g }));
`;

// No backend imported, no gradient registered: the guards answer with pikt errors that say what to do.
const guards = `
import { requireBackend } from '${coreDir}src/require-backend.ts';
import { requireGradients } from '${coreDir}src/ensure-gradients.ts';
const out = {};
for (const [name, f] of [['backend', () => requireBackend('my analysis')], ['gradients', () => requireGradients('regularizerLoss')]]) {
  try { f(); out[name] = 'no error'; } catch (e) { out[name] = { name: e.name, code: e.code, message: e.message }; }
}
console.log(JSON.stringify(out));
`;

let bundle: Awaited<ReturnType<typeof bundleEntry>>;
let guarded: Awaited<ReturnType<typeof bundleEntry>>;
let first: Awaited<ReturnType<typeof bundleEntry>>;
beforeAll(async () => {
  await buildGradientBundle();
  bundle = await bundleEntry('ensure-gradients', source);
  first = await bundleEntry('gradients-first', importedFirst);
  guarded = await bundleEntry('guards', guards);
});
afterAll(async () => { await bundle?.cleanup(); await first?.cleanup(); await guarded?.cleanup(); });

describe('ensureGradients in plain Node', () => {
  it('registers the gradients tfjs-core leaves out, so tf.grad works', async () => {
    const { stdout } = await run(process.execPath, [bundle.file]);
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(out.before).toMatch(/gradient function not found/);
    expect(out.registeredBefore).toBe(false);
    expect(out.after).toBe(true);
    expect(out.g).toEqual([2, -6]);
    // relu'(A B) = relu'(A) here (B = I): 1 where A > 0, plus 1 from sum(A).
    expect(out.gA).toEqual([2, 1, 2, 2]);
  });

  it('works whichever of tfjs-core and the shipped module is imported first', async () => {
    const { stdout } = await run(process.execPath, [first.file]);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({ clone: [3, 4], g: [2, 2] });
  });

  it('without a backend or gradients, requireBackend / requireGradients throw pikt errors naming the fix', async () => {
    const { stdout } = await run(process.execPath, [guarded.file]);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({
      backend: {
        name: 'NoBackendError', code: 'PIKT_NO_BACKEND',
        message: 'my analysis needs a tfjs backend, but none is active (tfjs: "No backend found in registry"). Activate one first: `await createWasmBackend().activate()` (@pikt/backend-wasm), `await createCpuBackend().activate()` (@pikt/backend-cpu), or `await selectBackend([...])` from @pikt/core.',
      },
      gradients: {
        name: 'NoGradientsError', code: 'PIKT_NO_GRADIENTS',
        message: 'tfjs gradients are not registered: regularizerLoss differentiates with tf.grad, but no gradient is registered. Call `await ensureGradients()` (from @pikt/core) once first; activating a pikt backend adapter (createWasmBackend(), createCpuBackend()) does it for you.',
      },
    });
  });
});
