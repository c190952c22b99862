// `buildout develop …` (what bin/develop runs): mr.developer's subcommands on
// real git repositories, without a buildout run in between, as a developer uses
// them every day. The state goes to .mr.developer.cfg in mr.developer's format.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { git, gitCommit, gitRepo, pythonProject, writeFiles } from '../helpers/vcs.js';

function setup(): { root: string; urls: Record<string, string>; develop: (...args: string[]) => ReturnType<typeof runCli> } {
  const root = testdir();
  const urls = {
    'my.app': gitRepo(join(root, 'repos/my.app'), pythonProject('my.app')),
    'my.lib': gitRepo(join(root, 'repos/my.lib'), pythonProject('my.lib')),
    docs: gitRepo(join(root, 'repos/docs'), { 'index.rst': 'docs\n' }),
  };
  writeFileSync(
    join(root, 'buildout.cfg'),
    ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = my.app', '', '[sources]', `my.app = git ${urls['my.app']}`, `my.lib = git ${urls['my.lib']}`, `docs = git ${urls.docs} egg=false`, ''].join('\n'),
  );
  return { root, urls, develop: (...args) => runCli(['develop', ...args], { cwd: root }) };
}

const state = (root: string) => readFileSync(join(root, '.mr.developer.cfg'), 'utf8');

