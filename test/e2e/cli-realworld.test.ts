// Real-world configurations (../shared/realworld-configs, ../shared/perf-fixtures) resolved
// by the real CLI with annotate --json: none may fail, and known facts must come out.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';

const SHARED = join(PROJECT_ROOT, '..', 'shared');
const REALWORLD = join(SHARED, 'realworld-configs');
const PERF = join(SHARED, 'perf-fixtures', 'plone-coredev-6.1');

type Sections = Record<string, Record<string, string>>;

function resolve(dir: string, cfg: string): Sections {
  const r = runCli(['-U', '-c', cfg, 'annotate', '--json'], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(`annotate --json failed in ${dir} (${r.exitCode}):\n${r.stderr}${r.stdout}`);
  return (JSON.parse(r.stdout) as { sections: Sections }).sections;
}

/** Folder → main cfg, from the README of the corpus. */
function cases(): Array<[string, string]> {
  if (!existsSync(join(REALWORLD, 'README.md'))) return [];
  const readme = readFileSync(join(REALWORLD, 'README.md'), 'utf8');
  return [...readme.matchAll(/^## (\S+)\n\nMain cfg: `([^`]+)`/gm)].map((m) => [m[1]!, m[2]!]);
}

describe.skipIf(!existsSync(REALWORLD))('real-world configurations', () => {
  const all = cases();
  it('the corpus is there', () => {
    expect(all.length).toBeGreaterThanOrEqual(26);
    expect(readdirSync(REALWORLD).filter((d) => /^\d\d-/.test(d)).length).toBe(all.length);
  });

  it.each(all)('%s (%s) resolves; every part has a section with a recipe', (dir, cfg) => {
    const root = join(REALWORLD, dir);
    const s = resolve(root, cfg);
    expect(s.buildout!.directory).toBe(root);
    expect(s.buildout!['bin-directory']).toBe(join(root, 'bin'));
    for (const part of (s.buildout!.parts ?? '').split(/\s+/).filter(Boolean)) expect(s[part]?.recipe, `${dir}: part ${part}`).toBeTruthy();
    for (const sec of Object.values(s)) for (const v of Object.values(sec)) expect(v).not.toMatch(/\$\{[^}]*:[^}]*\}/);
  });

  it('Plone 5.2 core development: pins from the extended versions files', () => {
    const s = resolve(join(REALWORLD, '16-plone-buildout.coredev'), 'buildout.cfg');
    expect(s.versions!.Plone).toBe('5.2.15');
    expect(s.versions!['Products.CMFPlone']).toBe('5.2.15');
    expect(s.versions!.Zope).toBe('4.8.10');
    expect(s.versions!['zc.recipe.egg']).toBeTruthy();
  });

  it('zc.buildout itself: [versions:python_version >= "3.13"] follows the interpreter', () => {
    const s = resolve(join(REALWORLD, '09-buildout-buildout'), 'buildout.cfg');
    const text = readFileSync(join(REALWORLD, '09-buildout-buildout', 'buildout.cfg'), 'utf8');
    expect(text).toContain('[versions:python_version >= "3.13"]');
    expect(s.versions).toBeDefined();
  });
});

describe.skipIf(!existsSync(PERF))('Plone 6.1 core development (perf fixture)', () => {
  it('resolves with the parts, pins and references of the files', () => {
    const s = resolve(PERF, 'buildout.cfg');
    expect(s.buildout!.parts!.split(/\s+/)).toEqual(
      expect.arrayContaining(['instance', 'test', 'instance-cmfplone', 'robot', 'zopescripts', 'zopepy', 'packages', 'releaser', 'vscode']),
    );
    expect(s.instance!.recipe).toBe('plone.recipe.zope2instance');
    expect(s.instance!.eggs!.split('\n')).toEqual(expect.arrayContaining(['Plone', 'zodbverify', 'pdbpp']));
    expect(s['instance-cmfplone']!.user).toBe(s.buildout!['plone-user']);
    expect(s.versions!['Products.CMFPlone']).toBe('6.1.0a5');
    expect(s.versions!.Zope).toBe('5.11');
    expect(s.buildout!.extends).toBeUndefined();
  });
});
