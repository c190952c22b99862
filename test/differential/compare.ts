// Comparing what the real tools and buildout-ts write: file trees with the buildout
// directory replaced by <root>, and the differences docs/differences.md lists applied
// to the real side first, so that anything else shows up as a test failure.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files (relative paths) under `dir`, sorted; `skip` matches relative paths to leave out. */
export function listFiles(dir: string, skip: RegExp = /^$/): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (skip.test(rel)) continue;
      if (e.isDirectory()) walk(p);
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** Directories (relative paths) under `dir`, sorted. */
export function listDirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      out.push(relative(dir, join(d, e.name)));
      walk(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

export function readNormalised(file: string, root: string): string {
  return readFileSync(file, 'utf8').split(root).join('<root>');
}

export function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

/**
 * Documented differences (docs/differences.md), as rewrites of the real recipe's text
 * into ours. Only these are allowed between the two sides.
 */
export const DOCUMENTED_REWRITES: Array<{ file: RegExp; from: string; to: string; why: string }> = [
  {
    file: /wsgi\.ini$/,
    from: 'paste.server_factory = plone.recipe.zope2instance:main\nuse = egg:plone.recipe.zope2instance#main',
    to: 'paste.server_factory = buildout_ts_wsgi.servers:server_factory\nuse = egg:buildout-ts-wsgi#main',
    why: 'the built-in [server:main] is our own distribution (the recipe is not installed)',
  },
  { file: /wsgi\.ini$/, from: 'use = egg:plone.recipe.zope2instance#sentry', to: 'use = egg:buildout-ts-wsgi#sentry', why: 'the sentry filter is our own distribution' },
];

/** The real side's text with the documented differences applied. */
export function expectedOurs(rel: string, realText: string): string {
  let t = realText;
  for (const r of DOCUMENTED_REWRITES) if (r.file.test(rel)) t = t.split(r.from).join(r.to);
  return t;
}
