// tfjs-core's Node entry registers no gradients; inside vitest the ESM registration module loads.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
