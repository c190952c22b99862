// The text of bin/test, laid out as zc.buildout's easy_install.scripts writes it
// for zc.recipe.testrunner: the sys.path lines, the initialization (cd to the
// working directory, the environment, the user's code), then
// `zope.testrunner.run(defaults + [--test-path …])`. Paths may be written
// relative to the script (relative-paths), as zc.buildout computes them.
import { basename, dirname } from 'node:path';
import { pyRepr } from '../../pyrepr.js';

export interface TestScript {
  /** the environment's python */
  python: string;
  /** the script's absolute path */
  script: string;
  /** sys.path entries, in order (already unique and resolved) */
  path: string[];
  /** the working directory */
  workingDirectory: string;
  /** variables of the `environment` section, in its order */
  environment: [string, string][];
  /** the `initialization` option */
  initialization: string;
  /** the `defaults` option */
  defaults: string;
  /** `--test-path DIR` and `--package-path DIR PACKAGE` arguments */
  testPaths: ({ dir: string } | { dir: string; package: string })[];
  /** the buildout directory, with relative-paths = true */
  relativeTo?: string;
}

export function renderTestScript(t: TestScript): string {
  const rel = t.relativeTo;
  const inTestrunner = (p: string) => (rel && p.startsWith(rel + '/') ? `join(base, ${pyRepr(p.slice(rel.length + 1))})` : pyRepr(p));
  let init = `import os\nsys.argv[0] = os.path.abspath(sys.argv[0])\nos.chdir(${inTestrunner(t.workingDirectory)})\n`;
  for (const [k, v] of t.environment) init += `os.environ['${k}'] = ${pyRepr(v)}\n`;
  if (t.initialization.trim()) init += t.initialization.trim();
  const defaults = t.defaults.trim() ? `(${t.defaults.trim()}) + ` : '';
  const args =
    defaults +
    '[\n' +
    t.testPaths.map((p) => ('package' in p ? `        '--package-path', ${inTestrunner(p.dir)}, ${pyRepr(p.package)},\n` : `        '--test-path', ${inTestrunner(p.dir)},\n`)).join('') +
    '        ]';
  const setup = rel ? relativeSetup(rel, t.script) : '';
  const path = t.path.map((p) => (rel ? relativitize(p, t.script, rel) : pyRepr(p))).join(',\n  ');
  return `${shebang(t.python)}\n${setup}\nimport sys\nsys.path[0:0] = [\n  ${path ? path + ',\n  ' : ''}]\n\n${init}\n\nimport zope.testrunner\n\nif __name__ == '__main__':\n    sys.exit(zope.testrunner.run(${args}))\n`;
}

// --- internal ---

// Linux truncates shebang lines after 127 bytes: run through sh then.
function shebang(python: string): string {
  if (python.length + 2 < 127 && !/\s/.test(python)) return `#!${python}`;
  return `#!/bin/sh\n"exec" ${pyRepr(python)} "$0" "$@"`;
}

// zc.buildout's relative_paths_setup, with one `base = dirname(base)` per directory between the script and the base.
function relativeSetup(base: string, script: string): string {
  let depth = 0;
  for (let d = dirname(script); d !== base && d !== dirname(d); d = dirname(d)) depth++;
  return '\nimport os\n\njoin = os.path.join\nbase = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))\n' + 'base = os.path.dirname(base)\n'.repeat(depth);
}

// zc.buildout's _relativitize: relative to the common directory of the path and the
// script (a character-wise common prefix, as os.path.commonprefix) when it lies under the base.
function relativitize(path: string, script: string, base: string): string {
  if (path === base) return 'base';
  let i = 0;
  while (i < path.length && i < script.length && path[i] === script[i]) i++;
  const common = dirname(path.slice(0, i) + (i < path.length ? 'x' : ''));
  if (common === base || common.startsWith(base + '/')) return `join(base, ${pyRepr(relativePath(common, path))})`;
  return pyRepr(path);
}

function relativePath(common: string, path: string): string {
  const parts: string[] = [];
  for (let p = path; ; ) {
    parts.unshift(basename(p));
    p = dirname(p);
    if (p === common || p === dirname(p)) break;
  }
  return parts.join('/');
}
