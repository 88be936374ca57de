#!/usr/bin/env node
import { runCli, EXIT_INTERRUPTED } from './cli.js';
import { COMMANDS } from './commands/index.js';
import { releaseBackends } from './backends.js';

// Ctrl-C: the first asks the running command to stop after its current unit of work (finished
// runs are already on disk); a second one quits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  controller.abort();
  process.stderr.write('\npikt: stopping after the current step; finished work is kept (Ctrl-C again to quit now).\n');
});

const argv = process.argv.slice(2);
// `pikt --plugin FILE <command> ...`: global plugin flags move after the command name.
const globals: string[] = [];
while (argv[0] === '--plugin' && argv.length >= 2) globals.push(...argv.splice(0, 2));
if (globals.length > 0 && argv.length > 0) argv.splice(1, 0, ...globals);

process.exitCode = await runCli(argv, COMMANDS, { signal: controller.signal });
await releaseBackends(); // node-gpu holds a Dawn instance that keeps the process alive
