import { PiktError, ShapeMismatchError, type JsonObject } from '@pikt/core';
import { assertFinite, type FeatureMatrix, type FloatArray, type LabeledData } from '../labeled-data.js';

/** A transform as JSON: `createTransform(config)` rebuilds it (unfitted). */
export interface TransformConfig {
  id: string;
  options?: JsonObject;
}

/**
 * A feature transform, version 1: JSON options, `fit` on training inputs only, then `apply` to any
 * split. `apply` keeps the array type it is given (float64 in, float64 out) and computes in float64.
 */
export interface TransformV1<O extends JsonObject = JsonObject> {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly options: O;
  /** True once `fit` has run. */
  readonly fitted: boolean;
  /** Learns the transform's parameters from training inputs; returns the same transform. */
  fit(train: FeatureMatrix): TransformV1<O>;
  apply<T extends FloatArray>(data: FeatureMatrix<T>): FeatureMatrix<T>;
  toJSON(): TransformConfig;
}

/** Raised when a transform is applied before it was fitted. */
export class NotFittedError extends PiktError {
  constructor(readonly transform: string) {
    super('PIKT_NOT_FITTED', `Transform "${transform}" was applied before fit.`,
      'Call fit(train) on the training inputs first (or use fitTransform), then apply it to every split.');
  }
}

export function checkMatrix(m: FeatureMatrix, what: string): void {
  if (!Number.isInteger(m.n) || m.n < 0 || !Number.isInteger(m.d) || m.d < 1 || m.x.length !== m.n * m.d) {
    throw new ShapeMismatchError(what, `[n, d] with x.length = n * d`, `n = ${m.n}, d = ${m.d}, x.length = ${m.x.length}`);
  }
  assertFinite(m.x, what);
}

/** `values` in the array type of `like` (no copy when both are float64). */
export function sameType<T extends FloatArray>(like: T, values: Float64Array): T {
  return (like instanceof Float64Array ? values : Float32Array.from(values)) as T;
}

/** A transform built by makeTransform: `state()` exposes the fitted parameters (undefined before fit). */
export interface StatefulTransform<O extends JsonObject, S> extends TransformV1<O> {
  fit(train: FeatureMatrix): StatefulTransform<O, S>;
  state(): S | undefined;
}

/** What a transform implements: fit returns its state, apply maps inputs with that state to float64 outputs. */
export interface TransformImpl<S> {
  fit(train: FeatureMatrix): S;
  apply(state: S, data: FeatureMatrix): { x: Float64Array; d: number };
}

/**
 * Builds a TransformV1 from a state-returning `fit` and a pure `apply`: checks shapes and
 * finiteness, refuses apply before fit, checks that apply sees the fitted input dimension.
 */
export function makeTransform<O extends JsonObject, S>(id: string, options: O, impl: TransformImpl<S>): StatefulTransform<O, S> {
  let state: S | undefined;
  let inputDim = 0;
  const t: StatefulTransform<O, S> = {
    specificationVersion: 'v1',
    id,
    options,
    get fitted() {
      return state !== undefined;
    },
    fit(train) {
      checkMatrix(train, `${id}.fit input`);
      state = impl.fit(train);
      inputDim = train.d;
      return t;
    },
    apply<T extends FloatArray>(data: FeatureMatrix<T>): FeatureMatrix<T> {
      if (state === undefined) throw new NotFittedError(id);
      checkMatrix(data, `${id}.apply input`);
      if (data.d !== inputDim) throw new ShapeMismatchError(`${id}.apply input dimension (fitted on d = ${inputDim})`, [inputDim], [data.d]);
      const out = impl.apply(state, data);
      return { x: sameType(data.x, out.x), n: data.n, d: out.d };
    },
    toJSON: () => ({ id, options }),
    state: () => state,
  };
  return t;
}

/** `data` with its inputs replaced by `transform.apply(data)` (targets, labels, PI unchanged). */
export function applyToData(transform: TransformV1, data: LabeledData): LabeledData {
  const out = transform.apply({ x: data.x, n: data.n, d: data.d });
  return { ...data, x: out.x, d: out.d };
}

/**
 * Fits `transform` on the training inputs only, then applies it to both splits: nothing about the
 * test inputs reaches the fitted parameters.
 */
export function fitTransform(transform: TransformV1, splits: { train: LabeledData; test: LabeledData }): { train: LabeledData; test: LabeledData } {
  transform.fit({ x: splits.train.x, n: splits.train.n, d: splits.train.d });
  return { train: applyToData(transform, splits.train), test: applyToData(transform, splits.test) };
}
