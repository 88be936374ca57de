/**
 * One side of a case in its own process, driven line by line: the child prints `@@{"ready":...}`
 * after its (untimed) setup, then for each `run` line on stdin one `@@{"ms":..,"check":{..}}`, and
 * exits on `quit`. Other stdout lines are passed to `onLine` (progress of long workloads).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CheckValues } from './stats.js';

export interface RunResult { ms: number; check: CheckValues }

export interface ChildSide {
  info: Record<string, unknown>;
  run(): Promise<RunResult>;
  close(): Promise<void>;
}

export function parseProtocolLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('@@')) return undefined;
  return JSON.parse(line.slice(2)) as Record<string, unknown>;
}

export async function startChild(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void }): Promise<ChildSide> {
  const child: ChildProcessWithoutNullStreams = spawn(cmd, args as string[], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => { stderr.push(s); if (stderr.length > 200) stderr.shift(); });
  const waiting: Array<{ resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }> = [];
  let ended: Error | undefined;
  const why = () => stderr.join('').trim().split('\n').slice(-3).join(' | ');
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: Record<string, unknown> | undefined;
    try { msg = parseProtocolLine(line); } catch { msg = { error: `unreadable protocol line: ${line.slice(0, 200)}` }; }
    if (!msg) { opts.onLine?.(line); return; }
    const w = waiting.shift();
    if (!w) return;
    if (typeof msg.error === 'string') w.reject(new Error(msg.error));
    else w.resolve(msg);
  });
  const exited = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      ended = new Error(`${cmd} exited (${signal ?? `code ${code}`})${why() ? `: ${why()}` : ''}`);
      for (const w of waiting.splice(0)) w.reject(ended);
      resolve();
    });
    child.on('error', (err) => {
      ended = new Error(`${cmd} did not start: ${err.message}`);
      for (const w of waiting.splice(0)) w.reject(ended);
      resolve();
    });
  });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    if (ended) reject(ended);
    else waiting.push({ resolve, reject });
  });
  const kill = async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited; };
  let ready: Record<string, unknown>;
  try {
    ready = await next();
  } catch (err) {
    await kill();
    throw err;
  }
  return {
    info: (ready.info ?? {}) as Record<string, unknown>,
    async run() {
      const reply = next();
      child.stdin.write('run\n');
      const m = await reply;
      return { ms: Number(m.ms), check: (m.check ?? {}) as CheckValues };
    },
    async close() {
      if (!ended) child.stdin.end('quit\n');
      const timer = setTimeout(() => void kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
