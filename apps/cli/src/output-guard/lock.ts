import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { PiktError } from '@pikt/core';
import { errnoOf, withFs } from './fs-errors.js';

/** What a lock file holds: who took it, where and when. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

/** Another live pikt process holds the output. */
export class OutputLockedError extends PiktError {
  constructor(readonly lockPath: string, readonly holder: LockHolder | undefined, sameHost: boolean) {
    super('PIKT_OUTPUT_LOCKED',
      holder
        ? `${lockPath} is held by pikt ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started}).`
        : `${lockPath} exists but cannot be read (another pikt is starting, or it was left by a crash).`,
      holder && sameHost
        ? `Wait for process ${holder.pid} to finish (or stop it), or choose another output.`
        : `Wait for the other run to finish, or choose another output; delete ${lockPath} only if no pikt is running on ${holder?.host ?? 'any machine'}.`);
  }
}

export interface HeldLock {
  path: string;
  /** Set when a lock left by a dead process was found and replaced: says whose it was. */
  staleNote?: string;
  release(): Promise<void>;
}

// Locks this process holds, removed at exit even when a command never reaches its release (a
// second Ctrl-C calls process.exit); a SIGKILL leaves the file, which the next run finds stale.
const held = new Map<string, string>();
let exitHook = false;
function track(path: string, content: string): void {
  held.set(path, content);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const [p, c] of held) {
      try { if (readFileSync(p, 'utf8') === c) unlinkSync(p); } catch { /* gone */ }
    }
  });
}

/** Whether process `pid` runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string') {
      return { pid: v.pid, host: v.host, command: String(v.command ?? '?'), started: String(v.started ?? '?') };
    }
  } catch { /* unreadable or half written: treated as held */ }
  return undefined;
}

/** O_EXCL create: exactly one of several racing processes succeeds (POSIX open(2), also on NFSv3+). */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Take the lock file `path` (created with O_EXCL, holding pid and host). A lock held by a live
 * process, or by another host, raises OutputLockedError naming the holder. A lock left by a dead
 * process on this host is reported (`staleNote`) and replaced; the replacement itself is serialized
 * by a second O_EXCL file so that two processes finding the same stale lock cannot both win.
 */
export async function acquireLock(path: string, command: string): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  const content = `${JSON.stringify(me)}\n`;
  let staleNote: string | undefined;
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await withFs('create the lock file', path, () => createExclusive(path, content))) {
      track(path, content);
      return { path, ...(staleNote ? { staleNote } : {}), release: () => releaseLock(path, me) };
    }
    const holder = await readHolder(path);
    const sameHost = holder?.host === me.host;
    let stale: string | undefined;
    if (holder) {
      if (!sameHost || processAlive(holder.pid)) throw new OutputLockedError(path, holder, sameHost);
      stale = `a lock left by pikt ${holder.command} (pid ${holder.pid}, started ${holder.started}, no longer running) was found in ${path} and replaced`;
    } else {
      // Unreadable: a racing process between its open and its write (microseconds), or one killed
      // right there. Only an old unreadable lock is abandoned.
      const age = await lockAge(path);
      if (age === undefined) continue;
      if (age < UNREADABLE_STALE_MS) {
        if (attempt >= 20) throw new OutputLockedError(path, undefined, true);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      stale = `an unreadable lock file ${path}, ${Math.round(age / 1000)} s old (left by a process killed while taking it), was found and replaced`;
    }
    const takeover = `${path}.takeover`;
    if (!(await withFs('create the lock file', takeover, () => createExclusive(takeover, content)))) {
      const t = await readHolder(takeover);
      const tAge = await lockAge(takeover);
      if ((t && t.host === me.host && !processAlive(t.pid)) || (!t && tAge !== undefined && tAge >= UNREADABLE_STALE_MS)) await rm(takeover, { force: true });
      else throw new OutputLockedError(path, holder, sameHost);
      continue;
    }
    try {
      // Re-check under the takeover lock: the stale lock may have been replaced meanwhile.
      const again = await readHolder(path);
      const same = holder ? again?.pid === holder.pid && again.host === holder.host && again.started === holder.started : !again && ((await lockAge(path)) ?? 0) >= UNREADABLE_STALE_MS;
      if (same) {
        await rm(path, { force: true });
        staleNote = stale;
      }
    } finally {
      await rm(takeover, { force: true });
    }
  }
  throw new OutputLockedError(path, await readHolder(path), true);
}

/** An unreadable (empty, half-written) lock this old is abandoned: writing it takes microseconds. */
export const UNREADABLE_STALE_MS = 5000;

async function lockAge(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function releaseLock(path: string, me: LockHolder): Promise<void> {
  held.delete(path);
  const now = await readHolder(path);
  if (now && now.pid === me.pid && now.started === me.started && now.host === me.host) {
    try { await unlink(path); } catch { /* already gone */ }
  }
}
