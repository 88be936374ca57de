import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `redis-server` is installed (tools/setup.sh installs it; tests skip without it, except in CI). */
export const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/** A free loopback port (the OS picks one; closed again before Redis binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  /** Shut the server down (with the append-only file on, it is flushed first). */
  stop(): void;
  /** Start it again on the same port and directory. */
  start(): void;
  /** Stop it and remove its directory. */
  destroy(): void;
}

/**
 * A private redis-server for one test file: loopback only, a free port, a temporary directory,
 * no RDB snapshots; `appendOnly` turns the append-only file on (fsync every write, for the restart test).
 */
export async function startTestRedis(options: { appendOnly?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pikt-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'yes', '--pidfile', join(dir, 'redis.pid'),
    '--logfile', join(dir, 'redis.log'), ...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'])];
  const cli = (...a: string[]) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' });
  const waitFor = (up: boolean) => {
    for (let i = 0; i < 100; i++) {
      if ((cli('ping').stdout.trim() === 'PONG') === up) return;
      execFileSync('sleep', ['0.05']);
    }
    throw new Error(`redis-server on port ${port} did not ${up ? 'start' : 'stop'}`);
  };
  const r: TestRedis = {
    port, url: `redis://127.0.0.1:${port}`, dir,
    start() { execFileSync('redis-server', args); waitFor(true); },
    stop() { cli('shutdown'); waitFor(false); },
    destroy() { if (cli('ping').stdout.trim() === 'PONG') r.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
  r.start();
  return r;
}
