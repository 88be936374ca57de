import { PiktError } from '@pikt/core';
import { formatHelp, parseFlags, UsageError } from './args.js';
import type { FlagSpecs, ParsedFlags } from './args.js';

/** Where a command writes and what it may look at; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** stderr is a terminal (progress bars instead of log lines). */
  isTTY: boolean;
  /** Terminal width for progress bars. */
  columns: number;
  cwd: string;
  /** Fires on Ctrl-C (SIGINT): commands stop after the current unit of work and keep what is done. */
  signal: AbortSignal;
}

export interface CommandContext {
  io: CliIo;
  flags: ParsedFlags;
  /** Register cleanup (e.g. releasing an output lock) that runs when the command ends, however it ends. */
  defer?: (cleanup: () => Promise<void>) => void;
}

export interface CommandDefinition {
  name: string;
  summary: string;
  flags: FlagSpecs;
  examples: readonly string[];
  /** Resolves to the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | void>;
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, the shell convention for "stopped by Ctrl-C". */
export const EXIT_INTERRUPTED = 130;

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpecs = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
};

export function defaultIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 80,
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
}

function overview(commands: readonly CommandDefinition[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 4;
  return [
    'pikt: knowledge transfer in the kernel regime, measured against the theory.',
    '',
    'Usage: pikt <command> [flags]        pikt <command> --help for its flags and examples',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Examples:',
    '  pikt reproduce                      # E1-E6, quick preset, report in ./pikt-report',
    '  pikt analyze --x X.csv --y Y.csv --lambda 1 --json',
    '',
  ].join('\n');
}

/**
 * Run the pikt command line. Never throws and never calls process.exit: resolves to the exit code
 * (0 success, 1 failure, 2 usage error, 130 interrupted) after printing a one-line reason on
 * failure. Set PIKT_DEBUG=1 for stack traces.
 */
export async function runCli(argv: readonly string[], commands: readonly CommandDefinition[], ioIn: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioIn };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic ? formatHelp(topic.name, topic.summary, { ...topic.flags, ...COMMON_FLAGS }, topic.examples) : overview(commands));
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`pikt: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}. Run "pikt --help".\n`);
    return EXIT_USAGE;
  }
  const specs = { ...command.flags, ...COMMON_FLAGS };
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const flags = parseFlags(command.name, specs, rest);
    if (flags.help) {
      io.stdout.write(formatHelp(command.name, command.summary, specs, command.examples));
      return 0;
    }
    return (await command.run({ io, flags, defer: (c) => { cleanups.push(c); } })) ?? 0;
  } catch (err) {
    io.stderr.write(`pikt ${command.name}: ${oneLine(err)}\n`);
    if (process.env.PIKT_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    if (err instanceof UsageError) return EXIT_USAGE;
    if (io.signal.aborted) return EXIT_INTERRUPTED;
    return EXIT_FAILURE;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

/** The error's message on one line; unexpected (non-pikt) errors say so. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  if (err instanceof PiktError) return flat;
  return `unexpected error: ${flat} (rerun with PIKT_DEBUG=1 for the stack trace)`;
}
