/**
 * Error classes for pikt. Every error says what went wrong *and* what to do about it: the `hint`
 * is appended to the message so it survives logging, and kept as a field for programmatic use.
 */
export class PiktError extends Error {
  /** Stable machine-readable code, e.g. `PIKT_UNKNOWN_PLUGIN`. */
  readonly code: string;
  /** What the user should do next. */
  readonly hint: string;

  constructor(code: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super(hint ? `${problem} ${hint}` : problem, options);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** A plugin id was looked up that nobody registered. Lists the known ids. */
export class UnknownPluginError extends PiktError {
  constructor(readonly kind: string, readonly id: string, readonly known: readonly string[]) {
    super(
      'PIKT_UNKNOWN_PLUGIN',
      `Unknown ${kind} "${id}".`,
      known.length > 0
        ? `Known ${kind}s: ${known.join(', ')}. Check the spelling or register the plugin first.`
        : `No ${kind} is registered yet: register one before looking it up.`,
    );
  }
}

/** A plugin was registered twice under the same id. */
export class DuplicatePluginError extends PiktError {
  constructor(readonly kind: string, readonly id: string) {
    super('PIKT_DUPLICATE_PLUGIN', `A ${kind} with id "${id}" is already registered.`,
      'Pick another id, or pass { replace: true } to replace it on purpose.');
  }
}

/** An option or config field is outside its allowed range or of the wrong type. */
export class InvalidOptionError extends PiktError {
  /**
   * `expected` completes "Expected ..."; with `context.owner` (e.g. `regularizer "my-l2"`) it is a
   * plugin's own validation message instead, quoted as is: `Invalid option "delta" of regularizer
   * "my-l2": delta must be > 0 (got 0).`
   */
  constructor(readonly field: string, readonly found: unknown, readonly expected: string, context?: { owner: string }) {
    super('PIKT_INVALID_OPTION',
      context
        ? `Invalid option "${field}" of ${context.owner}: ${expected} (got ${describeValue(found)}).`
        : `Invalid option "${field}": got ${describeValue(found)}.`,
      context ? `Change "${field}" in the options of ${context.owner}.` : `Expected ${expected}.`);
  }
}

/** A regularizer or model needed an input the caller did not supply. */
export class MissingInputError extends PiktError {
  constructor(readonly owner: string, readonly field: string) {
    super('PIKT_MISSING_INPUT', `${owner} needs the input "${field}", which was not provided.`,
      `Pass "${field}" in the input object (it is listed in ${owner}'s "needs").`);
  }
}

/** Two arrays or tensors that must agree in shape do not. */
export class ShapeMismatchError extends PiktError {
  constructor(readonly what: string, readonly expected: readonly number[] | string,
    readonly found: readonly number[] | string) {
    super('PIKT_SHAPE_MISMATCH', `Shape mismatch in ${what}: expected ${fmtShape(expected)}, found ${fmtShape(found)}.`,
      'Check that inputs, targets and teacher outputs describe the same samples and outputs.');
  }
}

/** A value that must be finite is NaN or infinite. */
export class NonFiniteError extends PiktError {
  constructor(readonly what: string, readonly index: number, readonly value: number) {
    super('PIKT_NON_FINITE', `${what} contains ${value} at index ${index}.`,
      'Remove or impute non-finite values before passing the data to pikt.');
  }
}

/**
 * No candidate backend could be activated (lists every candidate with the reason it failed), or,
 * with `context.owner`, something needed tensors before any backend was activated.
 */
export class NoBackendError extends PiktError {
  constructor(readonly reasons: ReadonlyArray<{ id: string; reason: string }>, context?: { owner: string; cause?: unknown }) {
    super('PIKT_NO_BACKEND',
      context
        ? `${context.owner} needs a tfjs backend, but none is active (tfjs: "No backend found in registry").`
        : `No backend could be activated. Tried: ${reasons.map((r) => `${r.id} (${r.reason})`).join('; ')}.`,
      context
        ? 'Activate one first: `await createWasmBackend().activate()` (@pikt/backend-wasm), `await createCpuBackend().activate()` (@pikt/backend-cpu), or `await selectBackend([...])` from @pikt/core.'
        : reasons.length === 0 ? 'Pass at least one backend adapter.' : 'Install or enable one of these backends, or add the cpu backend as a fallback.',
      context?.cause === undefined ? undefined : { cause: context.cause });
  }
}

/** tfjs has no gradient functions registered, so tf.grad cannot run. */
export class NoGradientsError extends PiktError {
  constructor(problem: string, hint: string, cause?: unknown) {
    super('PIKT_NO_GRADIENTS', `tfjs gradients are not registered: ${problem}.`, hint, cause === undefined ? undefined : { cause });
  }
}

/** A matrix or buffer would not fit in memory; says how many bytes it needs. */
export class OutOfMemoryBudgetError extends PiktError {
  constructor(readonly what: string, readonly bytesNeeded: number, readonly bytesAllowed: number) {
    super('PIKT_MEMORY_BUDGET',
      `${what} needs ${formatBytes(bytesNeeded)}, more than the allowed ${formatBytes(bytesAllowed)}.`,
      'Use fewer samples, the blockwise/Lanczos path, or raise the memory budget option.');
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]} (${bytes} bytes)`;
}

function fmtShape(s: readonly number[] | string): string {
  return typeof s === 'string' ? s : `[${s.join(', ')}]`;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // JSON would say null
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}
