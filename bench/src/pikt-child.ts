/**
 * The pikt side of one case (see child.ts for the protocol): `node pikt-child.js <kind> <size-json> <dir>`.
 * Setup writes the inputs the Python peer reads into <dir>; each `run` is one timed run.
 */
import { createInterface } from 'node:readline';
import type { CaseSize } from './workloads.js';
import type { PiktWorkload } from './workloads/common.js';

const SETUPS: Record<string, () => Promise<{ setup: (size: CaseSize, dir: string) => Promise<PiktWorkload> }>> = {
  'gd-step': () => import('./workloads/gd-step.js'),
  'ntk-gram': () => import('./workloads/ntk-gram.js'),
  hinf: () => import('./workloads/hinf.js'),
  analysis: () => import('./workloads/analysis.js'),
  'large-n': () => import('./workloads/large-n.js'),
  'parse-mnist': () => import('./workloads/parse-mnist.js'),
  'train-run': () => import('./workloads/train-run.js'),
};

const send = (m: unknown) => process.stdout.write(`@@${JSON.stringify(m)}\n`);

async function main(): Promise<void> {
  const [kind, sizeJson, dir] = process.argv.slice(2);
  const load = SETUPS[kind];
  if (!load) throw new Error(`unknown workload kind "${kind}" (known: ${Object.keys(SETUPS).join(', ')})`);
  const w = await (await load()).setup(JSON.parse(sizeJson) as CaseSize, dir);
  send({ ready: true, info: w.info });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'quit') break;
    try {
      send(await w.run());
    } catch (err) {
      send({ error: err instanceof Error ? err.message : String(err) });
    }
  }
  await w.dispose?.();
}

main().then(() => process.exit(0), (err: unknown) => {
  send({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
