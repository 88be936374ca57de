import type { CommandDefinition } from '../cli.js';
import { probeBackends, releaseBackends } from '../backends.js';
import { loadPlugins } from '../plugins.js';
import { createCliRegistries } from '../registries.js';

export const PLUGIN_FLAG = {
  type: 'string', multiple: true, value: 'FILE',
  description: 'load an ES module exporting models, regularizers, datasets (arrays of factories with an id, or records id -> factory) or register(registries); repeatable',
} as const;

/** software/hardware for GPU backends (node-gpu's adapter, webgl's renderer); nothing for cpu/wasm. */
function kindOf(features: Record<string, unknown>): { kind?: 'software' | 'hardware' } {
  return typeof features.software === 'boolean' ? { kind: features.software ? 'software' : 'hardware' } : {};
}

export const listCommand: CommandDefinition = {
  name: 'list',
  summary: 'list backends (with whether they run here), models, regularizers and datasets',
  flags: {
    json: { type: 'boolean', description: 'print JSON instead of text' },
    plugin: PLUGIN_FLAG,
  },
  examples: [
    'pikt list',
    'pikt list --json',
    'pikt list --plugin ./my-regularizer.js      # check that a plugin registers',
  ],
  async run({ io, flags }) {
    const registries = createCliRegistries();
    const plugins = await loadPlugins((flags.plugin as string[] | undefined) ?? [], io.cwd, registries);
    const probed = await probeBackends();
    await releaseBackends(probed.map((p) => p.adapter)); // probing node-gpu opened a Dawn instance
    const backends = probed.map(({ adapter: a, probe }) => (probe.supported
      ? { id: a.id, supported: true as const, device: String(probe.features.device ?? ''), ...kindOf(probe.features) }
      : { id: a.id, supported: false as const, reason: probe.reason }));
    const out = {
      backends,
      models: registries.models.ids(),
      regularizers: registries.regularizers.ids(),
      datasets: registries.datasets.ids(),
      plugins,
    };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const lines = ['Backends:'];
    for (const b of backends) {
      if (!b.supported) { lines.push(`  ${b.id.padEnd(10)}not available: ${b.reason}`); continue; }
      lines.push(`  ${b.id.padEnd(10)}available (${b.device}${b.kind ? `, ${b.kind}` : ''})`);
    }
    for (const kind of ['models', 'regularizers', 'datasets'] as const) {
      lines.push(`${kind[0].toUpperCase()}${kind.slice(1)}:`, ...(out[kind].length > 0 ? out[kind].map((id) => `  ${id}`) : ['  (none)']));
    }
    for (const [file, ids] of Object.entries(plugins)) lines.push(`Plugin ${file}: ${ids.join(', ') || 'register() called'}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
