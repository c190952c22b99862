// The real CLI (bin/buildout, built) on real config files: annotate and query.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir, transformPaths } from '../helpers/testdir.js';

const CFG = {
  'buildout.cfg': [
    '[buildout]',
    'extends = base.cfg',
    'parts = app',
    'executable = /usr/bin/python3',
    'name = demo',
    '',
    '[app]',
    '<= template',
    'eggs += extra',
    'path = ${buildout:directory}/var/${:_buildout_section_name_}',
    '',
  ].join('\n'),
  'base.cfg': ['[template]', 'recipe = plone.recipe.zope2instance', 'eggs =', '    Plone', 'title = ${buildout:name}', '', '[app]', 'eggs += base-extra', ''].join('\n'),
};

describe('buildout annotate --json', () => {
  it('prints one JSON object with every section fully resolved', () => {
    const root = testdir(CFG);
    const r = runCli(['annotate', '--json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const { sections } = JSON.parse(r.stdout) as { sections: Record<string, Record<string, string>> };
    expect(Object.keys(sections)).toEqual(['buildout', 'template', 'app', 'versions']);
    expect(sections.app).toMatchObject({ recipe: 'plone.recipe.zope2instance', eggs: 'base-extra\nextra', title: 'demo', path: `${root}/var/app` });
    // the options the recipe computes, as install sees them
    expect(sections.app).toMatchObject({ location: join(root, 'parts', 'app'), 'zope-conf': join(root, 'parts', 'app', 'etc', 'zope.conf') });
    // every section with a recipe resolves as it would if a part referred to it
    expect(sections.template!.location).toBe(join(root, 'parts', 'template'));
    expect(sections.buildout).toMatchObject({ directory: root, 'bin-directory': join(root, 'bin'), parts: 'app', name: 'demo', executable: '/usr/bin/python3' });
    expect(sections.buildout!.extends).toBeUndefined();
    expect(sections.versions).toMatchObject({ 'zc.recipe.egg': '>=2.0.6' });
  });

  it('honours -c, assignments and flags', () => {
    const root = testdir({ 'other.cfg': CFG['buildout.cfg'], 'base.cfg': CFG['base.cfg'] });
    const r = runCli(['-c', 'other.cfg', '-N', 'app:title=cl', 'name=zebra', 'name=apple', 'annotate', '--json'], { cwd: root });
    expect(r.exitCode).toBe(0);
    const { sections } = JSON.parse(r.stdout);
    expect(sections.buildout.newest).toBe('false');
    expect(sections.buildout.name).toBe('zebra');
    expect(sections.app.title).toBe('cl');
  });

  it('prints an error object and exits non-zero on failure', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nparts =\nexecutable = /usr/bin/python3\n[s]\nx = ${nosuch:y}\n' });
    const r = runCli(['annotate', '--json'], { cwd: root });
    expect(r.exitCode).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.type).toBe('MissingSection');
    expect(error.message).toBe("The referenced section, 'nosuch', was not defined.");
    expect(error.file).toBe(join(root, 'buildout.cfg'));
    expect(error.line).toBe(5);
    expect(r.stderr).not.toMatch(/\.js:\d+:\d+/);
  });
});

describe('buildout annotate (human)', () => {
  it('shows raw values with file:line and the +=/-= history', () => {
    const root = testdir(CFG);
    const r = runCli(['annotate', 'app'], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(transformPaths(r.stdout, root)).toMatchInlineSnapshot(`
      "
      Annotated sections
      ==================

      [app]
      <= template
          buildout.cfg:8
      eggs=
          base-extra
          extra
      += base.cfg:8  (base-extra)
      += buildout.cfg:9  (extra)
      path= \${buildout:directory}/var/\${:_buildout_section_name_}
          buildout.cfg:10
      "
    `);
  });

  it('--interpolated shows substituted values', () => {
    const root = testdir(CFG);
    const r = runCli(['annotate', '--interpolated', 'app'], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`path= ${root}/var/app\n    buildout.cfg:10`);
  });

  it('rejects an unknown section with a hint', () => {
    const root = testdir(CFG);
    const r = runCli(['annotate', 'ap'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Section not found: ap');
    expect(r.stderr).toContain("Did you mean the section 'app'?");
  });
});

describe('buildout query', () => {
  it('prints one resolved value; the section defaults to buildout', () => {
    const root = testdir(CFG);
    expect(runCli(['query', 'app:title'], { cwd: root }).stdout).toBe('demo\n');
    expect(runCli(['query', 'bin-directory'], { cwd: root }).stdout).toBe(join(root, 'bin') + '\n');
    expect(runCli(['query', 'app:eggs'], { cwd: root }).stdout).toBe('base-extra\nextra\n');
    expect(runCli(['query', '--raw', 'app:path'], { cwd: root }).stdout).toBe('${buildout:directory}/var/${:_buildout_section_name_}\n');
    expect(runCli(['-v', 'query', 'app:title'], { cwd: root }).stdout).toBe('${app:title}\ndemo\n');
  });
  it('missing section or option: clear error, exit 1', () => {
    const root = testdir(CFG);
    const r1 = runCli(['query', 'app:titel'], { cwd: root });
    expect(r1.exitCode).toBe(1);
    expect(r1.stderr).toContain('Key not found: titel');
    expect(r1.stderr).toContain("'title'");
    const r2 = runCli(['query', 'nope:x'], { cwd: root });
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain('Section not found: nope');
    const r3 = runCli(['query'], { cwd: root });
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toContain('requires a single argument');
  });
});
