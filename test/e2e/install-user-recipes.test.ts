// A user's own recipes through the real CLI: a module next to buildout.cfg and an npm
// package, their hooks (computeOptions, inputFiles, alwaysUpdate), uninstall, and the
// errors of a module that is missing or exports no recipe.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;

// Writes `greeting` into a file named after the part; the greeting is computed from `name`
// at resolve time (visible to ${hello:greeting}); `template` is an input file.
const HELLO = `
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = (ctx) => ctx.buildout.options.directory;
export default {
  name: 'hello',
  schema: { safeParse: (o) => ({ success: true, data: o }), shape: { name: {}, greeting: {}, template: {}, 'always-update': {} } },
  async install(ctx) {
    const out = join(dir(ctx), ctx.part + '.txt');
    const head = ctx.options.template ? readFileSync(join(dir(ctx), ctx.options.template), 'utf8') : '';
    writeFileSync(out, head + ctx.options.greeting + '\\n');
    return [out];
  },
  async update(ctx) {
    writeFileSync(join(dir(ctx), ctx.part + '.updates'), 'x', { flag: 'a' });
  },
  async uninstall(ctx) {
    writeFileSync(join(ctx.buildout.options.directory, 'uninstalled-' + ctx.part), ctx.raw.greeting);
  },
};
export const hooks = {
  computeOptions: ({ options }) => ({ greeting: 'Hello-' + options.name }),
  inputFiles: ({ options, buildout }) => (options.template ? [join(buildout.options.directory, options.template)] : []),
  alwaysUpdate: (options) => options['always-update'] === 'true',
};
`;

const CFG = [
  '[buildout]',
  'executable = /usr/bin/python3',
  'parts = hello echo',
  '',
  '[hello]',
  'recipe = ./recipes/hello.mjs',
  'name = World',
  'template = header.txt',
  '',
  '[echo]',
  'recipe = buildout-ts:mkdir',
  'paths = var/${hello:greeting}',
  '',
].join('\n');

function hello(extra: Record<string, string> = {}) {
  return testdir({ 'buildout.cfg': CFG, 'recipes/hello.mjs': HELLO, 'header.txt': '# header\n', ...extra });
}

