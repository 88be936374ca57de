import type { ReporterV1, TrainerEvent } from '@pikt/core';

export interface JsonlReporterOptions {
  /** File the events are appended to, one JSON object per line. Created with its directory. */
  path: string;
}

/**
 * Appends every trainer event to a JSON Lines file (Node). The file is opened in append mode and each
 * event is one `write` of a complete line, so a resumed run continues the same log and a killed run
 * leaves at most its last line torn (`readEventLog` skips such a line). Writes are serialized in
 * event order; `close()` waits for them.
 */
export function createJsonlReporter(options: JsonlReporterOptions): ReporterV1 {
  let handle: Promise<import('node:fs/promises').FileHandle> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const open = async () => {
    const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
    await fs.mkdir(path.dirname(options.path), { recursive: true });
    return fs.open(options.path, 'a');
  };
  return {
    specificationVersion: 'v1',
    id: 'jsonl',
    onEvent(event: TrainerEvent) {
      const line = `${JSON.stringify(event)}\n`;
      const write = chain.then(async () => {
        handle ??= open();
        await (await handle).write(line);
      });
      chain = write.catch(() => undefined);
      return write;
    },
    async close() {
      await chain;
      if (handle) {
        const h = await handle;
        handle = undefined;
        await h.close();
      }
    },
  };
}

/**
 * Read a JSONL event log. A last line without its newline (a write cut by a kill) is skipped; any
 * other unparsable line is an error naming its line number. After a resume the log holds a second
 * run-start (startStep = the checkpoint's step), and steps run between that checkpoint and the kill
 * appear twice: the later entry belongs to the run that continued.
 */
export async function readEventLog(path: string): Promise<TrainerEvent[]> {
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(path, 'utf8');
  // The last piece is '' after a final newline, or a torn line without one: drop it either way.
  const complete = text.split('\n').slice(0, -1);
  return complete.filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l) as TrainerEvent;
    } catch (cause) {
      throw new Error(`${path}:${i + 1} is not a JSON event (${String(cause)}).`, { cause });
    }
  });
}
