// Python recipes and extensions made on the spot (wheels in find-links), run by the real CLI
// through our Python host: zc.buildout's recipe API as recipes use it, failures reported as
// zc.buildout reports them (the part, the recipe's message, While:, no traceback without -D),
// rollback of what a failed part created, and extensions that change the configuration.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel } from '../fixtures/python/wheels.js';

const STACK = /^\s+at .+:\d+:\d+\)?$|Traceback \(most recent call last\)/m;

const RECIPES = `
import os, zc.buildout

class Greeting:
    """Writes a file; its location is an option other sections read."""
    def __init__(self, buildout, name, options):
        self.options = options
        options.setdefault('location', os.path.join(buildout['buildout']['parts-directory'], name))
        options['greeting'] = 'hello %s' % options.get('who', 'world')
        self.created_in = buildout['buildout']['directory']
        # zc.buildout's logging level (collective.recipe.plonesite reads it)
        self.log_level = buildout._log_level
        if options.query_bool('refuse', 'false'):
            raise zc.buildout.UserError('refusing to greet %s' % options['who'])
        assert options.copy()['greeting'] == options['greeting']

    def install(self):
        os.makedirs(self.options['location'])
        path = os.path.join(self.options['location'], 'greeting.txt')
        with open(path, 'w') as f:
            f.write(self.options['greeting'] + '\\n')
        with open(os.path.join(self.options['location'], 'log-level.txt'), 'w') as f:
            f.write('%d\\n' % self.log_level)
        self.options.created(self.options['location'])
        if self.options.get('fail') == 'exception':
            raise ValueError('boom in ' + os.getcwd())
        return [self.options['location']]

    update = install

class Crash:
    def __init__(self, buildout, name, options):
        raise RuntimeError('constructor crashed')

def uninstall(name, options):
    with open(os.path.join(os.path.dirname(os.path.dirname(options['location'])), 'uninstalled.txt'), 'a') as f:
        f.write('%s %s\\n' % (name, options['greeting']))
`;

const EXTENSION = `
import os

def load(buildout):
    b = buildout['buildout']
    b['greeted-by'] = 'extension'
    buildout['settings']['who'] = 'extension world'

def unload(buildout):
    with open(os.path.join(buildout['buildout']['directory'], 'unloaded.txt'), 'w') as f:
        f.write(buildout['buildout']['greeted-by'] + '\\n')
`;

function links(root: string): string {
  const dir = join(root, 'links');
  makeWheel(dir, {
    name: 'demo.recipes',
    version: '1.0',
    module: 'demo_recipes',
    code: RECIPES,
    requires: ['zc.buildout'],
    entryPoints: '[zc.buildout]\ndefault = demo_recipes:Greeting\ncrash = demo_recipes:Crash\n\n[zc.buildout.uninstall]\ndefault = demo_recipes:uninstall\n',
  });
  makeWheel(dir, { name: 'demo.extension', version: '1.0', module: 'demo_extension', code: EXTENSION, entryPoints: '[zc.buildout.extension]\ndefault = demo_extension:load\n\n[zc.buildout.unloadextension]\ndefault = demo_extension:unload\n' });
  return dir;
}

function cfg(body: string, extra = ''): string {
  return `[buildout]\nfind-links = \${buildout:directory}/links\n${extra}${body}`;
}

