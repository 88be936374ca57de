import { InvalidOptionError } from '@pikt/core';

/**
 * Small field checkers for JSON configs. Each throws `InvalidOptionError` naming the dotted field
 * path and the allowed range, so `optimizer.lr` = -1 reads `Invalid option "optimizer.lr": got -1.
 * Expected a finite number > 0.`
 */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` must be a JSON object whose keys are all in `known`. */
export function requireObject(field: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw new InvalidOptionError(field, value, 'an object');
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(field ? `${field}.${key}` : key, value[key], `one of the known fields: ${known.join(', ')}`);
    }
  }
  return value;
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Exclude `min` itself (for "> 0"). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`${r.minExclusive ? '>' : '>='} ${r.min}`);
  if (r.max !== undefined) parts.push(`${r.maxExclusive ? '<' : '<='} ${r.max}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** A finite number (optionally an integer) inside the range. */
export function requireNumber(field: string, value: unknown, range: NumberRange = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (!range.integer || Number.isInteger(value))
    && (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min))
    && (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
  if (!ok) throw new InvalidOptionError(field, value, describeRange(range));
  return value as number;
}

export function optionalNumber(field: string, value: unknown, range: NumberRange = {}): number | undefined {
  return value === undefined ? undefined : requireNumber(field, value, range);
}

export function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidOptionError(field, value, 'a non-empty string');
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

export function optionalBoolean(field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidOptionError(field, value, 'true or false');
  return value;
}
