import { createRng, type ModelIO, type ModelV1, type ParamTensors } from '@pikt/core';

/**
 * W(0) exactly as a run with this seed draws it: `model.init(createRng(seed).child('init'), io)`.
 * For analysis that must see the same initialization as training (the empirical NTK Gram H(W(0))
 * and its mu_max for the stability bound). The caller owns the returned tensors.
 */
export function initialParams<P extends ParamTensors>(model: ModelV1<P>, seed: number | string, io: ModelIO): P {
  return model.init(createRng(seed).child('init'), io);
}
