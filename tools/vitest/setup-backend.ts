import { createCpuBackend } from '@pikt/backend-cpu';
import { createWasmBackend } from '@pikt/backend-wasm';
import { beforeAll } from 'vitest';

/** Activates the backend named by PIKT_TEST_BACKEND (set per vitest project) before each file. */
const backend = process.env.PIKT_TEST_BACKEND ?? 'cpu';
const adapters = { cpu: createCpuBackend, wasm: createWasmBackend } as const;

beforeAll(async () => {
  const make = adapters[backend as keyof typeof adapters];
  if (!make) throw new Error(`PIKT_TEST_BACKEND=${backend} is not one of ${Object.keys(adapters).join(', ')}.`);
  await make().activate();
});
