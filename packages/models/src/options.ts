import { InvalidOptionError, resolveOptions, type JsonObject } from '@pikt/core';

/**
 * Merge a model's JSON options over its defaults (unknown keys and wrong JSON types are rejected by
 * core's `resolveOptions`), then run the model's own range checks.
 */
export function resolveModelOptions<O extends JsonObject>(owner: string, defaults: O, partial: Partial<O>, check: (o: O) => void): O {
  const options = resolveOptions(owner, defaults, partial);
  check(options);
  return options;
}

/** An integer in [min, max]; the error names the field and the allowed range. */
export function requireInt(owner: string, field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidOptionError(`${owner}.${field}`, value, `an integer ${range}`);
  }
}

/** A finite number strictly above `min`. */
export function requireAbove(owner: string, field: string, value: number, min: number): void {
  if (!(Number.isFinite(value) && value > min)) {
    throw new InvalidOptionError(`${owner}.${field}`, value, `a finite number > ${min}`);
  }
}

/** One of a fixed list of strings. */
export function requireOneOf(owner: string, field: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidOptionError(`${owner}.${field}`, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
}

/** Model input/output dimensions passed to `init`. */
export function requireIO(owner: string, io: { inputDim: number; outputDim: number }): void {
  requireInt(owner, 'io.inputDim', io?.inputDim, 1);
  requireInt(owner, 'io.outputDim', io?.outputDim, 1);
}
