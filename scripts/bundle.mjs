#!/usr/bin/env node
// Bundles the CLI into dist/bundle for start-up speed: one file per lazily loaded
// module (same relative paths as src/, so import traces stay readable) plus shared
// chunks, instead of ~110 small modules to resolve and compile on every run.
// Dependencies (zod, handlebars, execa, commander, ini) stay external and lazy.
// dist/bundle/.inputs records a hash of what the bundle was built from, so that
// bundle-if-stale.mjs (run before the tests) rebuilds only when src/ changed.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outdir = join(root, 'dist', 'bundle');
export const STAMP = '.inputs';

/** Builds dist/bundle beside and swaps it in, so a run that starts meanwhile never sees half a bundle. */
export async function bundle() {
  const hash = inputsHash();
  const tmp = `${outdir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const { outputFiles } = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts', ...lazilyImportedModules(join(root, 'src'))],
    outdir: tmp,
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
    write: false,
  });
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.path.endsWith('.js') ? builtinsWithoutEsmFacade(file.text) : file.contents);
  }
  writeFileSync(join(tmp, STAMP), `${hash}\n`);
  const old = `${outdir}.old-${process.pid}`;
  try {
    renameSync(outdir, old);
  } catch {
    // no previous bundle
  }
  renameSync(tmp, outdir);
  rmSync(old, { recursive: true, force: true });
}

// `import … from 'node:fs'` in an ES module makes Node build an ESM facade of the builtin,
// which reads every export, getters included: fs.ReadStream alone loads the whole stream
// machinery (~3 ms per run), crypto's `webcrypto` the Web Crypto API. So the bundle takes
// builtins from process.getBuiltinModule() (Node >= 20.16), which reads only the names
// used. esbuild writes these imports in one regular form at the top of each file.
const BUILTIN_IMPORT = /^import (?:(\w+)|\* as (\w+)|\{([^}]*)\})(?:, \{([^}]*)\})? from "(node:[\w/]+)";$/gm;
export function builtinsWithoutEsmFacade(code) {
  return code.replace(BUILTIN_IMPORT, (_, def, ns, named, named2, spec) => {
    const mod = `process.getBuiltinModule(${JSON.stringify(spec)})`;
    const names = named ?? named2;
    const bindings = names ? `{ ${names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/^(\S+) as (\S+)$/, '$1: $2')).join(', ')} }` : undefined;
    const local = def ?? ns;
    if (local && bindings) return `const ${local} = ${mod}, ${bindings} = ${local};`;
    return `const ${local ?? bindings} = ${mod};`;
  });
}

/** A hash of every input of the bundle: the non-test sources, this script, the esbuild version, tsconfig.json. */
export function inputsHash() {
  const h = createHash('sha256');
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(join(root, 'src'));
  files.sort();
  files.push(fileURLToPath(import.meta.url), join(root, 'tsconfig.json'), join(root, 'node_modules', 'esbuild', 'package.json'));
  for (const f of files) h.update(`${relative(root, f)}\0`).update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

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

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
