import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadBuildout } from './resolve.js';
import type { Assignment, Buildout, LoadOptions } from './types.js';
import { isBuildoutError, type BuildoutError } from '../errors.js';
import { ZC_BUILDOUT_VERSION } from './buildout-defaults.js';
import { parseAssignment } from '../cli/args.js';

// A fresh directory holding the given files, removed after the test.
function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bo-cfg-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

const EXE: Assignment = { section: 'buildout', option: 'executable', op: '=', value: '/usr/bin/python3' };

async function load(files: Record<string, string>, opts: Partial<LoadOptions> = {}): Promise<{ b: Buildout; root: string }> {
  const root = tree(files);
  const b = await loadBuildout({ cwd: root, userDefaults: false, env: { ...process.env, BUILDOUT_HOME: join(root, 'no-home') }, ...opts, assignments: [EXE, ...(opts.assignments ?? [])] });
  return { b, root };
}
async function section(files: Record<string, string>, name: string, opts: Partial<LoadOptions> = {}) {
  return (await load(files, opts)).b.section(name);
}
async function failure(files: Record<string, string>, run: (b: Buildout) => unknown = () => {}, opts: Partial<LoadOptions> = {}): Promise<BuildoutError> {
  try {
    run((await load(files, opts)).b);
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('expected a BuildoutError');
}
const a = (spec: string): Assignment => parseAssignment(spec);

describe('extends (spec §3.3)', () => {
  it('resolves names relative to the file that names them, several per line', async () => {
    const s = await section(
      {
        'buildout.cfg': '[buildout]\nextends = sub/a.cfg\n  b.cfg\nparts =\n[s]\nmain = 1\n',
        'sub/a.cfg': '[buildout]\nextends = ../c.cfg\n[s]\nfrom-a = 1\nx = a\n',
        'b.cfg': '[s]\nx = b\n',
        'c.cfg': '[s]\nx = c\nfrom-c = 1\n',
      },
      's',
    );
    expect(s).toEqual({ x: 'b', 'from-c': '1', 'from-a': '1', main: '1' });
  });

  it('a diamond re-applies the shared base and wipes += of files in between', async () => {
    const s = await section(
      {
        'buildout.cfg': '[buildout]\nextends = a.cfg b.cfg\nparts =\n',
        'base.cfg': '[s]\nx = 1\n',
        'a.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += a\n',
        'b.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += b\n',
      },
      's',
    );
    expect(s.x).toBe('1\nb');
  });

  it('extends and optional-extends are popped and never substituted', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nextends = ${x:y}.cfg\nparts =\n', '${x:y}.cfg': '[z]\nk = 1\n' });
    expect(b.buildout.extends).toBeUndefined();
    expect(b.section('z')).toEqual({ k: '1' });
  });

  it('optional-extends: skipped when missing (relative to the cwd), before the file itself', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\noptional-extends = local.cfg missing.cfg\nparts =\n[s]\nx = main\n', 'local.cfg': '[s]\nx = local\ny = local\n' });
    expect(b.section('s')).toEqual({ x: 'main', y: 'local' });
    expect(b.notices).toEqual(['optional-extends file not found: missing.cfg']);
  });

  it('+= in the first file does not extend the built-in defaults (each load is folded from empty)', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nparts =\nallow-hosts += example.org\n' });
    expect(b.buildout['allow-hosts']).toBe('example.org');
    const { b: b2 } = await load({ 'buildout.cfg': '[buildout]\nparts =\n' }, { assignments: [a('allow-hosts+=example.org')] });
    expect(b2.buildout['allow-hosts']).toBe('*\nexample.org');
  });

  it('recursive include is an error naming the chain', async () => {
    const e = await failure({ 'buildout.cfg': '[buildout]\nextends = a.cfg\n', 'a.cfg': '[buildout]\nextends = buildout.cfg\n' });
    expect(e.code).toBe('RecursiveInclude');
    expect(e.message).toMatch(/^Recursive file include: .*buildout\.cfg -> .*a\.cfg -> .*buildout\.cfg$/);
    expect(e.loc?.file).toMatch(/a\.cfg$/);
  });

  it('a missing extended file is a clear FileNotFound naming who extends it', async () => {
    const e = await failure({ 'buildout.cfg': '[buildout]\nparts =\nextends =\n  nope.cfg\n' });
    expect(e.code).toBe('FileNotFound');
    expect(e.message).toMatch(/nope\.cfg does not exist \(named in .*buildout\.cfg:3\)/);
  });

  it('a missing main file is FileNotFound', async () => {
    const e = await failure({}, () => {}, { configFile: 'other.cfg' });
    expect(e.code).toBe('FileNotFound');
    expect(e.message).toMatch(/Couldn't open .*other\.cfg/);
  });

  it('extended-by is refused', async () => {
    const e = await failure({ 'buildout.cfg': '[buildout]\nextended-by = x.cfg\n' });
    expect(e.message).toContain('extended-by');
  });

  it('lists the files read, once each', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nextends = a.cfg a.cfg\nparts =\n', 'a.cfg': '[s]\n' });
    expect(b.files).toEqual([join(root, 'buildout.cfg'), join(root, 'a.cfg')]);
    expect(b.configFile).toBe(join(root, 'buildout.cfg'));
  });
});

