import { requireNumber, resolveOptions, type JsonObject } from '@pikt/core';

/**
 * Merge a model's JSON options over its defaults (unknown keys and wrong JSON types are rejected by
 * core's `resolveOptions`), then run the model's own range checks (core's option checks, with the
 * field named "<model id>.<option>" so the trainer can rename it to "model.options.<option>").
 */
export function resolveModelOptions<O extends JsonObject>(owner: string, defaults: O, partial: Partial<O>, check: (o: O) => void): O {
  const options = resolveOptions(owner, defaults, partial);
  check(options);
  return options;
}

/** Model input/output dimensions passed to `init`. */
export function requireIO(owner: string, io: { inputDim: number; outputDim: number }): void {
  requireNumber(`${owner}.io.inputDim`, io?.inputDim, { integer: true, min: 1 });
  requireNumber(`${owner}.io.outputDim`, io?.outputDim, { integer: true, min: 1 });
}
