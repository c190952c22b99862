// mr.developer, ours against the real one: the real zc.buildout 6.0.1 with the
// real mr.developer 3.0.0 (both from PyPI, cached) and buildout-ts run the same
// configuration on the same git repositories, then the same develop commands.
// Compared: the checkouts (paths, branches, commits), the develop eggs,
// .mr.developer.cfg after every command, and what the develop commands print.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runZcBuildout, zcBuildout } from '../helpers/reference.js';
import { git, gitCommit, gitRepo, pythonProject, requireMrDeveloperWired, writeFiles } from '../helpers/vcs.js';

let base: string;
const dirs = { zc: '', ours: '' };

function config(repos: string): string {
  return [
    '[buildout]',
    'extensions = mr.developer',
    'parts =',
    'develop = local/tool',
    'sources-dir = checkouts',
    'auto-checkout =',
    '    my.app',
    '    docs',
    '',
    '[sources]',
    `my.app = git file://${repos}/my.app branch=feature`,
    `my.lib = git file://${repos}/my.lib`,
    `docs = git file://${repos}/docs egg=false`,
    `legacy = git file://${repos}/my.lib extra`,
    '',
    '[versions]',
    'mr.developer = 3.0.0',
    'zc.recipe.egg = 6.0.0',
    'six = 1.17.0',
    'my.app = 0.1',
    '',
  ].join('\n');
}

// the develop script of each: ours through the CLI, theirs is bin/develop
function develop(which: 'zc' | 'ours', args: string[]): { stdout: string; messages: string[]; exitCode: number | null } {
  const dir = dirs[which];
  const r = which === 'zc' ? spawnSync(join(dir, 'bin/develop'), args, { cwd: dir, encoding: 'utf8' }) : runCli(['develop', ...args], { cwd: dir });
  const exitCode = 'status' in r ? r.status : r.exitCode;
  // mr.developer lists unknown directories in os.listdir order: compare lines as sets
  return { stdout: normal(r.stdout, dir).split('\n').sort().join('\n'), messages: messages(r.stderr, dir), exitCode };
}

// mr.developer's log lines (INFO:/WARNING:) and ours (plain/Warning:), without the level
function messages(stderr: string, dir: string): string[] {
  return normal(stderr, dir)
    .split('\n')
    .map((l) => l.replace(/^(INFO|WARNING|ERROR|Warning|Error): /, ''))
    .filter((l) => l && !l.startsWith('Queued') && !l.startsWith('Hint: '))
    .sort();
}

function normal(text: string, dir: string): string {
  return text.split(dir).join('<dir>').split(base).join('<base>');
}

const stateFile = (which: 'zc' | 'ours') => normal(readFileSync(join(dirs[which], '.mr.developer.cfg'), 'utf8'), dirs[which]).replace(/^args = .*(\n\t.*)*$/m, 'args = <args>');

// zc.buildout logs to stdout
function zcRun(): { exitCode: number | null; stderr: string } {
  const r = runZcBuildout(zcBuildout(), dirs.zc);
  return { exitCode: r.exitCode, stderr: r.stdout + r.stderr };
}

function developLines(stderr: string, dir: string): string[] {
  return (normal(stderr, dir).match(/^Develop: .*$/gm) ?? []).sort();
}

describe('mr.developer against the real one (zc.buildout 6.0.1, mr.developer 3.0.0 from PyPI)', () => {
  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-mrdev-zc-')));
    const repos = join(base, 'repos');
    gitRepo(join(repos, 'my.app'), pythonProject('my.app', '1.0'));
    git(join(repos, 'my.app'), 'checkout', '-q', '-b', 'feature');
    gitCommit(join(repos, 'my.app'), { 'FEATURE': '1\n' }, 'feature');
    git(join(repos, 'my.app'), 'checkout', '-q', 'main');
    gitRepo(join(repos, 'my.lib'), pythonProject('my.lib', '1.0'));
    gitRepo(join(repos, 'docs'), { 'index.rst': 'docs\n' });
    for (const which of ['zc', 'ours'] as const) {
      dirs[which] = join(base, which);
      mkdirSync(dirs[which]);
      writeFiles(join(dirs[which], 'local/tool'), pythonProject('local.tool', '0.1'));
      writeFileSync(join(dirs[which], 'buildout.cfg'), config(repos));
    }
  });
  afterAll(() => {
    if (base && !process.env.KEEP_TESTDIR) rmSync(base, { recursive: true, force: true });
  });

  it('a buildout run: the same checkouts, develop eggs and state file', () => {
    requireMrDeveloperWired();
    const zc = zcRun();
    expect(zc.exitCode, zc.stderr).toBe(0);
    const ours = runCli([], { cwd: dirs.ours });
    expect(ours.exitCode, ours.stderr).toBe(0);
    expect(readdirSync(join(dirs.ours, 'checkouts')).sort()).toEqual(readdirSync(join(dirs.zc, 'checkouts')).sort());
    for (const c of readdirSync(join(dirs.zc, 'checkouts'))) {
      expect(git(join(dirs.ours, 'checkouts', c), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(git(join(dirs.zc, 'checkouts', c), 'rev-parse', '--abbrev-ref', 'HEAD'));
      expect(git(join(dirs.ours, 'checkouts', c), 'rev-parse', 'HEAD')).toBe(git(join(dirs.zc, 'checkouts', c), 'rev-parse', 'HEAD'));
    }
    expect(developLines(ours.stderr, dirs.ours)).toEqual(developLines(zc.stderr, dirs.zc));
    const mrdev = (s: string, dir: string) =>
      normal(s, dir)
        .split('\n')
        .map((l) => l.replace(/^Warning: /, ''))
        .filter((l) => l.startsWith('mr.developer: ') && !l.includes('Queued'))
        .sort();
    expect(mrdev(ours.stderr, dirs.ours)).toEqual(mrdev(zc.stderr, dirs.zc));
    expect(stateFile('ours')).toBe(stateFile('zc'));
  });

  it('the develop commands print the same and leave the same state', () => {
    requireMrDeveloperWired();
    const steps: string[][] = [
      ['st'],
      ['ls', '-s'],
      ['ls', '-l', '-a'],
      ['info'],
      ['info', '--url', '--name', 'my'],
      ['co', 'lib'],
      ['st'],
      ['deactivate', 'app'],
      ['st', '-d'],
      ['activate', 'legacy', 'docs'],
      ['reset', 'lib'],
      ['ls', '-s', '-c'],
      ['st', 'nomatch'],
    ];
    for (const args of steps) {
      const zc = develop('zc', args);
      const ours = develop('ours', args);
      expect({ args, stdout: ours.stdout, messages: ours.messages, ok: ours.exitCode === 0 }).toEqual({ args, stdout: zc.stdout, messages: zc.messages, ok: zc.exitCode === 0 });
      expect(stateFile('ours'), args.join(' ')).toBe(stateFile('zc'));
    }
  });

  it('the next buildout run follows the develop states', () => {
    requireMrDeveloperWired();
    const zc = zcRun();
    const ours = runCli([], { cwd: dirs.ours });
    expect([ours.exitCode, zc.exitCode]).toEqual([0, 0]);
    expect(developLines(ours.stderr, dirs.ours)).toEqual(developLines(zc.stderr, dirs.zc));
    expect(stateFile('ours')).toBe(stateFile('zc'));
  });
});
