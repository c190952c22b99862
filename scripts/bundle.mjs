#!/usr/bin/env node
// Bundles the CLI into dist/bundle for start-up speed: one file per lazily loaded
// module (same relative paths as src/, so import traces stay readable) plus shared
// chunks, instead of ~110 small modules to resolve and compile on every run.
// Dependencies (zod, handlebars, execa, commander, ini) stay external and lazy.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts', ...lazilyImportedModules(join(root, 'src'))],
  outdir,
  outbase: 'src',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  minifySyntax: true,
  logLevel: 'warning',
});

// Every module reached through `await import('./x.js')` becomes an entry of its own,
// so it keeps its src/ path (dist/bundle/recipes/zope2instance/index.js) instead of a
// hashed chunk name: the no-op tests check by path that recipe modules stay unloaded.
function lazilyImportedModules(srcDir) {
  const found = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/import\('(\.{1,2}\/[^']+)\.js'\)/g)) {
          found.add(relative(root, resolve(dirname(path), `${m[1]}.ts`)));
        }
      }
    }
  };
  walk(srcDir);
  return [...found].sort();
}
