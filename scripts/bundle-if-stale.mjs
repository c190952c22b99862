#!/usr/bin/env node
// Run before the tests (vitest's globalSetup, also by hand): the tests run the built CLI,
// so rebuild dist/bundle when its sources changed since it was built. Costs a hash of
// src/ (a few ms) when nothing changed, an esbuild run (~0.3 s) otherwise. Type checking
// stays with `npm run build` / `npm run typecheck`: a type error does not stop the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, inputsHash, outdir, STAMP } from './bundle.mjs';

export default async function setup() {
  let built;
  try {
    built = readFileSync(join(outdir, STAMP), 'utf8').trim();
  } catch {
    built = undefined;
  }
  if (built === inputsHash()) return;
  process.stderr.write(built === undefined ? 'dist/bundle missing: bundling the CLI\n' : 'src/ changed since dist/bundle was built: bundling the CLI again\n');
  await bundle();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await setup();
