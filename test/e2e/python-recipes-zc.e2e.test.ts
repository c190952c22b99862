// Differential tests: real third-party recipes from PyPI run by buildout-ts (through its
// Python host) and by the real zc.buildout 6.0.1 (test/helpers/reference.ts, with the recipes)
// on the same buildout.cfg, twice (the second run after an option change); the files they
// leave must be the same. Allowed differences, applied to both sides before comparing
// (docs/differences.md): scripts run the environment's python with its sys.path (no
// `sys.path[0:0] = [eggs…]` block), omelette links point into the environment, and the
// reference environment holds every recipe next to the eggs (its omelette sees them all).
import { lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { referenceEnv, runZcBuildout, ZC_BUILDOUT, ZC_BUILDOUT_VERSION } from '../helpers/reference.js';

/** What the corpus uses; the buildouts under test pin the same versions in [versions]. */
const CORPUS_PINS: Record<string, string> = {
  'zc.recipe.egg': '6.0.0',
  'collective.recipe.omelette': '3.0.0',
  'collective.recipe.backup': '6.0.0',
  'collective.recipe.cmd': '1.0.0',
  'z3c.recipe.usercrontab': '1.5',
  'plone.recipe.precompiler': '0.7.2',
  'python-gettext': '5.0',
  'zope.interface': '7.2',
};

// the real zc.buildout with the recipes and their eggs beside it: its runs are offline
const reference = () => referenceEnv({ name: 'recipes', requirements: [...ZC_BUILDOUT, ...Object.entries(CORPUS_PINS).map(([n, v]) => `${n}==${v}`)], args: ['-o'] });

const VERSIONS = `[versions]\nzc.buildout = ${ZC_BUILDOUT_VERSION}\nsetuptools = 81.0.0\n${Object.entries(CORPUS_PINS)
  .map(([n, v]) => `${n} = ${v}`)
  .join('\n')}\n`;

// Every recipe of the corpus, and a recipe's computed option ([omelette] location) read by
// [buildout] and by another part.
function corpus(cmdText: string, times: string): string {
  return `[buildout]
parts = omelette backup cmd crontab precompile script
logdir = \${omelette:location}/log

[omelette]
recipe = collective.recipe.omelette
eggs = zope.interface

[backup]
recipe = collective.recipe.backup
backup_blobs = false

[cmd]
recipe = collective.recipe.cmd
on_install = true
cmds =
    mkdir -p \${buildout:directory}/var
    echo ${cmdText} \${buildout:logdir} > \${buildout:directory}/var/cmd.txt
uninstall_cmds = echo uninstalled ${cmdText} >> \${buildout:directory}/var/uninstalled.txt

[crontab]
recipe = z3c.recipe.usercrontab
times = ${times}
command = \${buildout:bin-directory}/backup -q
readcrontab = cat \${buildout:directory}/crontab.txt
writecrontab = cat > \${buildout:directory}/crontab.txt

[precompile]
recipe = plone.recipe.precompiler
eggs =
dirs = \${buildout:directory}/src
compile-mo-files = true

[script]
recipe = zc.recipe.egg:script
eggs = zope.interface
interpreter = py

${VERSIONS}`;
}

const SOURCES: Record<string, string> = {
  'src/mod.py': 'X = 1\n',
  'src/locales/de/LC_MESSAGES/demo.po': 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Hello"\nmsgstr "Hallo"\n',
  'crontab.txt': '# a line of the user\n',
};

describe('third-party Python recipes, compared with the real zc.buildout', () => {
  it('omelette, backup, cmd, usercrontab, precompiler and zc.recipe.egg:script build the same files, also after an option change', { timeout: 600_000 }, () => {
    const ours = testdir({ 'buildout.cfg': corpus('first', '0 3 * * *'), ...SOURCES });
    const real = testdir({ 'buildout.cfg': corpus('first', '0 3 * * *'), ...SOURCES });

    const a = runCli([], { cwd: ours, timeoutMs: 600_000 });
    expect(a.stderr).not.toMatch(/Error/);
    expect(a.exitCode).toBe(0);
    const r = runZcBuildout(reference(), real);
    expect(r.output).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    compareTrees(ours, real);
    expect(readFileSync(join(ours, 'var/cmd.txt'), 'utf8')).toBe(`first ${ours}/parts/omelette/log\n`);

    // second run: options of two parts change; their uninstall entry points run first
    writeFileSync(join(ours, 'buildout.cfg'), corpus('second', '0 4 * * *'));
    writeFileSync(join(real, 'buildout.cfg'), corpus('second', '0 4 * * *'));
    const a2 = runCli([], { cwd: ours, timeoutMs: 600_000 });
    expect(a2.exitCode, a2.stderr).toBe(0);
    const r2 = runZcBuildout(reference(), real);
    expect(r2.exitCode, r2.output).toBe(0);
    compareTrees(ours, real);
    expect(readFileSync(join(ours, 'var/uninstalled.txt'), 'utf8')).toBe('uninstalled first\n');
    expect(readFileSync(join(ours, 'crontab.txt'), 'utf8')).toContain('0 4 * * *');
    expect(readFileSync(join(ours, 'crontab.txt'), 'utf8')).not.toContain('0 3 * * *');

    // a third run changes nothing: no process, no recipe module, no zod/handlebars/execa
    const trace = join(ours, 'trace.txt');
    const a3 = runCli([], { cwd: ours, env: { NODE_OPTIONS: `--import=${join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs')}`, TRACE_FILE: trace } });
    expect(a3.exitCode).toBe(0);
    expect(a3.stderr).toBe(['omelette', 'backup', 'cmd', 'crontab', 'precompile', 'script'].map((p) => `${p}: unchanged\n`).join(''));
    const lines = readFileSync(trace, 'utf8').split('\n');
    expect(lines.some((l) => l.endsWith('/cli/commands/install.js'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('spawn:') || /node_modules\/(zod|handlebars|execa)\/|\/install\/execute\.js$|python-recipes\/host\.js$/.test(l))).toEqual([]);
  });
});

// --- comparison ---

function compareTrees(ours: string, real: string): void {
  const skip = /^(\.buildout|eggs|develop-eggs|\.installed\.cfg)(\/|$)|__pycache__/;
  const mine = listTree(ours, skip);
  // the reference environment holds every recipe next to zope.interface: its omelette links
  // them all; only the distributions of the part's working set are compared
  const wanted = /^parts\/omelette\/(zope|setuptools|pkg_resources|_distutils_hack)(\/|$)|^parts\/omelette$/;
  const theirs = listTree(real, skip).filter((e) => !e.path.startsWith('parts/omelette') || wanted.test(e.path));
  expect(mine.map((e) => `${e.path} ${e.kind}`)).toEqual(theirs.map((e) => `${e.path} ${e.kind}`));
  for (const e of mine) {
    // the interpreter script is written in our own words (docs/differences.md): same options, same effect
    if (e.kind !== 'file' || e.path === 'bin/py') continue;
    expect(normalise(read(ours, e.path), ours), e.path).toBe(normalise(read(real, e.path), real));
  }
  expect(installedParts(ours)).toEqual(installedParts(real));
}

interface Entry {
  path: string;
  kind: 'dir' | 'file' | 'link';
}

function listTree(root: string, skip: RegExp): Entry[] {
  const out: Entry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = relative(root, abs);
      if (skip.test(rel)) continue;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.push({ path: rel, kind: 'link' });
      else if (st.isDirectory()) {
        out.push({ path: rel, kind: 'dir' });
        walk(abs);
      } else out.push({ path: rel, kind: 'file' });
    }
  };
  walk(root);
  return out;
}

