// The buildout-ts package folder (package.json, python/, src/templates/), found by
// walking up from this module: the same answer whether the code runs from src/,
// from dist/ or from a bundle, whose files sit at other depths.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;
let version: string | undefined;

export function packageRoot(): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'python', 'buildout_ts_wsgi'))) break;
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`buildout-ts: cannot find the package folder above ${fileURLToPath(import.meta.url)}`);
      dir = parent;
    }
    root = dir;
  }
  return root;
}

/** buildout-ts' own version, from its package.json. */
export function packageVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    version = pkg.version ?? '0';
  }
  return version;
}
