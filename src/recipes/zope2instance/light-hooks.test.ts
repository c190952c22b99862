// The hooks modules are loaded at resolve time: their import graph must not
// reach zod, handlebars or execa (start-up budget, docs/DEVELOPING.md).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function imports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // static imports only (type-only imports are erased)
  for (const m of text.matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) imports(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('light hooks', () => {
  it.each(['recipes/zope2instance/hooks.ts', 'recipes/zeoserver/hooks.ts'])('%s imports neither zod, handlebars nor execa', (rel) => {
    const graph = [...imports(join(SRC, rel))];
    expect(graph.filter((s) => /^(zod|handlebars|execa)(\/|$)/.test(s))).toEqual([]);
    expect(graph.some((s) => s.endsWith('pyformat.ts'))).toBe(rel.includes('zope2instance'));
  });
});
