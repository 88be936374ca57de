import * as tf from '@tensorflow/tfjs-core';

/**
 * 'same' convolution, stride 1, odd kernel size k, as one matrix product over image patches
 * (im2col):
 *
 *   y[i, r, c, :] = b + sum_{dy, dx < k} x_pad[i, r + dy, c + dx, :] . K[dy, dx, :, :]
 *                 = (patches(x) [n*h*w, k*k*cin]) (K reshaped [k*k*cin, f])  reshaped [n, h, w, f]
 *
 * for x [n, h, w, cin] (channels last), K [k, k, cin, f] (tfjs layout), b [f]. Built only from ops
 * whose gradients every backend has (pad, slice, concat, matMul): tfjs-backend-wasm 4.22 has no
 * Conv2DBackpropFilter kernel, so autodiff through `tf.conv2d` fails there.
 */
export function conv2dSame(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const [k, , , f] = kernel.shape;
    const p = (k - 1) / 2;
    const xp = p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]) : x;
    const slices: tf.Tensor4D[] = [];
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) slices.push(tf.slice(xp, [0, dy, dx, 0], [n, h, w, c]));
    const patches = slices.length === 1 ? slices[0] : tf.concat(slices, 3);
    const y = tf.matMul(tf.reshape(patches, [n * h * w, k * k * c]), tf.reshape(kernel, [k * k * c, f]));
    return tf.reshape(tf.add(y, bias), [n, h, w, f]);
  });
}
