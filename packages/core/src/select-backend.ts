import type { ActiveBackend, BackendAdapterV1 } from './contracts/backend.js';
import { NoBackendError } from './errors.js';

export interface SelectBackendOptions {
  /** Sort candidates by descending `priority` first (default: keep the given order). */
  byPriority?: boolean;
}

/**
 * Probe the candidates in order and activate the first one that is supported. When none works,
 * throw `NoBackendError` listing every candidate with its reason (a probe that throws, or an
 * `activate()` that fails, counts as unsupported with the error's message as the reason).
 */
export async function selectBackend(
  candidates: readonly BackendAdapterV1[],
  options: SelectBackendOptions = {},
): Promise<ActiveBackend> {
  const ordered = options.byPriority ? [...candidates].sort((a, b) => b.priority - a.priority) : candidates;
  const reasons: Array<{ id: string; reason: string }> = [];
  for (const adapter of ordered) {
    let reason: string;
    try {
      const probe = await adapter.probe();
      if (probe.supported) return await adapter.activate();
      reason = probe.reason;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    reasons.push({ id: adapter.id, reason });
  }
  throw new NoBackendError(reasons);
}