describe('Python recipes through the host', () => {
  it('constructor options are visible to other sections; uninstall entry point; rollback of a failing part; no traceback without -D', { timeout: 300_000 }, () => {
    const root = testdir({});
    links(root);
    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello report\nhello-at = ${hello:location}\n\n[hello]\nrecipe = demo.recipes\nwho = you\n\n[report]\nrecipe = demo.recipes\nwho = ${hello:greeting} at ${buildout:hello-at}\n'));
    const a = runCli([], { cwd: root });
    expect(a.exitCode, a.stderr).toBe(0);
    expect(readFileSync(join(root, 'parts/hello/greeting.txt'), 'utf8')).toBe('hello you\n');
    expect(readFileSync(join(root, 'parts/hello/log-level.txt'), 'utf8')).toBe('20\n');
    expect(readFileSync(join(root, 'parts/report/greeting.txt'), 'utf8')).toBe(`hello hello you at ${root}/parts/hello\n`);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/\[hello\]\n__buildout_installed__ = parts\/hello\n__buildout_signature__ = demo-recipes-1\.0 [^\n]*zc-buildout-6\.0\.1[^\n]*\ngreeting = hello you\nlocation = /);

    // a failing part: the recipe's message, While:, what it created removed, its previous
    // installation put back (zc.buildout would have deleted it), the other parts kept
    const before = readFileSync(join(root, '.installed.cfg'), 'utf8');
    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello report\n\n[hello]\nrecipe = demo.recipes\nwho = you\n\n[report]\nrecipe = demo.recipes\nwho = me\nfail = exception\n'));
    const b = runCli([], { cwd: root });
    expect(b.exitCode).toBe(1);
    expect(b.stderr).toContain(`Error: ValueError: boom in ${root}`);
    expect(b.stderr).toContain('While:\n  Installing report.');
    expect(b.stderr).toContain('Hint: The recipe demo.recipes raised an exception: run buildout with -D to see its traceback.');
    expect(b.stderr).not.toMatch(STACK);
    expect(b.stderr).toContain('The previous installation of part report was kept: its files are back in place and .installed.cfg still records it.');
    expect(readFileSync(join(root, 'parts/report/greeting.txt'), 'utf8')).toBe(`hello hello you at ${root}/parts/hello\n`);
    expect(readFileSync(join(root, 'uninstalled.txt'), 'utf8')).toBe(`report hello hello you at ${root}/parts/hello\n`);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(before);

    // -D shows the recipe's traceback
    const c = runCli(['-D'], { cwd: root });
    expect(c.exitCode).toBe(1);
    expect(c.stderr).toMatch(/Traceback \(most recent call last\):[\s\S]*demo_recipes[\s\S]*ValueError: boom/);
  });

  it("a zc.buildout.UserError shows the recipe's own message; an exception in a constructor and a missing entry point are named", { timeout: 300_000 }, () => {
    const root = testdir({});
    links(root);
    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello\n\n[hello]\nrecipe = demo.recipes\nwho = nobody\nrefuse = true\n'));
    const a = runCli([], { cwd: root });
    expect(a.exitCode).toBe(1);
    expect(a.stderr).toContain('Error: refusing to greet nobody');
    expect(a.stderr).toContain('While:\n  Initializing section hello.');
    expect(a.stderr).not.toMatch(STACK);

    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello\n\n[hello]\nrecipe = demo.recipes:crash\n'));
    const b = runCli([], { cwd: root });
    expect(b.exitCode).toBe(1);
    expect(b.stderr).toContain('Error: RuntimeError: constructor crashed');
    expect(b.stderr).not.toMatch(STACK);

    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello\n\n[hello]\nrecipe = demo.recipes:nope\n'));
    const c = runCli([], { cwd: root });
    expect(c.exitCode).toBe(1);
    expect(c.stderr).toContain("Error: demo.recipes has no zc.buildout entry point named 'nope' (recipe = demo.recipes:nope in part hello)");
    expect(c.stderr).toContain(`at ${root}/buildout.cfg:6 [hello] recipe`);
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
  });

  it('extensions: zc.buildout.extension entry points change the configuration before the parts; unloadextension runs at the end', { timeout: 300_000 }, () => {
    const root = testdir({});
    links(root);
    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = hello\n\n[settings]\nwho = config\n\n[hello]\nrecipe = demo.recipes\nwho = ${settings:who} (${buildout:greeted-by})\n', 'extensions = demo.extension\n'));
    const a = runCli([], { cwd: root });
    expect(a.exitCode, a.stderr).toBe(0);
    expect(readFileSync(join(root, 'parts/hello/greeting.txt'), 'utf8')).toBe('hello extension world (extension)\n');
    expect(readFileSync(join(root, 'unloaded.txt'), 'utf8')).toBe('extension\n');
  });

  it('zc.recipe.egg:custom from PyPI installs its egg into the environment (build options are reported, not applied)', { timeout: 300_000 }, () => {
    const root = testdir({});
    links(root);
    writeFileSync(join(root, 'buildout.cfg'), cfg('parts = custom py\n\n[custom]\nrecipe = zc.recipe.egg:custom\negg = demo.extension\ninclude-dirs = include\n\n[py]\nrecipe = zc.recipe.egg:scripts\neggs = demo.extension\ninterpreter = py\n\n[versions]\nzc.recipe.egg = 6.0.0\n'));
    const a = runCli([], { cwd: root });
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stderr).toContain('custom: the build options include-dirs are not passed on');
    const py = runCli([], { cwd: root }); // a second run is a no-op
    expect(py.stderr).toBe('custom: unchanged\npy: unchanged\n');
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toContain(`[custom]\n__buildout_installed__ = \n`);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toContain(`include-dirs = ${root}/include\n`);
  });
});
