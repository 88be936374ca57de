import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { acquireOutput, LOCK_NAME } from './guard.js';
import { acquireLock } from './lock.js';
import { MANIFEST_NAME, readManifest } from './manifest.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'pikt-guard-'));
/** A pid that no process has: beyond the kernel's pid_max (at most 2^22). */
const DEAD_PID = 2 ** 22 + 12345;

describe('acquireLock', () => {
  it('refuses a second holder, naming its pid and host; release frees it', async () => {
    const dir = fresh();
    const lock = await acquireLock(join(dir, LOCK_NAME), 'reproduce');
    const held = JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), command: 'reproduce' });
    await expect(acquireLock(join(dir, LOCK_NAME), 'reproduce')).rejects.toThrow(
      new RegExp(`is held by pikt reproduce \\(pid ${process.pid} on ${hostname()}, since .*\\)\\. Wait for process ${process.pid} to finish`));
    await lock.release();
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);
    (await acquireLock(join(dir, LOCK_NAME), 'reproduce')).release();
  });

  it('reports and replaces a lock left by a dead process on this host; refuses one from another host', async () => {
    const dir = fresh();
    const path = join(dir, LOCK_NAME);
    writeFileSync(path, JSON.stringify({ pid: DEAD_PID, host: hostname(), command: 'reproduce', started: '2026-01-01T00:00:00.000Z' }));
    const lock = await acquireLock(path, 'distill');
    expect(lock.staleNote).toBe(`a lock left by pikt reproduce (pid ${DEAD_PID}, started 2026-01-01T00:00:00.000Z, no longer running) was found in ${path} and replaced`);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    writeFileSync(path, JSON.stringify({ pid: DEAD_PID, host: 'elsewhere', command: 'reproduce', started: 'x' }));
    await expect(acquireLock(path, 'reproduce')).rejects.toThrow(`(pid ${DEAD_PID} on elsewhere, since x). Wait for the other run to finish, or choose another output; delete ${path} only if no pikt is running on elsewhere.`);
  });

  it('an empty lock (its taker killed between open and write) is waited for while fresh, replaced when old', async () => {
    const dir = fresh();
    const path = join(dir, LOCK_NAME);
    writeFileSync(path, '');
    await expect(acquireLock(path, 'reproduce')).rejects.toThrow(`${path} exists but cannot be read (another pikt is starting, or it was left by a crash).`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = await acquireLock(path, 'reproduce');
    expect(lock.staleNote).toMatch(new RegExp(`^an unreadable lock file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, 6\\d s old \\(left by a process killed while taking it\\), was found and replaced$`));
    await lock.release();
  });

  it('of many racing takers, exactly one wins', async () => {
    const dir = fresh();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(join(dir, LOCK_NAME), 'x')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('acquireOutput', () => {
  it('file output: a folder is refused up front (EISDIR), a foreign file always, pikt\'s own only without --force', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'sub'));
    await expect(acquireOutput(join(dir, 'sub'), { command: 'train-teacher', kind: 'file' })).rejects.toThrow(/Cannot write .*sub: it is a folder, not a file \(EISDIR\)\. Pass a file path for --out/);
    writeFileSync(join(dir, 'mine.json'), 'user data');
    for (const force of [false, true]) {
      await expect(acquireOutput(join(dir, 'mine.json'), { command: 'distill', kind: 'file', force })).rejects.toThrow(
        `${join(dir, 'mine.json')} exists and pikt did not write it (it is not listed in ${join(dir, MANIFEST_NAME)}). pikt never overwrites a file it did not write, even with --force`);
    }
    expect(readFileSync(join(dir, 'mine.json'), 'utf8')).toBe('user data');
    const g = await acquireOutput(join(dir, 'out.json'), { command: 'distill', kind: 'file' });
    await g.write(join(dir, 'out.json'), '{"a":1}');
    await expect(g.write(join(dir, 'mine.json'), 'x')).rejects.toThrow(/outside the output/);
    await g.release();
    expect((await readManifest(dir)).files['out.json'].command).toBe('distill');
    await expect(acquireOutput(join(dir, 'out.json'), { command: 'distill', kind: 'file' })).rejects.toThrow(/out\.json exists \(pikt distill wrote it on .*\)\. Pass --force to replace it/);
    const again = await acquireOutput(join(dir, 'out.json'), { command: 'distill', kind: 'file', force: true });
    await again.write(join(dir, 'out.json'), '{"a":2}');
    await again.release();
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"a":2}');
  });

  it('refuses an output that is one of the inputs, also through a symlink or a hard link', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'exp.json'), '{}');
    symlinkSync(join(dir, 'exp.json'), join(dir, 'link.json'));
    linkSync(join(dir, 'exp.json'), join(dir, 'hard.json'));
    for (const out of ['exp.json', 'link.json', 'hard.json']) {
      await expect(acquireOutput(join(dir, out), { command: 'distill', kind: 'file', force: true, inputs: [join(dir, 'exp.json')] }))
        .rejects.toThrow(`The output ${join(dir, out)} is also an input of this command (${join(dir, 'exp.json')}). pikt never overwrites its own inputs: choose another --out.`);
    }
    expect(readFileSync(join(dir, 'exp.json'), 'utf8')).toBe('{}');
  });

  it('folder output: a user\'s report.md or figure is refused before any work, even with --force; a file on the path is ENOTDIR', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'report.md'), '# my notes');
    const opts = { command: 'reproduce', kind: 'dir' as const, planned: ['results.json', 'report.md', 'report.html'], plannedDirs: ['figures'], force: true };
    await expect(acquireOutput(dir, opts)).rejects.toThrow(`${join(dir, 'report.md')} exists and pikt did not write it`);
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);
    const dir2 = fresh();
    mkdirSync(join(dir2, 'figures'));
    writeFileSync(join(dir2, 'figures', 'plot.svg'), '<svg/>');
    await expect(acquireOutput(dir2, opts)).rejects.toThrow(`${join(dir2, 'figures/plot.svg')} exists and pikt did not write it`);
    writeFileSync(join(dir, 'file'), '');
    await expect(acquireOutput(join(dir, 'file', 'out'), opts)).rejects.toThrow(/Cannot use .*file\/out: a part of the path is a file, not a folder \(ENOTDIR\)/);
    await expect(acquireOutput(join(dir, 'file'), opts)).rejects.toThrow(/Cannot create the folder .*file: a part of the path is a file, not a folder \(ENOTDIR\)\. .*file is a file: pass a folder for --out/);
  });

  it('a folder that cannot be written is found before any work, with the path and errno', async () => {
    // /sys/kernel refuses new files even to root (sysfs); chmod would not stop root.
    await expect(acquireOutput('/sys/kernel', { command: 'reproduce', kind: 'dir' })).rejects.toThrow(/^Cannot create the lock file \/sys\/kernel\/\.pikt-lock: permission denied \(EACCES\)\. Choose a folder you can write to/);
    await expect(acquireOutput('/sys/pikt-out', { command: 'reproduce', kind: 'dir' })).rejects.toThrow(/^Cannot create the folder \/sys\/pikt-out: operation not permitted \(EPERM\)/);
  });
});
