import type { CommandDefinition } from '../cli.js';
import { knownBackends } from '../backends.js';
import { loadPlugins } from '../plugins.js';
import { createCliRegistries } from '../registries.js';

export const PLUGIN_FLAG = {
  type: 'string', multiple: true, value: 'FILE',
  description: 'load an ES module exporting models, regularizers, datasets (arrays of factories with an id, or records id -> factory) or register(registries); repeatable',
} as const;

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
    const backends = await Promise.all((await knownBackends()).map(async (a) => {
      const probe = await a.probe();
      return probe.supported
        ? { id: a.id, supported: true, device: String(probe.features.device ?? '') }
        : { id: a.id, supported: false, reason: probe.reason };
    }));
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
    for (const b of backends) lines.push(`  ${b.id.padEnd(10)}${b.supported ? `available (${b.device})` : `not available: ${b.reason}`}`);
    for (const kind of ['models', 'regularizers', 'datasets'] as const) {
      lines.push(`${kind[0].toUpperCase()}${kind.slice(1)}:`, ...(out[kind].length > 0 ? out[kind].map((id) => `  ${id}`) : ['  (none)']));
    }
    for (const [file, ids] of Object.entries(plugins)) lines.push(`Plugin ${file}: ${ids.join(', ') || 'register() called'}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