describe('user defaults (spec §3.2)', () => {
  const files = {
    'home/default.cfg': '[buildout]\nx = user\ny = user\n[user-only]\nk = 1\n',
    'buildout.cfg': '[buildout]\nparts =\nx = main\ny += main\n',
  };
  it('are merged under every config file', async () => {
    const root = tree(files);
    const b = await loadBuildout({ cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, 'home') }, assignments: [EXE] });
    expect(b.buildout.x).toBe('main');
    expect(b.buildout.y).toBe('user\nmain');
    expect(b.section('user-only')).toEqual({ k: '1' });
  });
  it('are skipped with userDefaults=false (-U)', async () => {
    const root = tree(files);
    const b = await loadBuildout({ cwd: root, userDefaults: false, env: { ...process.env, BUILDOUT_HOME: join(root, 'home') }, assignments: [EXE] });
    expect(b.hasSection('user-only')).toBe(false);
    // each top-level load is folded from empty: its first [buildout] is a new section
    expect(b.buildout.y).toBe('main');
  });
  it('go under the first file that extends nothing (before its optional-extends), and again under each command-line extends', async () => {
    const root = tree({
      'home/default.cfg': '[buildout]\nx = user\nz = user\n',
      'buildout.cfg': '[buildout]\nextends = leaf.cfg\nparts =\n',
      'leaf.cfg': '[buildout]\noptional-extends = opt.cfg\nx += leaf\n',
      'opt.cfg': '[buildout]\nz = opt\n',
      'cl.cfg': '[s]\nk = 1\n',
    });
    const env = { ...process.env, BUILDOUT_HOME: join(root, 'home') };
    const b = await loadBuildout({ cwd: root, env, assignments: [EXE] });
    expect(b.buildout.x).toBe('user\nleaf');
    expect(b.buildout.z).toBe('user'); // the leaf (with the user defaults under it) comes after opt.cfg
    const b2 = await loadBuildout({ cwd: root, env, assignments: [EXE, a('z=cl'), a('extends=cl.cfg')] });
    expect(b2.buildout.x).toBe('user'); // cl.cfg's leaf re-applies the user defaults
    expect(b2.buildout.z).toBe('cl');
  });
  it('default to ~/.buildout/default.cfg', async () => {
    const root = tree({ ...files, '.buildout/default.cfg': '[buildout]\nz = home\n' });
    const b = await loadBuildout({ cwd: root, env: { ...process.env, HOME: root, BUILDOUT_HOME: '' }, assignments: [EXE] });
    expect(b.buildout.z).toBe('home');
  });
});

