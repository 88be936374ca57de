import { parseArgs } from 'node:util';
import { PiktError } from '@pikt/core';

/** One command-line flag. `number` flags are parsed from strings and must be finite. */
export interface FlagSpec {
  type: 'string' | 'number' | 'boolean';
  description: string;
  /** Placeholder shown in help, e.g. `PATH`. */
  value?: string;
  default?: string | number | boolean;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** A number flag must be > 0 (`positive`) or >= 0 (`nonNegative`). */
  range?: 'positive' | 'nonNegative' | 'integer';
  /** Inclusive bounds of a number flag, checked after `range`. */
  min?: number;
  max?: number;
  short?: string;
  /** The flag may be given several times (values collected into an array). */
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

/** A mistake on the command line: exit code 2 and a one-line reason. */
export class UsageError extends PiktError {
  constructor(problem: string, hint: string) {
    super('PIKT_USAGE', problem, hint);
  }
}

/**
 * Parse `argv` strictly against `specs` with Node's `util.parseArgs`: an unknown flag, a missing
 * value, a stray positional argument or a value outside its allowed set throws `UsageError`
 * naming the flag and the command's `--help`.
 */
export function parseFlags(command: string, specs: FlagSpecs, argv: readonly string[]): ParsedFlags {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
    if (spec.short) options[name].short = spec.short;
    if (spec.multiple) options[name].multiple = true;
  }
  const help = `Run "pikt ${command} --help" for the flags it takes.`;
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(describeParseError(err), help);
  }
  const out: ParsedFlags = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = values[name] as string | boolean | string[] | undefined;
    if (raw === undefined) {
      out[name] = spec.default;
      continue;
    }
    if (spec.type === 'boolean' || spec.multiple) {
      out[name] = raw;
      continue;
    }
    const text = raw as string;
    if (spec.type === 'number') {
      out[name] = parseNumberFlag(name, text, spec, help);
    } else {
      if (spec.choices && !spec.choices.includes(text)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got "${text}".`, help);
      }
      out[name] = text;
    }
  }
  return out;
}

/** A plain decimal number: no hex (0x10), binary, octal, Infinity or blanks, which Number() accepts. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumberFlag(name: string, text: string, spec: FlagSpec, help: string): number {
  const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(v)) {
    throw new UsageError(`--${name} must be a finite number; got "${text}". Write it in decimal (e.g. 0.5, 16, 1e-3).`, help);
  }
  if (spec.range === 'positive' && !(v > 0)) throw new UsageError(`--${name} must be > 0; got ${text}.`, help);
  if (spec.range === 'nonNegative' && !(v >= 0)) throw new UsageError(`--${name} must be >= 0; got ${text}.`, help);
  if (spec.range === 'integer' && !(Number.isInteger(v) && v >= 0)) {
    throw new UsageError(`--${name} must be a non-negative integer; got ${text}.`, help);
  }
  if (spec.range === 'integer' && !Number.isSafeInteger(v)) throw new UsageError(`--${name} must be an integer below 2^53; got ${text}.`, help);
  if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name} must be >= ${spec.min}; got ${text}.`, help);
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be <= ${spec.max}; got ${text}.`, help);
  return v;
}

/** Node's messages are long and mention `parseArgs`; say which flag and what is wrong in one line. */
function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown flag ${flag ?? message}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return flag && /argument missing/.test(message)
        ? `Flag ${flag} needs a value.`
        : flag && /ambiguous/.test(message)
          ? `Flag ${flag} is followed by a value starting with "-": write it as ${flag}=VALUE.`
          : flag && /does not take an argument/.test(message)
          ? `Flag ${flag} takes no value.`
          : message.split('\n')[0];
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']+)'/.exec(message)?.[1];
      return `Unexpected argument ${arg ? `"${arg}"` : ''} (this command takes flags only).`;
    }
    default:
      return message.split('\n')[0];
  }
}

/** Help text of one command: usage line, flags with defaults and choices, examples. */
export function formatHelp(command: string, summary: string, specs: FlagSpecs, examples: readonly string[]): string {
  const lines = [`pikt ${command}: ${summary}`, '', `Usage: pikt ${command} [flags]`, '', 'Flags:'];
  const rows = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` ${spec.value ?? spec.type.toUpperCase()}`;
    const left = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${value}`;
    const extra = [
      spec.choices ? `one of ${spec.choices.join('|')}` : '',
      spec.default !== undefined && spec.default !== false ? `default ${String(spec.default)}` : '',
    ].filter(Boolean).join('; ');
    return [left, `${spec.description}${extra ? ` (${extra})` : ''}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [left, right] of rows) lines.push(`${left.padEnd(width)}${right}`);
  lines.push('', 'Examples:', ...examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}
