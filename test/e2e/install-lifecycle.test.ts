// The install lifecycle through the real CLI (bin/buildout, built) with the
// buildout-ts:mkdir recipe: no-op re-runs, changed options, removed parts,
// `install PART`, --json, and the errors of a wrong configuration.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;

function cfg(body: string): string {
  return `[buildout]\nexecutable = /usr/bin/python3\n${body}`;
}

const TWO_PARTS = cfg(['parts = data logs', '', '[data]', 'recipe = buildout-ts:mkdir', 'paths = var/data', '', '[logs]', 'recipe = buildout-ts:mkdir', 'paths = var/log ${data:location}-logs', ''].join('\n'));

function install(root: string, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(args, { cwd: root, env });
}

describe('install lifecycle', () => {
  it('installs the parts, records them, and a second run is a no-op', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    const first = install(root);
    expect(first.stderr).not.toMatch(STACK);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(/^data: installed in \d+\.\d\ds$/m);
    expect(first.stderr).toMatch(/^logs: installed in \d+\.\d\ds$/m);
    for (const d of ['var/data', 'var/log', 'parts/data-logs', 'bin', 'parts', 'develop-eggs']) expect(statSync(join(root, d)).isDirectory()).toBe(true);
    const recorded = readFileSync(join(root, '.installed.cfg'), 'utf8');
    expect(recorded.split('\n')).toEqual(
      [
        '[buildout]',
        expect.stringMatching(/^__buildout_ts_env__ = [0-9a-f]{16}$/),
        'installed_develop_eggs = ',
        'parts = data logs',
        '',
        '[data]',
        '__buildout_installed__ = var/data',
        `__buildout_signature__ = buildout-ts-${version()}`,
        `location = ${root}/parts/data`,
        'paths = var/data',
        'recipe = buildout-ts:mkdir',
        '',
        '[logs]',
        '__buildout_installed__ = var/log',
        '\tparts/data-logs',
        `__buildout_signature__ = buildout-ts-${version()}`,
        `location = ${root}/parts/logs`,
        `paths = var/log ${root}/parts/data-logs`,
        'recipe = buildout-ts:mkdir',
        '',
      ],
    );

    // something a user put into a part's directory must survive a no-op run
    writeFileSync(join(root, 'var/data/keep.txt'), 'mine');
    const mtime = statSync(join(root, '.installed.cfg')).mtimeMs;
    const second = install(root);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toBe('data: unchanged\nlogs: unchanged\n');
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(recorded);
    expect(statSync(join(root, '.installed.cfg')).mtimeMs).toBe(mtime);
    expect(readFileSync(join(root, 'var/data/keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, '.buildout/lock'))).toBe(false);
  });

  it('a no-op run imports no recipe module, zod, handlebars or execa, and starts no process', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    expect(install(root).exitCode).toBe(0);
    const trace = join(root, 'trace.txt');
    const r = install(root, [], { NODE_OPTIONS: `--import=${join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs')}`, TRACE_FILE: trace });
    expect(r.exitCode).toBe(0);
    const lines = readFileSync(trace, 'utf8').split('\n');
    expect(lines.some((l) => l.endsWith('/cli/commands/install.js'))).toBe(true); // the trace works
    expect(lines.filter((l) => /node_modules\/(zod|handlebars|execa)\/|\/recipes\/[^/]+\/index\.js$|\/install\/(execute|repair|confirm)\.js$|\/install\/(plan|preview)\//.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('spawn:'))).toEqual([]);
  });

  it('changing one option reinstalls only that part', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    expect(install(root).exitCode).toBe(0);
    writeFileSync(join(root, 'var/data/keep.txt'), 'mine');
    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('paths = var/log ', 'paths = var/logs '));
    const r = install(root);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^data: unchanged\n(logs: Creating directory .*\n)+logs: installed in \d+\.\d\ds \(options changed: paths\)\n$/);
    expect(existsSync(join(root, 'var/log'))).toBe(false);
    expect(existsSync(join(root, 'var/logs'))).toBe(true);
    expect(readFileSync(join(root, 'var/data/keep.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toContain('[logs]\n__buildout_installed__ = var/logs\n\tparts/data-logs\n');
  });

  it('removing a part uninstalls its files; removing all parts removes .installed.cfg', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    expect(install(root).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('parts = data logs', 'parts = data'));
    const r = install(root);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^logs: uninstalled in \d+\.\d\ds \(not in the configuration any more\)\ndata: unchanged\n$/);
    expect(existsSync(join(root, 'var/log'))).toBe(false);
    expect(existsSync(join(root, 'parts/data-logs'))).toBe(false);
    expect(existsSync(join(root, 'var/data'))).toBe(true);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^\[buildout\]\n__buildout_ts_env__ = \w+\ninstalled_develop_eggs = \nparts = data\n\n\[data\]\n/);

    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('parts = data logs', 'parts ='));
    expect(install(root).exitCode).toBe(0);
    expect(existsSync(join(root, 'var/data'))).toBe(false);
    expect(existsSync(join(root, 'var'))).toBe(true); // a parent made on the way is not the part's
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
  });

  it('reinstalls a part whose recorded files were removed', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    expect(install(root).exitCode).toBe(0);
    rmSync(join(root, 'var'), { recursive: true });
    const r = install(root);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^data: installed in .*\(files missing: .*\/var\/data\)$/m);
    expect(r.stderr).toMatch(/^logs: installed in .*\(files missing: .*\/var\/log\)$/m);
    expect(statSync(join(root, 'var/data')).isDirectory()).toBe(true);
  });

  it('install PART installs exactly that part and uninstalls nothing else', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    const r = install(root, ['install', 'logs']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^logs: installed/m);
    expect(r.stderr).not.toMatch(/^data:/m);
    expect(existsSync(join(root, 'var/data'))).toBe(false);
    expect(existsSync(join(root, 'var/log'))).toBe(true);

    expect(install(root).exitCode).toBe(0); // now both
    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('paths = var/data', 'paths = var/data2').replace('parts = data logs', 'parts = logs'));
    const again = install(root, ['install', 'logs']);
    expect(again.stderr).toBe('logs: unchanged\n');
    expect(existsSync(join(root, 'var/data'))).toBe(true); // `data` is not in parts any more, but was not named
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = data logs$/m);
  });

  it('--json prints one summary object on stdout', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    expect(install(root).exitCode).toBe(0);
    // `logs` references ${data:location}, so `data` stays in the install list (zc.buildout's rule)
    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('parts = data logs', 'parts = logs').replace('paths = var/log ', 'paths = var/l2 ') + '\n[old]\nrecipe = buildout-ts:mkdir\npaths = old\n');
    const r = install(root, ['install', '--json']);
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toEqual({
      parts: [
        { name: 'data', action: 'unchanged', seconds: 0 },
        { name: 'logs', action: 'installed', seconds: expect.any(Number) },
      ],
      uninstalled: ['logs'],
      seconds: expect.any(Number),
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--json reports an error as {"error": ...}', () => {
    const root = testdir({ 'buildout.cfg': cfg('parts = x\n\n[x]\nrecipe = nope.recipe\n') });
    const r = install(root, ['install', '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ type: 'UnknownRecipe', section: 'x', option: 'recipe', line: 6 });
  });

  it('warns about options the recipe does not use, in zc.buildout words', () => {
    const root = testdir({ 'buildout.cfg': cfg('parts = d\n\n[d]\nrecipe = buildout-ts:mkdir\npaths = x\npath = y\n') });
    const r = install(root);
    expect(r.stderr).not.toContain('Error');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("Warning: Section `d` contains unused option(s): 'path'.\nThis may be an indication for either a typo in the option's name or a bug in the used recipe.\n");
  });
});