describe('command-line assignments (spec §3.4-5, §8)', () => {
  const cfg = { 'buildout.cfg': '[buildout]\nparts =\nx = main\n[s]\nk = v\n', 'extra.cfg': '[buildout]\nx = extra\n[s]\nk = extra\n' };
  it('the greatest value wins after sorting', async () => {
    const { b } = await load(cfg, { assignments: [a('x=zebra'), a('x=apple')] });
    expect(b.buildout.x).toBe('zebra');
    const { b: b2 } = await load(cfg, { assignments: [a('newest=false'), a('newest=true')] });
    expect(b2.buildout.newest).toBe('true');
  });
  it('+= and -= apply to the merged value; new sections are created', async () => {
    const { b } = await load(cfg, { assignments: [a('s:k+=more'), a('x-=main'), a('new:o=1')] });
    expect(b.section('s').k).toBe('v\nmore');
    expect(b.buildout.x).toBe('');
    expect(b.section('new')).toEqual({ o: '1' });
  });
  it('buildout:extends loads files relative to the cwd after the main config', async () => {
    const { b } = await load(cfg, { assignments: [a('extends=extra.cfg')] });
    expect(b.buildout.x).toBe('extra');
    expect(b.section('s').k).toBe('extra');
  });
  it('command-line values are substituted and seen by references', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nparts =\n[s]\nk = ${buildout:x}/y\n' }, { assignments: [a('x=${buildout:directory}')] });
    expect(b.section('s').k).toBe(b.buildout.directory + '/y');
  });
  it('annotate says COMMAND_LINE_VALUE', async () => {
    const { b } = await load(cfg, { assignments: [a('x=cl')] });
    expect(b.annotated('buildout')!.x!.history.at(-1)!.loc.file).toBe('COMMAND_LINE_VALUE');
  });
});

describe('[buildout] defaults and directories (spec §6, §7)', () => {
  it('has every default, directory computed, standard directories absolute', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\n' });
    expect(b.buildout).toMatchObject({
      directory: root,
      'bin-directory': `${root}/bin`,
      'parts-directory': `${root}/parts`,
      'develop-eggs-directory': `${root}/develop-eggs`,
      'eggs-directory': `${root}/eggs/v5`,
      installed: `${root}/.installed.cfg`,
      'allow-hosts': '*',
      'allow-picked-versions': 'true',
      'log-level': 'INFO',
      newest: 'true',
      offline: 'false',
      'prefer-final': 'true',
      python: 'buildout',
      'socket-timeout': '',
      versions: 'versions',
      executable: '/usr/bin/python3',
    });
  });
  it('joins without normalising, absolute values win, ${} values are joined after substitution', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\nbin-directory = ../x\nparts-directory = /abs/parts\ndevelop-eggs-directory = ${buildout:parts-directory}/../de\n' });
    expect(b.buildout['bin-directory']).toBe(`${root}/../x`);
    expect(b.buildout['parts-directory']).toBe('/abs/parts');
    expect(b.buildout['develop-eggs-directory']).toBe('/abs/parts/../de');
  });
  it('relative directory = site gives site/site/bin while eggs are under <cwd>/site', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\ndirectory = site\n' });
    expect(b.buildout['bin-directory']).toBe('site/site/bin');
    expect(b.buildout['eggs-directory']).toBe(`${root}/site/eggs/v5`);
    expect(b.buildout.installed).toBe('site/.installed.cfg');
  });
  it('eggs-directory and download-cache are relative to the file that set them; ~ is expanded', async () => {
    const { b, root } = await load(
      { 'buildout.cfg': '[buildout]\nextends = conf/base.cfg\nparts =\n', 'conf/base.cfg': '[buildout]\neggs-directory = eggs\ndownload-cache = ../dl\nextends-cache = ~/ext\n' },
      { env: { ...process.env, HOME: '/home/u' } },
    );
    expect(b.buildout['eggs-directory']).toBe(`${root}/conf/eggs/v5`);
    expect(b.buildout['download-cache']).toBe(`${root}/dl`);
    expect(b.buildout['extends-cache']).toBe('/home/u/ext');
  });
  it('eggs-directory-version can be changed or disabled; installed can be emptied', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\neggs-directory-version =\ninstalled =\n' });
    expect(b.buildout['eggs-directory']).toBe(`${root}/eggs`);
    expect(b.buildout.installed).toBe('');
  });
  it.each(['maybe', 'True'])('booleans must be exactly true/false (%s)', async (v) => {
    const e = await failure({ 'buildout.cfg': `[buildout]\nparts =\nnewest = ${v}\n` });
    expect(e.message).toBe(`Invalid value for 'newest' option: '${v}'`);
    expect(e.loc?.line).toBe(3);
  });
  it('newest is not checked when offline (as zc.buildout short-circuits it)', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nparts =\noffline = true\nnewest = maybe\n' });
    expect(b.buildout.newest).toBe('maybe');
  });
  it('abi-tag-eggs = true appends the interpreter ABI tag', async () => {
    const { b, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\nabi-tag-eggs = true\n' });
    expect(b.buildout['eggs-directory']).toMatch(new RegExp(`^${root}/eggs/v5/cp3\\d+$`));
  });
  it('log-level must be a level name or a number', async () => {
    expect((await failure({ 'buildout.cfg': '[buildout]\nparts =\nlog-level = LOUD\n' })).message).toBe('Invalid logging level LOUD');
    expect((await load({ 'buildout.cfg': '[buildout]\nparts =\nlog-level = 5\n' })).b.buildout['log-level']).toBe('5');
  });
  it('a non-numeric socket-timeout is only a warning', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nparts =\nsocket-timeout = soon\n' });
    expect((b as unknown as { warnings: string[] }).warnings.join()).toContain('not numeric');
  });
});

