import { PiktError } from '@pikt/core';
import { WORKLOAD_IDS, type WorkloadId } from './workloads.js';

/** A bad command line for `pnpm bench`: names the argument and what is accepted. */
export class BenchArgsError extends PiktError {
  constructor(problem: string, hint: string) {
    super('PIKT_BENCH_ARGS', problem, hint);
  }
}

export interface BenchArgs {
  quick: boolean;
  only?: WorkloadId[];
  /** Override of every case's run count (at least 1). */
  runs?: number;
  /** Trainer threads for (a), (g1), (g2): a count, or 0 for auto (one per core when the trainer shards by width). */
  workers?: number;
  /** Do not apt-get the Python peers when missing. */
  install: boolean;
  /** Skip `turbo run build` (the launcher reads it). */
  build: boolean;
  /** Folder of the result files. */
  out: string;
  help: boolean;
}

export const BENCH_USAGE = `usage: pnpm bench [--quick] [--only ${WORKLOAD_IDS.join(',')}] [--runs N] [--workers N|auto] [--no-install] [--no-build] [--out DIR]
  --quick       a subset in about 2 minutes: (a)(b) at n=1000 m=4096, (c) at n=2000, (d) at n=2000, (f), (g1)
  --only IDS    comma-separated workloads: ${WORKLOAD_IDS.join(', ')}
  --runs N      timed runs per side for every workload (default 5; 3 for runs above a minute)
  --workers N   trainer threads for (a), (g1), (g2) (width-sharded workers; default: auto for (a), 1 for (g1) (g2))
  --no-install  do not apt-get python3-numpy / python3-torch when missing (peers are then "not available")
  --no-build    skip turbo run build
  --out DIR     where the JSON and Markdown results go (default bench/results)`;

const KNOWN = new Set<string>(WORKLOAD_IDS);

/** Parses `pnpm bench`'s arguments (pnpm passes a bare `--` through: ignored). */
export function parseBenchArgs(argv: readonly string[], defaultOut = 'bench/results'): BenchArgs {
  const args: BenchArgs = { quick: false, install: true, build: true, out: defaultOut, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new BenchArgsError(`${flag} needs a value.`, `Example: ${flag === '--only' ? '--only a,b' : flag === '--runs' ? '--runs 3' : '--out /tmp/bench'}.`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--': break;
      case '--quick': args.quick = true; break;
      case '--no-install': args.install = false; break;
      case '--no-build': args.build = false; break;
      case '--help': case '-h': args.help = true; break;
      case '--out': args.out = take(); break;
      case '--runs': {
        const v = take();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new BenchArgsError(`--runs must be an integer >= 1 (got "${v}").`, 'Example: --runs 3.');
        args.runs = n;
        break;
      }
      case '--workers': {
        const v = take();
        const n = v === 'auto' ? 0 : Number(v);
        if (!Number.isInteger(n) || n < 0 || (n === 0 && v !== 'auto')) throw new BenchArgsError(`--workers must be an integer >= 1 or "auto" (got "${v}").`, 'Example: --workers 2.');
        args.workers = n;
        break;
      }
      case '--only': {
        const ids = take().split(',').map((s) => s.trim()).filter((s) => s.length > 0);
        const unknown = ids.filter((id) => !KNOWN.has(id));
        if (unknown.length > 0) throw new BenchArgsError(`Unknown workload${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} in --only.`, `Known workloads: ${WORKLOAD_IDS.join(', ')}.`);
        if (ids.length === 0) throw new BenchArgsError('--only needs at least one workload.', `Known workloads: ${WORKLOAD_IDS.join(', ')}.`);
        args.only = [...new Set(ids)] as WorkloadId[];
        break;
      }
      default:
        throw new BenchArgsError(`Unknown argument "${raw}".`, 'Run pnpm bench --help for the options.');
    }
  }
  return args;
}
