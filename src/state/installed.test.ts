import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyState, readInstalled, recordedPath, saveInstalled, stateFromText, stateToText } from './installed.js';
import { removeStaleTemps, writeFileAtomic } from './atomic-write.js';

// Written by zc.buildout's own quoting (see test/fixtures/install/): two parts, develop
// eggs, multi-line values, leading blanks, and a [buildout] appended by _update_installed.
const ZC_SAMPLE = readFileSync(new URL('../../test/fixtures/install/zc-buildout-installed.cfg', import.meta.url), 'utf8');

describe('taking over a .installed.cfg written by zc.buildout', () => {
  const state = stateFromText(ZC_SAMPLE, '/srv/plone/.installed.cfg', '/srv/plone');

  it('reads parts in install order with their recorded files', () => {
    expect(state.order).toEqual(['instance', 'zopepy']);
    expect(state.parts.get('instance')!.files).toEqual(['/srv/plone/parts/instance', '/srv/plone/bin/instance']);
    expect(state.parts.get('zopepy')!.files).toEqual(['/srv/plone/bin/zopepy']);
    expect(state.buildout.installed_develop_eggs).toBe('/srv/plone/develop-eggs/my.policy.egg-link');
  });

  it('unquotes multi-line and blank-edged values exactly', () => {
    const inst = state.parts.get('instance')!.options;
    expect(inst.eggs).toBe('Plone\nPillow\nmy.policy');
    expect(inst['zcml-additional']).toBe('<configure xmlns="http://namespaces.zope.org/zope">\n  <include package="my.policy" />\n</configure>');
    expect(inst.scripts).toBe('');
    expect(inst.__buildout_installed__).toBeUndefined();
    expect(inst.__buildout_signature__).toMatch(/^plone\.recipe\.zope2instance-6\.12\.2-py3\.11\.egg /);
    expect(state.parts.get('zopepy')!.options.initialization).toBe('\nimport os\n  os.environ["X"] = "1 "\n');
  });

  it('writes it back with the same options, paths now relative to the buildout directory', () => {
    const again = stateFromText(stateToText(state, '/srv/plone'), 'f', '/srv/plone');
    expect(again).toEqual(state);
    expect(stateToText(state, '/srv/plone')).toContain('__buildout_installed__ = parts/instance\n\tbin/instance\n');
  });
});

describe('recordedPath', () => {
  it.each([
    ['/b/parts/x', 'parts/x'],
    ['/b', '/b'],
    ['/elsewhere/x', '/elsewhere/x'],
    ['/b2/x', '/b2/x'],
    ['/b/../c', '/b/../c'],
  ])('%s -> %s', (p, rec) => expect(recordedPath(p, '/b')).toBe(rec));
});

describe('saveInstalled', () => {
  it('writes, leaves an unchanged file alone, and removes the file when nothing is installed', () => {
    const dir = testdir();
    const file = join(dir, '.installed.cfg');
    const state = emptyState();
    state.order.push('a');
    state.parts.set('a', { options: { recipe: 'r', __buildout_signature__: 's' }, files: [join(dir, 'parts/a')] });
    expect(saveInstalled(file, state, dir)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('[buildout]\ninstalled_develop_eggs = \nparts = a\n\n[a]\n__buildout_installed__ = parts/a\n__buildout_signature__ = s\nrecipe = r\n');
    expect(saveInstalled(file, state, dir)).toBe(false);
    expect(readInstalled(file, dir)).toEqual(state);
    expect(saveInstalled(file, emptyState(), dir)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(readInstalled(file, dir)).toEqual(emptyState());
  });

  it('keeps the file while develop eggs are recorded (as zc.buildout does)', () => {
    const dir = testdir();
    const file = join(dir, '.installed.cfg');
    const state = emptyState();
    state.buildout.installed_develop_eggs = '/x/develop-eggs/a.egg-link';
    saveInstalled(file, state, dir);
    expect(readFileSync(file, 'utf8')).toBe('[buildout]\ninstalled_develop_eggs = /x/develop-eggs/a.egg-link\nparts = \n');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file', () => {
    const dir = testdir({ 'f.cfg': 'old' });
    writeFileAtomic(join(dir, 'f.cfg'), 'new');
    expect(readFileSync(join(dir, 'f.cfg'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['f.cfg']);
  });

  it('keeps the old content when writing fails', () => {
    const dir = testdir({ 'f.cfg': 'old' });
    // the temp file's name is taken by a directory: the write fails before the rename
    const blocker = join(dir, `f.cfg.tmp-${process.pid}`);
    mkdirSync(blocker);
    expect(() => writeFileAtomic(join(dir, 'f.cfg'), 'new')).toThrowError(/Could not write .*f\.cfg/);
    expect(readFileSync(join(dir, 'f.cfg'), 'utf8')).toBe('old');
  });

  it('removeStaleTemps removes only temp files of that file', () => {
    const dir = testdir({ '.installed.cfg': 'x', '.installed.cfg.tmp-123': 'half', '.installed.cfg.tmp-abc': 'keep', 'other.tmp-1': 'keep' });
    expect(removeStaleTemps(join(dir, '.installed.cfg'))).toEqual([join(dir, '.installed.cfg.tmp-123')]);
    expect(readdirSync(dir).sort()).toEqual(['.installed.cfg', '.installed.cfg.tmp-abc', 'other.tmp-1']);
  });
});

// A temp directory removed when the test ends (test/helpers is outside the compiler's rootDir).
function testdir(files: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-state-')));
  for (const [rel, content] of Object.entries(files)) writeFileSync(join(root, rel), content);
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