function read(root: string, rel: string): string {
  const buf = readFileSync(join(root, rel));
  return rel.endsWith('.mo') ? buf.toString('base64') : buf.toString('utf8');
}

// The documented differences of scripts: the interpreter and zc.buildout's egg path list.
function normalise(text: string, root: string): string {
  return text
    .split(root)
    .join('<root>')
    .replace(/^#!.*\n/, '#!<python>\n')
    .replace(/\nsys\.path\[0:0\] = \[\n(?:  .*\n)*  \]\n/, '\n');
}

// Part names, option names and values of .installed.cfg (paths relative, signatures aside).
function installedParts(root: string): Record<string, string> {
  const text = readFileSync(join(root, '.installed.cfg'), 'utf8').split(root).join('<root>');
  const out: Record<string, string> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const h = /^\[(.+)\]$/.exec(line);
    if (h) section = h[1]!;
    else if (section !== 'buildout' && /^\S/.test(line) && !line.startsWith('__buildout_signature__')) out[`${section}:${line.split(' = ')[0]}`] = line.includes(' = ') ? line.slice(line.indexOf(' = ') + 3).replace(/^<root>\//, '') : '';
  }
  // zc.buildout appends a [buildout] section with the new `parts` after an update: the last one counts
  const parts = [...text.matchAll(/^parts = (.*)$/gm)].pop()?.[1] ?? '';
  out['buildout:parts'] = parts;
  return out;
}
