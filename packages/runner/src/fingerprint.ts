import { createHash } from 'node:crypto';
import { InvalidOptionError } from '@pikt/core';
import type { JsonValue } from '@pikt/core';

/**
 * The canonical JSON of a run spec: object keys sorted at every level, no whitespace. Only values
 * that survive a JSON round trip unchanged are accepted (finite numbers, strings, booleans, null,
 * arrays and plain objects), so a spec's identity is the same in every process that receives it.
 */
export function canonicalSpec(spec: unknown, path = 'spec'): string {
  if (spec === null || typeof spec === 'string' || typeof spec === 'boolean') return JSON.stringify(spec);
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new InvalidOptionError(path, spec, 'a finite number (a run spec is plain JSON)');
    return JSON.stringify(spec);
  }
  if (Array.isArray(spec)) return `[${spec.map((v, i) => canonicalSpec(v, `${path}[${i}]`)).join(',')}]`;
  if (typeof spec === 'object' && Object.getPrototypeOf(spec) === Object.prototype) {
    const keys = Object.keys(spec).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalSpec((spec as Record<string, unknown>)[k], `${path}.${k}`)}`).join(',')}}`;
  }
  throw new InvalidOptionError(path, spec, 'plain JSON (a run spec holds no undefined, functions, typed arrays or class instances)');
}

/** A run's identity: the first 24 hex digits of SHA-256 over its canonical JSON. */
export function fingerprint(spec: JsonValue): string {
  return createHash('sha256').update(canonicalSpec(spec)).digest('hex').slice(0, 24);
}