describe('install verbosity', () => {
  it('-q hides the part lines, -v adds what is being done and why', () => {
    const root = testdir({ 'buildout.cfg': TWO_PARTS });
    const quiet = install(root, ['-q']);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).toBe('');
    writeFileSync(join(root, 'buildout.cfg'), TWO_PARTS.replace('paths = var/data', 'paths = var/data2'));
    const verbose = install(root, ['-v']);
    expect(verbose.exitCode).toBe(0);
    expect(verbose.stderr).toMatch(/^data: uninstalled \(options changed: paths\)\nInstalling data\.\ndata: Creating directory var\/data2\ndata: installed in \d+\.\d\ds \(options changed: paths\)\nlogs: unchanged\n$/);
  });
});

describe('install errors', () => {
  it('an unknown recipe names the part, file:line and suggests the built-in one', () => {
    const root = testdir({ 'buildout.cfg': cfg('parts = instance\n\n[instance]\nrecipe = plone.recipe.zope2instanc\n') });
    const r = install(root);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Unknown recipe 'plone.recipe.zope2instanc' in part 'instance'");
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:6 [instance] recipe`);
    expect(r.stderr).toContain("Hint: Did you mean 'plone.recipe.zope2instance'? Built-in recipes: zc.recipe.egg,");
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
  });

  it('buildout:parts missing', () => {
    const r = install(testdir({ 'buildout.cfg': cfg('') }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: Missing option: buildout:parts');
  });

  it('a part without a section, and a part without a recipe', () => {
    const noSection = install(testdir({ 'buildout.cfg': cfg('parts = ghost\n') }));
    expect(noSection.exitCode).toBe(1);
    expect(noSection.stderr).toContain("Error: The part 'ghost' has no section: there is no [ghost] in the configuration.");
    const misspelt = install(testdir({ 'buildout.cfg': cfg('parts = instnce\n\n[instance]\nrecipe = buildout-ts:mkdir\npaths = x\n') }));
    expect(misspelt.exitCode).toBe(1);
    expect(misspelt.stderr).toContain("Hint: Did you mean the section 'instance'?");
    const noRecipe = install(testdir({ 'buildout.cfg': cfg('parts = plain\n\n[plain]\nx = 1\n') }));
    expect(noRecipe.exitCode).toBe(1);
    expect(noRecipe.stderr).toContain('Error: Missing option: plain:recipe');
    expect(noRecipe.stderr).not.toMatch(STACK);
  });

  it('an invalid option value names the part and the option', () => {
    const r = install(testdir({ 'buildout.cfg': cfg('parts = d\n\n[d]\nrecipe = buildout-ts:mkdir\npaths =\n') }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Invalid options for part 'd' (recipe buildout-ts:mkdir):\n  [d] paths: lists no directory");
    expect(r.stderr).not.toMatch(STACK);
  });
});

function version(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

