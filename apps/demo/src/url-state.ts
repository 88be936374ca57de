import { encodeState, type DemoState } from './state.js';

/**
 * Writes the state into the address bar, debounced: control changes only (never per step), and at most
 * one replaceState per `waitMs` (Safari throws after 100 calls in 30 s).
 */
export function createUrlWriter(waitMs = 400): { write(s: DemoState): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: DemoState | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const q = encodeState(pending);
    pending = undefined;
    const url = `${location.pathname}${q ? `?${q}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
  };
  return {
    write(s) { pending = s; if (timer) clearTimeout(timer); timer = setTimeout(flush, waitMs); },
    flush,
  };
}
