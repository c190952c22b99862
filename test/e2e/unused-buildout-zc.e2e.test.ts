// zc.buildout's warning about unused options of [buildout], against the real zc.buildout
// 6.0.1 (test/helpers/reference.ts) on the same buildouts: the same options named, in the
// same order. Used: what zc.buildout reads itself, what the parts' recipe constructors and
// the loaded extensions read, and what a materialised value refers to; a reference from
// a section nobody materialises does not count.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { runZcBuildout, zcBuildout } from '../helpers/reference.js';
import { makeWheel } from '../fixtures/python/wheels.js';

const WARNING = /^(?:Warning: )?Section `buildout` contains unused option\(s\): (.*)\.$/m;

function unusedOf(output: string): string | undefined {
  return WARNING.exec(output)?.[1];
}

function both(cfg: string, prepare: (dir: string) => void = () => {}): { ours: string | undefined; zc: string | undefined } {
  const files = { 'buildout.cfg': cfg };
  const dirs = { ours: testdir(files), zc: testdir(files) };
  for (const d of Object.values(dirs)) prepare(d);
  const ours = runCli([], { cwd: dirs.ours });
  expect(ours.exitCode, ours.stderr).toBe(0);
  const zc = runZcBuildout(zcBuildout(), dirs.zc);
  expect(zc.exitCode, zc.output).toBe(0);
  return { ours: unusedOf(ours.stderr), zc: unusedOf(zc.output) };
}

describe('unused [buildout] options, as the real zc.buildout reports them', () => {
  it('typos and options no recipe reads; a reference from a part counts, one from an unused section does not', () => {
    const r = both(`[buildout]
parts = cmd
typo-option = 1
show-picked-version = true
used-by-ref = hello
only-in-unused = x
relative-paths = false
eggs = x
newest = false

[cmd]
recipe = plone.recipe.command
command = echo \${buildout:used-by-ref}

[unused-section]
x = \${buildout:only-in-unused}

[versions]
plone.recipe.command = 1.1
`);
    expect(r.ours).toBe("'eggs' 'only-in-unused' 'relative-paths' 'show-picked-version' 'typo-option'");
    expect(r.ours).toBe(r.zc);
  });

  it("a recipe constructor's reads (zc.recipe.egg: relative-paths) and an extension's (mr.developer)", () => {
    const r = both(`[buildout]
parts = py
extensions = mr.developer
sources = my-sources
auto-checkout =
always-checkout = false
mr.developer-threads = 1
relative-paths = false
eggs-extra = zope.interface
typo-option = 1
newest = false

[my-sources]

[py]
recipe = zc.recipe.egg
eggs = \${buildout:eggs-extra}

[versions]
zope.interface = 8.7
mr.developer = 3.0.0
zc.recipe.egg = 6.0.0
`);
    expect(r.ours).toBe("'typo-option'");
    expect(r.ours).toBe(r.zc);
  });

  it("a Python recipe's constructor and a Python extension: what they read", () => {
    const code = [
      'class Recipe:',
      '    def __init__(self, buildout, name, options):',
      "        buildout['buildout'].get('recipe-option')",
      '    def install(self):',
      '        return ()',
      '    update = install',
      'def extension(buildout):',
      "    buildout['buildout'].get('extension-option')",
      '',
    ].join('\n');
    const entryPoints = '[zc.buildout]\ndefault = bt_reader:Recipe\n[zc.buildout.extension]\ndefault = bt_reader:extension\n';
    const r = both(
      `[buildout]
parts = p
find-links = \${buildout:directory}/wheels
extensions = bt-reader
recipe-option = 1
extension-option = 2
typo-option = 3
newest = false

[p]
recipe = bt-reader

[versions]
bt-reader = 1.0
`,
      (dir) => makeWheel(`${dir}/wheels`, { name: 'bt-reader', version: '1.0', module: 'bt_reader', code, entryPoints }),
    );
    expect(r.ours).toBe("'typo-option'");
    expect(r.ours).toBe(r.zc);
  });

  it('nothing unused: no warning', () => {
    const r = both('[buildout]\nparts =\nnewest = false\n');
    expect(r.ours).toBeUndefined();
    expect(r.zc).toBeUndefined();
  });
});