describe('user recipes', () => {
  it('a module next to buildout.cfg: its computed options are visible to other parts and recorded', () => {
    const root = hello();
    const r = runCli([], { cwd: root });
    expect(r.stderr).not.toMatch(STACK);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('# header\nHello-World\n');
    expect(existsSync(join(root, 'var/Hello-World'))).toBe(true);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/\[hello\]\n__buildout_installed__ = hello.txt\n__buildout_signature__ = buildout-ts-\S+ inputs-[0-9a-f]{16}\ngreeting = Hello-World\nname = World\nrecipe = .\/recipes\/hello.mjs\ntemplate = header.txt\n/);
    expect(runCli([], { cwd: root }).stderr).toBe('hello: unchanged\necho: unchanged\n');
  });

  it('a changed input file (template) or recipe module reinstalls the part', () => {
    const root = hello();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'header.txt'), '# a longer header\n');
    const r = runCli([], { cwd: root });
    expect(r.stderr).toMatch(/^hello: installed in .* \(options changed: __buildout_signature__\)\necho: unchanged\n$/);
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('# a longer header\nHello-World\n');

    writeFileSync(join(root, 'recipes/hello.mjs'), HELLO + '\n// edited\n');
    expect(runCli([], { cwd: root }).stderr).toMatch(/^hello: installed in .* \(options changed: __buildout_signature__\)$/m);
  });

  it('a changed computed option reinstalls the parts that use it', () => {
    const root = hello();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), CFG.replace('name = World', 'name = Plone'));
    const r = runCli([], { cwd: root });
    expect(r.stderr).toMatch(/^hello: installed .*\(options changed: greeting, name\)\n(echo: Creating .*\n)echo: installed .*\(options changed: paths\)\n$/);
    expect(existsSync(join(root, 'var/Hello-World'))).toBe(false);
    expect(existsSync(join(root, 'var/Hello-Plone'))).toBe(true);
  });

  it('runs the uninstall hook of a removed part, then removes its files', () => {
    const root = hello();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), CFG.replace('parts = hello echo', 'parts =').replace('paths = var/${hello:greeting}', 'paths = x'));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
        expect(readFileSync(join(root, 'uninstalled-hello'), 'utf8')).toBe('Hello-World');
    expect(existsSync(join(root, 'hello.txt'))).toBe(false);
  });

  it('alwaysUpdate: an unchanged part is updated on every run', () => {
    const root = hello();
    writeFileSync(join(root, 'buildout.cfg'), CFG.replace('name = World', 'name = World\nalways-update = true'));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const r = runCli([], { cwd: root });
    expect(r.stderr).toMatch(/^hello: updated in \d+\.\d\ds\necho: unchanged\n$/);
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(readFileSync(join(root, 'hello.updates'), 'utf8')).toBe('xx');
  });

  it('an npm package installed for the buildout, with a named export', () => {
    const root = testdir({
      'buildout.cfg': ['[buildout]', 'executable = /usr/bin/python3', 'parts = a b', '', '[a]', 'recipe = buildout-recipe-touch', 'file = a.txt', '', '[b]', 'recipe = buildout-recipe-touch:stamp', 'file = b.txt', ''].join('\n'),
      'node_modules/buildout-recipe-touch/package.json': JSON.stringify({ name: 'buildout-recipe-touch', type: 'module', exports: { '.': { import: './lib/index.js' } } }),
      'node_modules/buildout-recipe-touch/lib/index.js': [
        "import { writeFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        'const make = (text) => ({ name: text, async install(ctx) { const f = join(ctx.buildout.options.directory, ctx.raw.file); writeFileSync(f, text + ":" + ctx.raw.where); return [f]; } });',
        "export default make('touch');",
        "export const stamp = make('stamp');",
        "export const stampHooks = { computeOptions: () => ({ where: 'named' }) };",
        "export const hooks = { computeOptions: () => ({ where: 'default' }) };",
      ].join('\n'),
    });
    const r = runCli([], { cwd: root });
    expect(r.stderr).not.toMatch(STACK);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('touch:default');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('stamp:named');
  });

  it('a missing module and a module without a recipe are clear errors at the recipe line', () => {
    const missing = testdir({ 'buildout.cfg': '[buildout]\nexecutable = /usr/bin/python3\nparts = p\n\n[p]\nrecipe = ./recipes/nope.mjs\n' });
    const r1 = runCli([], { cwd: missing });
    expect(r1.exitCode).toBe(1);
    expect(r1.stderr).toContain(`Error: Recipe module ./recipes/nope.mjs not found (looked for ${missing}/recipes/nope.mjs) in part 'p'`);
    expect(r1.stderr).toContain(`at ${missing}/buildout.cfg:6 [p] recipe`);

    const wrong = testdir({ 'buildout.cfg': '[buildout]\nexecutable = /usr/bin/python3\nparts = p\n\n[p]\nrecipe = ./r.mjs\n', 'r.mjs': 'export default { name: "x" };\n' });
    const r2 = runCli([], { cwd: wrong });
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain(`Error: ${wrong}/r.mjs does not export a recipe as its default export: it has no install() function in part 'p'`);
    expect(r2.stderr).toContain('Hint: A recipe is an object with a `name`, an async `install(ctx)`');
    expect(r2.stderr).not.toMatch(STACK);

    const unknown = runCli([], { cwd: testdir({ 'buildout.cfg': '[buildout]\nexecutable = /usr/bin/python3\nparts = p\n\n[p]\nrecipe = collective.recipe.templat\n' }) });
    expect(unknown.stderr).toContain("Hint: Did you mean 'collective.recipe.template'?");
  });
});
