import { fileURLToPath } from 'node:url';
import { startQueueWorker } from '@pikt/runner';
import { UsageError } from '../args.js';
import { BACKEND_CHOICES } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { WORKER_BACKEND_ENV } from '../scheduler/queue-processor.js';
import { QUEUE_PROCESSOR, positiveIntFlag, queueFlag } from '../scheduler/executors.js';

export const workerCommand: CommandDefinition = {
  name: 'worker',
  summary: 'take runs from a BullMQ queue on Redis (pikt sweep / reproduce --queue) and execute them, until Ctrl-C',
  flags: {
    queue: { type: 'string', value: 'URL', description: 'the Redis server of the queue: redis://host:port' },
    concurrency: { type: 'string', value: 'N', description: 'runs at once, each in its own worker thread (default 1)' },
    backend: { type: 'string', choices: BACKEND_CHOICES, default: 'wasm', description: 'tfjs backend of the runs' },
    'lock-ms': { type: 'string', value: 'MS', description: 'job lock duration; a dead worker\'s run is taken over within about twice this (default 30000)' },
  },
  examples: [
    'pikt worker --queue redis://queue-host:6379 --concurrency 4',
  ],
  async run({ io, flags }) {
    const target = queueFlag(flags);
    if (!target) throw new UsageError('Missing --queue.', 'Pass the Redis server the coordinator uses: pikt worker --queue redis://host:port.');
    const concurrency = positiveIntFlag('concurrency', flags.concurrency, 1, 'Pass how many runs this worker executes at once, e.g. --concurrency 2.');
    const lockMs = positiveIntFlag('lock-ms', flags['lock-ms'], 30_000, 'Pass the job lock duration in milliseconds, e.g. --lock-ms 30000.');
    process.env[WORKER_BACKEND_ENV] = flags.backend as string;
    const worker = await startQueueWorker({ target, processor: fileURLToPath(QUEUE_PROCESSOR), concurrency, lockDurationMs: lockMs, stalledIntervalMs: lockMs });
    io.stderr.write(`pikt worker: taking runs from ${target.url} (concurrency ${concurrency}, backend ${flags.backend as string}); Ctrl-C to stop\n`);
    worker.on('completed', (id) => io.stderr.write(`pikt worker: finished run ${id}\n`));
    worker.on('failed', (id, why) => io.stderr.write(`pikt worker: run ${id} failed: ${why}\n`));
    await new Promise<void>((done) => { if (io.signal.aborted) done(); else io.signal.addEventListener('abort', () => done(), { once: true }); });
    await worker.close();
    io.stderr.write('pikt worker: stopped\n');
    return 0;
  },
};
