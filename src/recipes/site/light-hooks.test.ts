// The balancer's and the site's plugins are loaded at resolve time: their import graph must
// not reach zod, handlebars or execa (start-up budget, docs/DEVELOPING.md).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function imports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) imports(join(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('light hooks of the scale-out recipes', () => {
  it.each(['recipes/haproxy/hooks.ts', 'recipes/site/hooks.ts'])('%s imports neither zod, handlebars nor execa', (rel) => {
    const graph = [...imports(join(SRC, rel))];
    expect(graph.some((s) => s.endsWith('members.ts'))).toBe(true);
    expect(graph.filter((s) => /^(zod|handlebars|execa)(\/|$)/.test(s))).toEqual([]);
  });
});