describe('[versions] defaults (spec §3.6)', () => {
  it('adds minimum pins for zc.buildout and zc.recipe.egg', async () => {
    const s = await section({ 'buildout.cfg': '[buildout]\nparts =\n' }, 'versions');
    expect(s).toEqual({ 'zc.buildout': '>=' + ZC_BUILDOUT_VERSION, 'zc.recipe.egg': '>=2.0.6' });
  });
  it('keeps existing pins and follows buildout:versions', async () => {
    const s = await section({ 'buildout.cfg': '[buildout]\nparts =\nversions = pins\n[pins]\nzc.recipe.egg = 3.0\n' }, 'pins');
    expect(s).toEqual({ 'zc.recipe.egg': '3.0', 'zc.buildout': '>=' + ZC_BUILDOUT_VERSION });
  });
  it('versions = disables them', async () => {
    const { b } = await load({ 'buildout.cfg': '[buildout]\nparts =\nversions =\n' });
    expect(b.hasSection('versions')).toBe(false);
  });
});

describe('extends by URL', () => {
  it('downloads, resolves relative names against the URL, caches in extends-cache and reads the cache offline', async () => {
    const { createServer } = await import('node:http');
    const files: Record<string, string> = { '/cfg/versions.cfg': '[buildout]\nextends = more.cfg\n[versions]\nA = 1\n', '/cfg/more.cfg': '[versions]\nB = 2\n' };
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      const body = files[req.url ?? ''];
      res.writeHead(body ? 200 : 404).end(body ?? 'nope');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => void server.close());
    const port = (server.address() as { port: number }).port;
    const cfg = { 'buildout.cfg': `[buildout]\nextends-cache = cache\nextends = http://127.0.0.1:${port}/cfg/versions.cfg\nparts =\n` };
    const { b, root } = await load(cfg);
    expect(b.section('versions')).toMatchObject({ A: '1', B: '2' });
    expect(hits).toBe(2);
    const offline = await loadBuildout({ cwd: root, userDefaults: false, assignments: [EXE, a('offline=true')] });
    expect(offline.section('versions')).toMatchObject({ A: '1', B: '2' });
    expect(hits).toBe(2);
    const e = await failure({ 'buildout.cfg': `[buildout]\nextends = http://127.0.0.1:${port}/cfg/missing.cfg\n` });
    expect(e.message).toContain('HTTP 404');
  });
});
