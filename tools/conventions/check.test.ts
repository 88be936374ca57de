import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { checkConventions } from './check.mjs';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function pkg(name: string, files: Record<string, string>, withReadme = true, withExports = true): void {
  const dir = join(root, 'packages', name.replace('@pikt/', ''));
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, ...(withExports ? { exports: { '.': './dist/index.js' } } : {}) }));
  if (withReadme) writeFileSync(join(dir, 'README.md'), '# x');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'src', file), text);
}

describe('conventions check', () => {
  it('accepts inward dependencies and flags each kind of violation', () => {
    root = mkdtempSync(join(tmpdir(), 'pikt-conv-'));
    pkg('@pikt/core', { 'index.ts': "export { a } from './a.js';" });
    pkg('@pikt/models', { 'index.ts': "export { m } from './m.js';", 'm.ts': "import { a } from '@pikt/core';\nexport const m = a;", 'm.test.ts': "import { x } from '@pikt/testkit';" });
    expect(checkConventions(root)).toEqual([]);

    pkg('@pikt/trainer', { 'index.ts': "export * from './t.js';", 't.ts': "import { m } from '@pikt/models';" }, false, false);
    const problems: string[] = checkConventions(root);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/packages\/trainer: no README\.md/);
    expect(problems.join('\n')).toMatch(/packages\/trainer: package\.json has no "exports" map/);
    expect(problems.join('\n')).toMatch(/index\.ts: uses "export \*"/);
    expect(problems.join('\n')).toMatch(/t\.ts: imports @pikt\/models; @pikt\/trainer may only import @pikt\/core, @pikt\/linalg \(/);
  });

  it('lets any package use @pikt/linalg, which itself may use only core', () => {
    root = mkdtempSync(join(tmpdir(), 'pikt-conv-'));
    pkg('@pikt/core', { 'index.ts': "export { a } from './a.js';" });
    pkg('@pikt/datasets', { 'index.ts': "export { p } from './p.js';", 'p.ts': "import { eigh } from '@pikt/linalg';\nexport const p = eigh;" });
    pkg('@pikt/linalg', { 'index.ts': "export { e } from './e.js';", 'e.ts': "import { a } from '@pikt/core';\nimport { n } from '@pikt/ntk';" });
    expect(checkConventions(root)).toEqual([
      'packages/linalg/src/e.ts: imports @pikt/ntk; @pikt/linalg may only import @pikt/core (dependencies point inward to core; plugins never import sibling plugins).',
    ]);
  });
});
