// `buildout check`: the whole configuration, every problem at once, each located.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

interface Problem {
  severity: 'error' | 'warning';
  stage: 'config' | 'recipe';
  type: string;
  message: string;
  file?: string;
  line?: number;
  section?: string;
  option?: string;
  hint?: string;
}

const EXE = 'executable = /usr/bin/python3\n';

const BROKEN = {
  'buildout.cfg': [
    '[buildout]',
    'extends = base.cfg',
    'parts = instance config missing',
    EXE,
    '[instance]',
    'recipe = plone.recipe.zope2instance',
    'user = admin',
    'zlib-storage = maybe',
    'http-adress = 8080',
    'eggs =',
    '',
    '[config]',
    'recipe = collective.recipe.template',
    'input = templates/nosuch.in',
    'outptu = ${buildout:directory}/etc/x.conf',
    '',
    '[unused]',
    'x = ${nosuch:y}',
    'y = ${instance:nope}',
    'z = ${instance:location}',
    '',
  ].join('\n'),
  'base.cfg': '[base]\nz = ${:bad:ref}\n[other]\n<= nosuchmacro\n',
};

function check(root: string, argv: string[] = []): { exitCode: number | null; problems: Problem[]; ok: boolean } {
  const r = runCli([...argv, 'check', '--json'], { cwd: root });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { ok: boolean; errors: number; warnings: number; problems: Problem[] };
  expect(out.errors + out.warnings).toBe(out.problems.length);
  return { exitCode: r.exitCode, problems: out.problems, ok: out.ok };
}

describe('buildout check', () => {
  it('reports every problem of every section and part, each with file:line, section and option', () => {
    const root = testdir(BROKEN);
    const { exitCode, ok, problems } = check(root);
    expect(exitCode).toBe(1);
    expect(ok).toBe(false);
    const cfg = join(root, 'buildout.cfg');
    const base = join(root, 'base.cfg');
    const brief = problems.map((p) => `${p.severity} ${p.type} ${p.file === cfg ? 'buildout.cfg' : p.file === base ? 'base.cfg' : p.file}:${p.line} [${p.section}] ${p.option}`);
    expect(brief.sort()).toEqual(
      [
        'error MissingSection buildout.cfg:3 [buildout] parts', // a part without a section
        'error UserError base.cfg:2 [base] z', // ${:bad:ref}
        'error MissingSection base.cfg:4 [other] <=', // <= a missing section
        'error MissingSection buildout.cfg:19 [unused] x', // two mistakes in one section not installed,
        'error MissingOption buildout.cfg:20 [unused] y', // both reported
        'error InvalidOption buildout.cfg:8 [instance] user', // the recipe's schema, issue by issue
        'error InvalidOption buildout.cfg:9 [instance] zlib-storage',
        'warning UnusedOption buildout.cfg:10 [instance] http-adress',
        'error MissingOption buildout.cfg:13 [config] output',
        'error MissingFile buildout.cfg:15 [config] input', // a template that does not exist
      ].sort(),
    );
    const hint = (option: string) => problems.find((p) => p.option === option)?.hint;
    expect(hint('http-adress')).toBe("Did you mean 'http-address'?");
    expect(hint('output')).toBe("The section sets 'outptu': a misspelling of 'output'?");
    expect(hint('parts')).toContain('Define a [missing] section');
    expect(hint('input')).toBe(`A relative input is taken from the buildout directory (${root}).`);
    // ${instance:location} is computed by the recipe, as at install: no problem for z
    expect(problems.find((p) => p.option === 'z' && p.section === 'unused')).toBeUndefined();
  });

  it('prints the same problems for people, on stdout, then a count', () => {
    const root = testdir(BROKEN);
    const r = runCli(['check'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('buildout.cfg:19: [unused] x: error: The referenced section, \'nosuch\', was not defined.');
    expect(r.stdout).toContain("buildout.cfg:10: [instance] http-adress: warning: The plone.recipe.zope2instance recipe does not use the option 'http-adress' of part instance.\n    hint: Did you mean 'http-address'?");
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('9 errors, 1 warning.');
  });

  it('writes nothing and installs nothing', () => {
    const root = testdir(BROKEN);
    const before = readdirSync(root).sort();
    runCli(['check'], { cwd: root });
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(root, '.buildout'))).toBe(false);
  });

  it('a clean configuration: exit 0; warnings alone do not fail', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts = d\n${EXE}[d]\nrecipe = buildout-ts:mkdir\npaths = \${buildout:directory}/x\n` });
    const clean = check(root);
    expect(clean).toEqual({ exitCode: 0, ok: true, problems: [] });
    expect(runCli(['check'], { cwd: root }).stdout).toBe('No problems found.\n');
    const warned = testdir({ 'buildout.cfg': `[buildout]\nparts = d\n${EXE}[d]\nrecipe = buildout-ts:mkdir\npaths = x\npahts = y\n` });
    const w = check(warned);
    expect(w.exitCode).toBe(0);
    expect(w.problems).toMatchObject([{ severity: 'warning', type: 'UnusedOption', option: 'pahts', line: 7, hint: "Did you mean 'paths'?" }]);
  });

  it('a recipe module must be found; a Python recipe named like a built-in one gets a warning', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts = a b\n${EXE}[a]\nrecipe = collective.recipe.templat\n[b]\nrecipe = ./recipes/mine.mjs\n` });
    const { exitCode, problems } = check(root);
    expect(exitCode).toBe(1);
    expect(problems).toMatchObject([
      { severity: 'warning', type: 'UnknownRecipe', section: 'a', option: 'recipe', line: 5, hint: expect.stringContaining("Did you mean 'collective.recipe.template'?") },
      { type: 'RecipeLoadError', section: 'b', option: 'recipe', line: 7, message: expect.stringContaining('Recipe module ./recipes/mine.mjs not found') },
    ]);
  });

  it('a section with a recipe that no run installs is validated too; a <= base, which may be incomplete, is not', () => {
    const root = testdir({
      'buildout.cfg': [
        '[buildout]',
        'parts = instance1',
        EXE,
        '[base]',
        'recipe = plone.recipe.zope2instance',
        'http-address = notaport',
        'eggs =',
        '',
        '[instance1]',
        '<= base',
        'http-address = 8080',
        '',
        '[instance2]',
        '<= base',
        'http-address = 99999',
        '',
      ].join('\n'),
    });
    const { exitCode, problems } = check(root);
    expect(exitCode).toBe(1);
    expect(problems).toMatchObject([{ severity: 'error', type: 'InvalidOption', section: 'instance2', option: 'http-address', line: 16, message: expect.stringContaining('port 99999 is out of range') }]);
    expect(problems).toHaveLength(1);
  });

  it('a file that cannot be parsed is one problem, with the section of each bad line', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts =\n${EXE}[a]\nx: 1\n` });
    const { exitCode, problems } = check(root);
    expect(exitCode).toBe(1);
    expect(problems).toMatchObject([{ type: 'ParsingError', line: 5, section: 'a' }]);
  });

  it('honours -c and assignments like every command', () => {
    const root = testdir({ 'other.cfg': `[buildout]\nparts = d\n${EXE}[d]\nrecipe = buildout-ts:mkdir\npaths = x\n` });
    expect(check(root, ['-c', 'other.cfg']).exitCode).toBe(0);
    const r = check(root, ['-c', 'other.cfg', 'buildout:parts=d nope']);
    expect(r.problems).toMatchObject([{ type: 'MissingSection', file: 'COMMAND_LINE_VALUE', option: 'parts' }]);
  });
});
