import type { PairAsset } from '../data.js';
import { decodePair } from '../pair-format.js';

/** Fetch a shipped class pair from the site's own origin (public/data/<id>.bin). */
export async function loadPair(id: 'mnist' | 'fashion', assetBase: string): Promise<PairAsset> {
  const url = new URL(`data/${id}-pair.bin`, assetBase).href;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} (the demo's data assets are missing: run pnpm --filter @pikt/demo assets)`);
  return decodePair(new Uint8Array(await res.arrayBuffer()));
}
