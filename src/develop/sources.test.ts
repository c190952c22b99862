// [sources] lines and the develop list, as mr.developer reads and makes them.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { isBuildoutError } from '../errors.js';
import { parseSources, safeName } from './sources.js';
import { readSettings } from './settings.js';
import { autoCheckoutSet, developInfo } from './develop-info.js';
import { parseRewrite, legacyRewrite, applyRewrite } from './rewrites.js';
import type { DevelopState } from './state.js';

const settings = (extra: Record<string, string> = {}) => readSettings({ directory: '/b', ...extra });
const one = (line: string, extra: Record<string, string> = {}) => parseSources({ pkg: line }, settings(extra)).get('pkg')!;

function error(fn: () => unknown): { message: string; option?: string; section?: string } {
  try {
    fn();
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('[sources] lines', () => {
  it('kind, url, options; the checkout goes to sources-dir/name', () => {
    expect(one('git https://h/pkg.git branch=dev pushurl=git@h:pkg.git')).toEqual({ name: 'pkg', kind: 'git', url: 'https://h/pkg.git', path: '/b/src/pkg', options: { branch: 'dev', pushurl: 'git@h:pkg.git' }, egg: true });
    expect(one('git u', { 'sources-dir': 'develop' }).path).toBe('/b/develop/pkg');
    expect(one('git u', { 'sources-dir': '/abs' }).path).toBe('/abs/pkg');
  });
  it('path= is a base directory, full-path= the directory itself, a third word a legacy path', () => {
    expect(one('git u path=extra').path).toBe('/b/extra/pkg');
    expect(one('git u path=/x').path).toBe('/x/pkg');
    expect(one('git u full-path=somewhere/else').path).toBe('/b/somewhere/else');
    expect(one('git u legacy rev=1.0')).toMatchObject({ path: '/b/legacy/pkg', options: { rev: '1.0' } });
  });
  it('egg=false, depth, git-clone-depth', () => {
    expect(one('git u egg=false').egg).toBe(false);
    expect(one('git u egg=no').egg).toBe(false);
    expect(one('git u egg=maybe').egg).toBe(true);
    expect(one('git u', { 'git-clone-depth': '1' }).options.depth).toBe('1');
    expect(one('git u depth=3', { 'git-clone-depth': '1' }).options.depth).toBe('3');
  });
  it("mr.developer's messages for bad lines, naming the option", () => {
    expect(error(() => one('git'))).toMatchObject({ message: "The source definition of 'pkg' needs at least the repository kind and URL.", section: 'sources', option: 'pkg' });
    expect(error(() => one('cvsx u')).message).toBe("Unknown repository type 'cvsx' for source 'pkg'.");
    expect(error(() => one('git u depth=x')).message).toBe('depth value needs to be a number.');
  });
  it('a later option wins (mr.developer ≥ 2.1)', () => {
    expect(one('git u branch=a branch=b').options.branch).toBe('b');
  });
  it('safe names', () => {
    expect(safeName('my_pkg.sub')).toBe('my-pkg.sub');
  });
});

describe('settings', () => {
  it('always-checkout, update-git-submodules, threads', () => {
    expect(settings({ 'always-checkout': 'force' }).alwaysCheckout).toBe('force');
    expect(settings({ 'always-checkout': 'yes' }).alwaysCheckout).toBe(true);
    expect(error(() => settings({ 'always-checkout': 'sometimes' }))).toMatchObject({ message: "Unknown value 'sometimes' for always-checkout option.", option: 'always-checkout' });
    expect(error(() => settings({ 'update-git-submodules': 'often' })).option).toBe('update-git-submodules');
    expect(error(() => settings({ 'git-clone-depth': 'deep' })).message).toBe("git-clone-depth needs to be a number (got 'deep').");
    expect(settings({ 'mr.developer-threads': '2' }).threads).toBe(2);
  });
});

describe('rewrites', () => {
  it('conditions then substitutions, with Python group references', () => {
    const fields = { kind: 'git', url: 'https://github.com/fschulze/mr.developer.git' };
    applyRewrite(parseRewrite('url ~= fschulze/mr.developer.git\nurl ~ fschulze(/mr.developer.git)\nme\\1\nkind = git', 'x'), fields);
    expect(fields.url).toBe('https://github.com/me/mr.developer.git');
    const other = { kind: 'hg', url: 'https://github.com/a' };
    applyRewrite(parseRewrite('url ~ ^https://github.com/\ngit@github.com:\nkind = git', 'x'), other);
    expect(other.url).toBe('https://github.com/a');
    const legacy = { url: 'http://svn.plone.org/svn/x' };
    applyRewrite(legacyRewrite('http://svn.plone.org/svn/', 'https://svn.plone.org/svn/', 'x'), legacy);
    expect(legacy.url).toBe('https://svn.plone.org/svn/x');
  });
  it('rewrites apply to sources', () => {
    const s = parseSources({ pkg: 'git https://github.com/p/pkg.git' }, settings(), [parseRewrite('url ~ ^https://github.com/\ngit@github.com:', 'x')]);
    expect(s.get('pkg')!.url).toBe('git@github.com:p/pkg.git');
  });
});

describe('the develop list', () => {
  function tmp(): string {
    const d = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-devinfo-')));
    onTestFinished(() => rmSync(d, { recursive: true, force: true }));
    return d;
  }
  const state = (develop: [string, true | false | 'auto'][] = []): DevelopState => ({ file: '', develop: new Map(develop), buildoutArgs: [], threads: 5, rewrites: [], ini: new Map(), text: '', legacyRewrites: [], warnings: [] });

  it('checked-out auto-checkout sources (state auto) and activated ones (true); not the others', () => {
    const dir = tmp();
    for (const n of ['a', 'b', 'c', 'd']) mkdirSync(join(dir, 'src', n), { recursive: true });
    const st = settings({ directory: dir, develop: 'local/x', 'auto-checkout': 'a' });
    const sources = parseSources({ a: 'git u', b: 'git u', c: 'git u egg=false', d: 'git u', e: 'git u' }, st);
    const s = state([['b', true], ['d', false]]);
    const info = developInfo(st, sources, autoCheckoutSet(st, sources), s);
    expect(info.develop).toEqual(['local/x', 'src/a', 'src/b']);
    expect(info.unpinned).toEqual(['a', 'b']);
    expect([...s.develop]).toEqual([['b', true], ['d', false], ['a', 'auto']]);
  });
  it('an auto state without auto-checkout is dropped; * takes every source; unknown names fail', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'src', 'a'), { recursive: true });
    const st = settings({ directory: dir });
    const sources = parseSources({ a: 'git u' }, st);
    const s = state([['a', 'auto']]);
    expect(developInfo(st, sources, autoCheckoutSet(st, sources), s).develop).toEqual([]);
    expect(s.develop.has('a')).toBe(false);
    expect([...autoCheckoutSet(settings({ 'auto-checkout': '*' }), sources)]).toEqual(['a']);
    expect(error(() => autoCheckoutSet(settings({ 'auto-checkout': 'x a y' }), sources))).toMatchObject({ message: "The packages 'x' and 'y' from auto-checkout have no source information.", option: 'auto-checkout' });
  });
});
