import { createHash } from 'node:crypto';
import { InvalidOptionError, canonicalJson } from '@pikt/core';
import type { JsonValue } from '@pikt/core';

/**
 * Throw unless `spec` is plain JSON that survives a round trip unchanged: finite numbers, strings,
 * booleans, null, arrays and plain objects (no undefined, functions, typed arrays, class instances),
 * so a spec's identity is the same in every process that receives it.
 */
export function checkPlainJson(spec: unknown, path = 'spec'): void {
  if (spec === null || typeof spec === 'string' || typeof spec === 'boolean') return;
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new InvalidOptionError(path, spec, 'a finite number (a run spec is plain JSON)');
    return;
  }
  if (Array.isArray(spec)) { spec.forEach((v, i) => checkPlainJson(v, `${path}[${i}]`)); return; }
  if (typeof spec === 'object' && Object.getPrototypeOf(spec) === Object.prototype) {
    for (const [k, v] of Object.entries(spec)) checkPlainJson(v, `${path}.${k}`);
    return;
  }
  throw new InvalidOptionError(path, spec, 'plain JSON (a run spec holds no undefined, functions, typed arrays or class instances)');
}

/** The canonical JSON of a run spec (core's canonicalJson: keys sorted at every level), after checkPlainJson. */
export function canonicalSpec(spec: unknown): string {
  checkPlainJson(spec);
  return canonicalJson(spec);
}

/** A run's identity: the first 24 hex digits of SHA-256 over its canonical JSON. */
export function fingerprint(spec: JsonValue): string {
  return createHash('sha256').update(canonicalSpec(spec)).digest('hex').slice(0, 24);
}
