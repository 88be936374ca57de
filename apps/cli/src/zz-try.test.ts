import { it } from 'vitest';
import { runCli } from './cli.js';
import { COMMANDS } from './commands/index.js';
it('tiny', async () => {
  const t = performance.now();
  const code = await runCli(['reproduce', '--preset', 'tiny', '--out', '/tmp/pk/tiny', '--force', '--backend', 'wasm'], COMMANDS, { isTTY: false });
  console.log('code', code, 'ms', performance.now() - t);
}, 600000);
