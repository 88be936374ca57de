import { InvalidOptionError } from '../errors.js';

/**
 * The option checks every pikt package uses for JSON options and configs. Each returns the value
 * (typed) or throws `InvalidOptionError` naming the dotted field, whose option it is (`owner`,
 * e.g. `regularizer "kl"`) and what was expected, so `optimizer.lr` = -1 reads
 * `Invalid option "optimizer.lr": got -1. Expected a finite number > 0.` and a regularizer's
 * `Invalid option "delta" of regularizer "kl": must be a finite number > 0 (got -1).`
 */

/**
 * The error for `field` = `found` against `expected` ("a finite number > 0"): without an owner
 * `Invalid option "lr": got -1. Expected a finite number > 0.`, with one
 * `Invalid option "delta" of regularizer "huber": must be a finite number > 0 (got -1).`
 */
export function invalid(field: string, found: unknown, expected: string, owner?: string): InvalidOptionError {
  return owner ? new InvalidOptionError(field, found, `must be ${expected}`, { owner }) : new InvalidOptionError(field, found, expected);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` must be a JSON object whose keys are all in `known`. */
export function requireObject(field: string, value: unknown, known: readonly string[], owner?: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(field, value, 'an object', owner);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw invalid(field ? `${field}.${key}` : key, value[key], `one of the known fields: ${known.join(', ')}`, owner);
    }
  }
  return value;
}

/** Bounds on a number: `{ min: 0, minExclusive: true }` is "> 0". */
export interface NumberRange {
  min?: number;
  max?: number;
  /** Exclude `min` itself (for "> 0"). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** "an integer >= 1 and <= 10", "a finite number > 0", ... */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`${r.minExclusive ? '>' : '>='} ${r.min}`);
  if (r.max !== undefined) parts.push(`${r.maxExclusive ? '<' : '<='} ${r.max}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** True when `value` is a finite number (an integer if asked) inside the range. */
export function inRange(value: unknown, range: NumberRange = {}): value is number {
  return typeof value === 'number' && Number.isFinite(value)
    && (!range.integer || Number.isInteger(value))
    && (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min))
    && (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
}

/** A finite number (optionally an integer) inside the range. */
export function requireNumber(field: string, value: unknown, range: NumberRange = {}, owner?: string): number {
  if (!inRange(value, range)) throw invalid(field, value, describeRange(range), owner);
  return value;
}

export function optionalNumber(field: string, value: unknown, range: NumberRange = {}, owner?: string): number | undefined {
  return value === undefined ? undefined : requireNumber(field, value, range, owner);
}

/** An integer >= `min` (default 1): counts, sizes, steps. */
export function requirePositiveInt(field: string, value: unknown, min = 1, owner?: string): number {
  return requireNumber(field, value, { integer: true, min }, owner);
}

/** A finite number > 0: learning rates, temperatures, scales. */
export function requirePositive(field: string, value: unknown, owner?: string): number {
  return requireNumber(field, value, { min: 0, minExclusive: true }, owner);
}

export function requireString(field: string, value: unknown, owner?: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, value, 'a non-empty string', owner);
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], owner?: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, owner);
  }
  return value as T;
}

export function requireBoolean(field: string, value: unknown, owner?: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, value, 'true or false', owner);
  return value;
}

export function optionalBoolean(field: string, value: unknown, owner?: string): boolean | undefined {
  return value === undefined ? undefined : requireBoolean(field, value, owner);
}

/**
 * An array (or typed array) of exactly `length` finite numbers, e.g. a weight per class.
 * `what` says what the length counts ("one per class").
 */
export function requireFiniteArray(field: string, value: unknown, length?: number, what = '', owner?: string): ArrayLike<number> {
  const arrayLike = Array.isArray(value) || ArrayBuffer.isView(value);
  const expected = `${length === undefined ? 'an array of' : `${length}`} finite numbers${what ? ` (${what})` : ''}`;
  if (!arrayLike) throw invalid(field, value, expected, owner);
  const a = value as ArrayLike<unknown>;
  if (length !== undefined && a.length !== length) throw invalid(`${field}.length`, a.length, `${length}${what ? ` (${what})` : ''}`, owner);
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw invalid(`${field}[${i}]`, a[i], 'a finite number', owner);
  }
  return a as ArrayLike<number>;
}
