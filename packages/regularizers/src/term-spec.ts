import {
  InvalidOptionError, MissingInputError, REGULARIZER_NEEDS, requireNumber,
  type JsonObject, type RegularizerFactory, type RegularizerInput, type RegularizerNeed, type RegularizerV1,
} from '@pikt/core';

/** A child term in a combinator's JSON options: a regularizer id and its options. */
export type TermSpec = { id: string; options?: JsonObject };

/** Where combinators look child ids up: a core `Registry` of regularizer factories fits. */
export interface RegularizerResolver {
  get(id: string): RegularizerFactory<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  has?(id: string): boolean;
  ids?(): string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Build the regularizer a spec names. Errors name the spec's path inside the combinator's options
 * (e.g. "sum.terms[1].options.lambda") and, for an unknown id, the ids the resolver knows.
 */
export function buildTerm(path: string, spec: unknown, resolver: RegularizerResolver): RegularizerV1 {
  if (!isObject(spec) || typeof spec.id !== 'string') {
    throw new InvalidOptionError(path, spec, 'a term { id, options } with a string id');
  }
  if (spec.options !== undefined && !isObject(spec.options)) {
    throw new InvalidOptionError(`${path}.options`, spec.options, 'an options object');
  }
  const id = spec.id;
  if (resolver.has ? !resolver.has(id) : false) {
    throw new InvalidOptionError(`${path}.id`, id, `a registered regularizer id (${resolver.ids?.().join(', ') ?? 'see your registry'})`);
  }
  let factory: RegularizerFactory<JsonObject>;
  try { factory = resolver.get(id); } catch (err) {
    throw new InvalidOptionError(`${path}.id`, id, `a registered regularizer id (${resolver.ids?.().join(', ') ?? (err as Error).message})`);
  }
  try {
    return factory((spec.options ?? {}) as JsonObject);
  } catch (err) {
    if (!(err instanceof InvalidOptionError)) throw err;
    const field = err.field.startsWith(`${id}.`) ? `${path}.options.${err.field.slice(id.length + 1)}` : `${path}.options`;
    throw new InvalidOptionError(field, err.found, err.expected);
  }
}

/** The JSON spec of a built term, with its resolved options (so JSON round trips are stable). */
export function specOf(term: RegularizerV1): TermSpec {
  return { id: term.id, options: structuredClone(term.options) as JsonObject };
}

/** Union of the children's needs, in core's canonical order. */
export function unionNeeds(children: readonly RegularizerV1[]): RegularizerNeed[] {
  return REGULARIZER_NEEDS.filter((need) => children.some((c) => c.needs.includes(need)));
}

/** Throw `MissingInputError` for the first declared need the input lacks. */
export function checkNeeds(owner: string, needs: readonly RegularizerNeed[], input: RegularizerInput): void {
  if (!input?.studentLogits) throw new MissingInputError(owner, 'studentLogits');
  for (const need of needs) if (!input[need]) throw new MissingInputError(owner, need);
}

/** A finite number, else an InvalidOptionError naming `path`. */
export function requireFinite(path: string, v: unknown): number {
  return requireNumber(path, v);
}
