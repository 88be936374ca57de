import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonlReporter, readEventLog } from './jsonl-reporter.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'pikt-jsonl-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const step = (k: number): TrainerEvent => ({ type: 'step-end', runId: 'r', step: k, loss: 1 / k, terms: { a: 1 / k }, elapsedMs: k });

describe('JSONL reporter', () => {
  it('appends one line per event in order, creates the directory, and a second reporter appends (resume)', async () => {
    const file = join(dir, 'nested', 'events.jsonl');
    const a = createJsonlReporter({ path: file });
    // Not awaited one by one: writes must still land in event order.
    await Promise.all([1, 2, 3].map((k) => a.onEvent(step(k))));
    await a.close?.();
    const b = createJsonlReporter({ path: file });
    await b.onEvent(step(4));
    await b.close?.();
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(5);
    expect((await readEventLog(file)).map((e) => (e as { step: number }).step)).toEqual([1, 2, 3, 4]);
    expect(await readEventLog(file)).toEqual([1, 2, 3, 4].map(step));
  });

  it('readEventLog skips a torn last line (killed writer) but rejects garbage in the middle', async () => {
    const file = join(dir, 'torn.jsonl');
    const r = createJsonlReporter({ path: file });
    await r.onEvent(step(1));
    await r.close?.();
    await appendFile(file, '{"type":"step-end","runId":"r","st');
    expect(await readEventLog(file)).toEqual([step(1)]);
    const bad = join(dir, 'bad.jsonl');
    await appendFile(bad, 'nope\n{"type":"run-end"}\n');
    await expect(readEventLog(bad)).rejects.toThrow(`${bad}:1 is not a JSON event`);
  });
});
