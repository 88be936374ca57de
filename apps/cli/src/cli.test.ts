import { describe, expect, it } from 'vitest';
import { PiktError } from '@pikt/core';
import { runCli } from './cli.js';
import type { CliIo, CommandDefinition } from './cli.js';
import { COMMANDS } from './commands/index.js';

function capture(signal = new AbortController().signal): { io: Partial<CliIo>; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } }, isTTY: false, signal },
    out: () => out,
    err: () => err,
  };
}

const fake: CommandDefinition = {
  name: 'echo', summary: 'print a number', flags: { n: { type: 'number', description: 'n' }, fail: { type: 'string', description: 'error kind' } },
  examples: ['pikt echo --n 1'],
  async run({ io, flags }) {
    if (flags.fail === 'pikt') throw new PiktError('PIKT_X', 'Data dir /nope does not exist.', 'Pass --data-dir.');
    if (flags.fail === 'bug') throw new TypeError('x is undefined\n  at somewhere');
    io.stdout.write(`${flags.n}\n`);
  },
};

describe('runCli', () => {
  it('runs a command and returns 0', async () => {
    const c = capture();
    expect(await runCli(['echo', '--n', '3'], [fake], c.io)).toBe(0);
    expect(c.out()).toBe('3\n');
  });
  it('exits 2 with one line naming an unknown flag or command', async () => {
    const c = capture();
    expect(await runCli(['echo', '--m', '3'], [fake], c.io)).toBe(2);
    expect(c.err()).toBe('pikt echo: Unknown flag --m. Run "pikt echo --help" for the flags it takes.\n');
    const d = capture();
    expect(await runCli(['ehco'], [fake], d.io)).toBe(2);
    expect(d.err()).toBe('pikt: unknown command "ehco". Commands: echo. Run "pikt --help".\n');
  });
  it('exits 1 with the error on one line; unexpected errors say so', async () => {
    const c = capture();
    expect(await runCli(['echo', '--fail', 'pikt'], [fake], c.io)).toBe(1);
    expect(c.err()).toBe('pikt echo: Data dir /nope does not exist. Pass --data-dir.\n');
    const d = capture();
    expect(await runCli(['echo', '--fail', 'bug'], [fake], d.io)).toBe(1);
    expect(d.err()).toBe('pikt echo: unexpected error: x is undefined at somewhere (rerun with PIKT_DEBUG=1 for the stack trace)\n');
  });
  it('prints the overview, and help for every real command with examples', async () => {
    const c = capture();
    expect(await runCli(['--help'], COMMANDS, c.io)).toBe(0);
    for (const cmd of COMMANDS) {
      expect(c.out()).toContain(`  ${cmd.name}`);
      const h = capture();
      expect(await runCli([cmd.name, '--help'], COMMANDS, h.io)).toBe(0);
      expect(h.out()).toContain(`Usage: pikt ${cmd.name} [flags]`);
      expect(h.out()).toMatch(/Examples:\n {2}pikt /);
      expect(cmd.examples.every((e) => e.startsWith(`pikt ${cmd.name}`))).toBe(true);
    }
    const none = capture();
    expect(await runCli([], COMMANDS, none.io)).toBe(2);
  });
});