describe('buildout develop', () => {
  it('checkout: clones the matching sources and activates the eggs; list and status show them', () => {
    const { root, urls, develop } = setup();
    const list = develop('list', '-s');
    expect(list.stdout).toBe('# docs\n! my.app\n# my.lib\n');
    const co = develop('co', 'my\\.', 'docs');
    expect(co.exitCode).toBe(0);
    expect(co.stderr).toContain(`Cloned 'my.lib' with git from '${urls['my.lib']}'.`);
    expect(co.stderr).toContain("Activated 'my.lib'.");
    expect(co.stderr).not.toContain("Activated 'docs'.");
    expect(co.stderr).toContain("Warning: Don't forget to run buildout again, so the checked out packages are used as develop eggs.");
    expect(git(join(root, 'src/my.lib'), 'log', '--format=%s')).toBe('initial');
    expect(state(root)).toBe("[develop]\nmy.app = true\nmy.lib = true\n\n[buildout]\nargs = \n\n[mr.developer]\nrewrites = \n\n");
    expect(develop('ls', '-s').stdout).toBe('~ docs\n  my.app\n~ my.lib\n');
    expect(develop('ls', '-l', 'lib').stdout).toBe(`(git) my.lib ${urls['my.lib']}\n`);
    expect(develop('info', '--name', '--type', '-p', 'app').stdout).toBe(`my.app git ${join(root, 'src/my.app')}\n`);
    mkdirSync(join(root, 'src/stray'));
    expect(develop('status').stdout).toBe('~     docs\n      my.app\n~     my.lib\n?     stray\n');
  });

  it('status columns: modified, ahead, deactivated, not checked out', () => {
    const { root, develop } = setup();
    expect(develop('co', 'app', 'lib').exitCode).toBe(0);
    writeFileSync(join(root, 'src/my.app/my_app/__init__.py'), 'changed = True\n');
    gitCommit(join(root, 'src/my.lib'), { 'NEW': 'x\n' }, 'local commit');
    expect(develop('deactivate', 'lib').stderr).toContain("Deactivated 'my.lib'.");
    expect(develop('st').stdout).toBe('  M   my.app\n~ > - my.lib\n');
    const verbose = develop('st', '-v', 'app');
    expect(verbose.stdout).toContain('  M   my.app\n      ## main...origin/main\n       M my_app/__init__.py\n');
    expect(develop('activate', 'lib').stderr).toContain("Activated 'my.lib'.");
    expect(develop('st', 'lib').stdout).toBe('~ >   my.lib\n');
    expect(develop('reset', 'lib').stderr).toContain("Reset develop state of 'my.lib'.");
    expect(develop('st', 'lib').stdout).toBe('~ > - my.lib\n');
    expect(state(root)).toContain('[develop]\nmy.app = true\n\n');
    expect(develop('activate', 'docs').stderr).toContain("Warning: The package 'docs' matched, but isn't checked out.");
  });

  it('update: pulls clean checkouts; a dirty one only with -f, and never loses the change', () => {
    const { root, develop } = setup();
    expect(develop('co', 'app').exitCode).toBe(0);
    const repo = join(root, 'repos/my.app');
    gitCommit(repo, { 'CHANGES': 'two\n' }, 'upstream 2');
    const up = develop('up');
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toContain("Updated 'my.app' with git.");
    expect(git(join(root, 'src/my.app'), 'log', '-1', '--format=%s')).toBe('upstream 2');
    writeFileSync(join(root, 'src/my.app/my_app/__init__.py'), 'mine = 1\n');
    gitCommit(repo, { 'CHANGES': 'three\n' }, 'upstream 3');
    const skipped = develop('up');
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stderr).toContain("Warning: The package 'my.app' is dirty: skipped its update, your changes are kept (update -f forces it).");
    expect(git(join(root, 'src/my.app'), 'log', '-1', '--format=%s')).toBe('upstream 2');
    const forced = develop('up', '-f', '-v');
    expect(forced.exitCode).toBe(0);
    expect(git(join(root, 'src/my.app'), 'log', '-1', '--format=%s')).toBe('upstream 3');
    expect(readFileSync(join(root, 'src/my.app/my_app/__init__.py'), 'utf8')).toBe('mine = 1\n');
  });

  it('uses the configuration of the last buildout run, found from a subdirectory', () => {
    const { root, urls, develop } = setup();
    writeFiles(root, { 'other.cfg': `[buildout]\nparts =\n[sources]\nonly.here = git ${urls.docs} egg=false\n` });
    // what a buildout run with `-c other.cfg` stores (mr.developer's format)
    writeFileSync(join(root, '.mr.developer.cfg'), "[buildout]\nargs = '/x/bin/buildout'\n\t'-c'\n\t'other.cfg'\n\n");
    mkdirSync(join(root, 'src/deep'), { recursive: true });
    expect(runCli(['develop', 'ls'], { cwd: join(root, 'src/deep') }).stdout).toBe('only.here\n');
    expect(develop('args').stdout).toBe('Last used buildout arguments: -c other.cfg\n');
    // an explicit -c wins
    expect(runCli(['-c', 'buildout.cfg', 'develop', 'ls'], { cwd: root }).stdout).toBe('docs\nmy.app\nmy.lib\n');
  });

  it('help, unknown commands and regexps that match nothing', () => {
    const { develop } = setup();
    const help = develop();
    expect(help.exitCode).toBe(0);
    for (const c of ['checkout (co)', 'update (up)', 'status (stat, st)', 'activate (a)', 'deactivate (d)', 'list (ls)']) expect(help.stdout).toContain(c);
    expect(develop('help', 'st').stdout).toContain('usage: develop status [-a] [-c] [-d] [-v] [package-regexp ...]');
    expect(develop('co', '--help').stdout).toContain('usage: develop checkout');
    const bad = develop('frobnicate');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("Error: develop: invalid choice: 'frobnicate'");
    const none = develop('co', 'zzz');
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("Error: No package matched 'zzz'.");
    expect(develop('co').stderr).toContain('the following arguments are required: package-regexp');
    expect(develop('st', '-x').stderr).toContain('unrecognized argument: -x');
  });

  it('rebuild runs buildout with the stored arguments', () => {
    const { root, develop } = setup();
    // the stored run has no extensions: this test is about the develop command only
    writeFileSync(join(root, '.mr.developer.cfg'), "[buildout]\nargs = '/x/bin/buildout'\n\t'-c'\n\t'buildout.cfg'\n\t'buildout:parts=marker'\n\t'buildout:extensions='\n\n");
    writeFiles(root, { 'buildout.cfg': readFileSync(join(root, 'buildout.cfg'), 'utf8') + '[marker]\nrecipe = buildout-ts:mkdir\npaths = ${buildout:directory}/made-by-rebuild\n' });
    const r = develop('rebuild');
    expect(r.stdout).toContain('Last used buildout arguments: -c buildout.cfg buildout:parts=marker buildout:extensions=\n');
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(root, 'made-by-rebuild'))).toBe(true);
  });
});
