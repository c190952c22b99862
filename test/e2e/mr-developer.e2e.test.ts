// mr.developer in a buildout run (`extensions = mr.developer`), with real git
// repositories made on the spot: checkouts of auto-checkout sources, develop eggs
// in the real environment, the sources' options, always-checkout / update, a
// dirty checkout never overwritten, a no-op run without any process, errors with
// their cfg line. Needs the built-in extension wired in (requireMrDeveloperWired).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { git, gitCommit, gitRepo, hasProgram, pythonProject, requireMrDeveloperWired, sh, writeFiles } from '../helpers/vcs.js';

const TRACE = join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs');

function traced(root: string, args: string[] = []): { exitCode: number | null; stderr: string; spawned: string[] } {
  const trace = join(root, 'trace.txt');
  writeFileSync(trace, '');
  const r = runCli(args, { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
  return { ...r, spawned: readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:')) };
}

const venvPython = (root: string) => join(root, '.buildout/venv/bin/python');
const importedFrom = (root: string, module: string) => spawnSync(venvPython(root), ['-c', `import ${module}; print(${module}.__file__)`], { encoding: 'utf8' }).stdout.trim();

describe('mr.developer in a buildout run', () => {
  it('checks out the auto-checkout sources, makes them develop eggs despite their pins, writes bin/develop; a no-op run starts no process', () => {
    requireMrDeveloperWired();
    const root = testdir({ 'src/local.addon/README': '' });
    writeFiles(join(root, 'src/local.addon'), pythonProject('local.addon', '0.1'));
    const url = gitRepo(join(root, 'repos/demo.pkg'), pythonProject('demo.pkg', '1.0'));
    writeFileSync(
      join(root, 'buildout.cfg'),
      ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = *', '', '[sources]', `demo.pkg = git ${url}`, 'local.addon = fs local.addon', '', '[versions]', '# a pin the checkout does not satisfy: mr.developer clears it', 'demo.pkg = 0.5', ''].join('\n'),
    );
    const r = runCli([], { cwd: root });
    expect(r.stderr).toContain(`mr.developer: Cloned 'demo.pkg' with git from '${url}'.`);
    expect(r.stderr).toContain("mr.developer: Filesystem package 'local.addon' doesn't need a checkout.");
    expect(r.exitCode).toBe(0);
    expect(git(join(root, 'src/demo.pkg'), 'log', '--format=%s')).toBe('initial');
    // develop eggs: imported from the checkouts
    expect(importedFrom(root, 'demo_pkg')).toBe(join(root, 'src/demo.pkg/demo_pkg/__init__.py'));
    expect(importedFrom(root, 'local_addon')).toBe(join(root, 'src/local.addon/local_addon/__init__.py'));
    // mr.developer's state file, in its format
    const state = readFileSync(join(root, '.mr.developer.cfg'), 'utf8');
    expect(state).toMatch(/^\[develop\]\ndemo\.pkg = auto\nlocal\.addon = auto\n\n\[buildout\]\nargs = '.*bin\/buildout'\n\n\[mr\.developer\]\nrewrites = \n\n$/);
    expect(statSync(join(root, 'bin/develop')).mode & 0o777).toBe(0o755);
    const status = spawnSync(join(root, 'bin/develop'), ['status'], { cwd: join(root, 'src'), encoding: 'utf8' });
    expect(status.stdout).toBe('      demo.pkg\n      local.addon\n');

    const noop = traced(root);
    expect(noop.exitCode).toBe(0);
    expect(noop.spawned).toEqual([]);
    expect(noop.stderr).toBe("mr.developer: Skipped checkout of existing package 'demo.pkg'.\nmr.developer: Filesystem package 'local.addon' doesn't need a checkout.\n");
  });

  it("the sources' options: branch, rev, pushurl, depth, path, full-path, egg = false, sources-dir", () => {
    requireMrDeveloperWired();
    const root = testdir();
    const repo = join(root, 'repos/multi');
    const url = gitRepo(repo, pythonProject('multi', '1.0'));
    git(repo, 'tag', 'v1');
    gitCommit(repo, { 'CHANGES': 'two\n' }, 'second');
    git(repo, 'checkout', '-q', '-b', 'feature');
    gitCommit(repo, { 'FEATURE': 'yes\n' }, 'feature work');
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(
      join(root, 'buildout.cfg'),
      [
        '[buildout]',
        'extensions = mr.developer',
        'parts =',
        'sources-dir = checkouts',
        'auto-checkout = *',
        '[sources]',
        `onbranch = git ${url} branch=feature`,
        `atrev = git ${url} rev=v1 egg=false`,
        `pushing = git ${url} pushurl=git@example.org:multi.git path=elsewhere egg=false`,
        `shallow = git ${url} full-path=\${buildout:directory}/custom/shallow depth=1 egg=false`,
        '',
      ].join('\n'),
    );
    const r = runCli([], { cwd: root });
    expect(r.stderr).toContain(`mr.developer: Cloned 'onbranch' with git using branch 'feature' from '${url}'.`);
    expect(r.exitCode).toBe(0);
    expect(git(join(root, 'checkouts/onbranch'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature');
    expect(existsSync(join(root, 'checkouts/onbranch/FEATURE'))).toBe(true);
    expect(git(join(root, 'checkouts/atrev'), 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', 'v1^{commit}'));
    expect(git(join(root, 'elsewhere/pushing'), 'config', 'remote.origin.pushurl')).toBe('git@example.org:multi.git');
    expect(git(join(root, 'custom/shallow'), 'rev-list', '--count', 'HEAD')).toBe('1');
    // only the egg sources are develop eggs
    expect(r.stderr.match(/^Develop: .*$/gm)).toEqual([`Develop: '${join(root, 'checkouts/onbranch')}'`]);
    // the pushurl makes no difference to "is this checkout of that URL?"
    const again = runCli([], { cwd: root });
    expect(again.stderr).not.toContain('differs');
    expect(again.exitCode).toBe(0);
  });

  it('always-checkout and update=true bring checkouts up to date; a dirty one is skipped and keeps its changes; offline never updates', () => {
    requireMrDeveloperWired();
    const root = testdir();
    const repo = join(root, 'repos/pkg');
    const url = gitRepo(repo, pythonProject('pkg', '1.0', { 'NOTES': 'one\n' }));
    const cfg = (extra: string[]) => ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = pkg', ...extra, '[sources]', `pkg = git ${url}`, ''].join('\n');
    writeFileSync(join(root, 'buildout.cfg'), cfg([]));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const checkout = join(root, 'src/pkg');
    const head = () => git(checkout, 'log', '-1', '--format=%s');

    gitCommit(repo, { 'NOTES': 'two\n' }, 'upstream 2');
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(head()).toBe('initial');
    writeFileSync(join(root, 'buildout.cfg'), cfg(['always-checkout = true']));
    const offline = runCli(['-o'], { cwd: root });
    expect(offline.exitCode).toBe(0);
    expect(head()).toBe('initial');
    const updated = runCli([], { cwd: root });
    expect(updated.stderr).toContain("mr.developer: Updated 'pkg' with git.");
    expect(updated.exitCode).toBe(0);
    expect(head()).toBe('upstream 2');

    // a local change: never overwritten, the update is skipped with a warning
    writeFileSync(join(checkout, 'pkg/__init__.py'), 'VERSION = "mine"\n');
    gitCommit(repo, { 'NOTES': 'three\n' }, 'upstream 3');
    const dirty = runCli([], { cwd: root });
    expect(dirty.exitCode).toBe(0);
    expect(dirty.stderr).toContain("Warning: mr.developer: The package 'pkg' is dirty: skipped its update, your changes are kept.");
    expect(head()).toBe('upstream 2');
    expect(readFileSync(join(checkout, 'pkg/__init__.py'), 'utf8')).toBe('VERSION = "mine"\n');
    // force updates it; git merges and keeps the local change of another file
    writeFileSync(join(root, 'buildout.cfg'), cfg(['always-checkout = force']));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(head()).toBe('upstream 3');
    expect(readFileSync(join(checkout, 'pkg/__init__.py'), 'utf8')).toBe('VERSION = "mine"\n');
    // a change that conflicts with the upstream one: git refuses, the run fails, nothing is lost
    writeFileSync(join(checkout, 'NOTES'), 'my notes\n');
    gitCommit(repo, { 'NOTES': 'four\n' }, 'upstream 4');
    const conflict = runCli([], { cwd: root });
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toContain("git merge of remote branch 'origin/main' failed.");
    expect(readFileSync(join(checkout, 'NOTES'), 'utf8')).toBe('my notes\n');

    // update=true on the source, without always-checkout
    spawnSync('git', ['checkout', '--', '.'], { cwd: checkout });
    writeFileSync(join(root, 'buildout.cfg'), cfg([]).replace(`pkg = git ${url}`, `pkg = git ${url} update=true`));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(head()).toBe('upstream 4');
  });

  it('mistakes: a clear message with the cfg line, exit 1', () => {
    requireMrDeveloperWired();
    const run = (sources: string[], extra: string[] = []) => {
      const root = testdir({ 'buildout.cfg': ['[buildout]', 'extensions = mr.developer', 'parts =', ...extra, '[sources]', ...sources, ''].join('\n') });
      return { root, ...runCli([], { cwd: root }) };
    };
    const noUrl = run(['pkg = git'], ['auto-checkout = pkg']);
    expect(noUrl.exitCode).toBe(1);
    expect(noUrl.stderr).toContain("Error: The source definition of 'pkg' needs at least the repository kind and URL.");
    expect(noUrl.stderr).toContain(`at ${noUrl.root}/buildout.cfg:6 [sources] pkg`);
    const unknownKind = run(['pkg = gti https://example.org/pkg.git']);
    expect(unknownKind.stderr).toContain("Error: Unknown repository type 'gti' for source 'pkg'.");
    const noSource = run(['pkg = git https://example.org/pkg.git'], ['auto-checkout = pkg other']);
    expect(noSource.stderr).toContain("Error: The package 'other' from auto-checkout has no source information.");
    expect(noSource.stderr).toContain(`at ${noSource.root}/buildout.cfg:4 [buildout] auto-checkout`);
    const missing = run(['pkg = git file:///nonexistent/repo.git'], ['auto-checkout = pkg']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("Error: git cloning of 'pkg' failed.");
    expect(missing.stderr).toContain('fatal:');
    expect(missing.stderr).toContain(`at ${missing.root}/buildout.cfg:6 [sources] pkg`);
    expect(existsSync(join(missing.root, 'src/pkg'))).toBe(false);
    const bzr = run(['pkg = bzr lp:pkg'], ['auto-checkout = pkg']);
    expect(bzr.stderr).toContain("Error: The source 'pkg' is a bzr repository, which buildout-ts does not support (git, hg, svn and fs are).");
    const fsMissing = run(['pkg = fs pkg'], ['auto-checkout = pkg']);
    expect(fsMissing.stderr).toContain(`Error: Directory '${fsMissing.root}/src/pkg' for package 'pkg' doesn't exist.`);
  });

  it('a linked checkout is left alone', () => {
    requireMrDeveloperWired();
    const root = testdir();
    const url = gitRepo(join(root, 'repos/pkg'), { 'README': 'x\n' });
    const elsewhere = join(root, 'outside');
    writeFiles(elsewhere, { 'README': 'mine\n' });
    writeFiles(root, { 'buildout.cfg': ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = pkg', 'always-checkout = true', '[sources]', `pkg = git ${url} egg=false`, ''].join('\n') });
    writeFiles(root, { 'src/.keep': '' });
    symlinkSync(elsewhere, join(root, 'src/pkg'));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("mr.developer: Skipped update of linked 'pkg'.");
    expect(readFileSync(join(elsewhere, 'README'), 'utf8')).toBe('mine\n');
  });
});

describe.each([
  ['hg', 'Mercurial (hg)'],
  ['svn', 'Subversion (svn)'],
])('mr.developer with %s', (kind, tool) => {
  function repository(root: string): string {
    const work = join(root, 'work');
    writeFiles(work, pythonProject('vcspkg', '1.0', { '.hgignore': 'syntax: glob\n*.egg-info\n' }));
    if (kind === 'hg') {
      sh(work, 'hg', ['init']);
      sh(work, 'hg', ['commit', '-A', '-q', '-u', 't', '-m', 'initial']);
      return work;
    }
    sh(root, 'svnadmin', ['create', join(root, 'svnrepo')]);
    sh(root, 'svn', ['import', '-q', '-m', 'initial', work, `file://${root}/svnrepo/trunk`]);
    return `file://${root}/svnrepo/trunk`;
  }

  it.skipIf(!hasProgram(kind))(`checks out a ${kind} source as a develop egg; a second run keeps it (needs ${kind}: scripts/install-system-deps.sh installs it)`, () => {
    requireMrDeveloperWired();
    const root = testdir();
    const url = repository(root);
    writeFiles(root, { 'buildout.cfg': ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = vcspkg', '[sources]', `vcspkg = ${kind} ${url}`, ''].join('\n') });
    const r = runCli([], { cwd: root });
    expect(r.stderr).toContain(kind === 'hg' ? "mr.developer: Cloned 'vcspkg' with mercurial." : "mr.developer: Checked out 'vcspkg' with subversion.");
    expect(r.exitCode).toBe(0);
    expect(importedFrom(root, 'vcspkg')).toBe(join(root, 'src/vcspkg/vcspkg/__init__.py'));
    const again = runCli([], { cwd: root });
    expect(again.stderr).toContain("mr.developer: Skipped checkout of existing package 'vcspkg'.");
    expect(again.exitCode).toBe(0);
    const status = runCli(['develop', 'status'], { cwd: root });
    // svn lists the build's untracked egg-info (mr.developer shows M as well); hg ignores it here
    expect(status.stdout).toBe(kind === 'hg' ? '      vcspkg\n' : '  M   vcspkg\n');
  });

  it(`a ${kind} source without ${kind} installed: a clear error`, () => {
    requireMrDeveloperWired();
    const root = testdir({ 'buildout.cfg': ['[buildout]', 'extensions = mr.developer', 'parts =', 'auto-checkout = vcspkg', '[sources]', `vcspkg = ${kind} https://example.org/vcspkg`, ''].join('\n') });
    const r = runCli([], { cwd: root, env: { PATH: join(root, 'no-programs') } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: The source 'vcspkg' needs ${tool}, which is not installed (no '${kind}' on PATH).`);
    expect(r.stderr).toContain(`Hint: Install ${tool.split(' ')[0]}`);
  });
});
