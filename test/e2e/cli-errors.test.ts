// The real CLI's handling of user mistakes: exit codes, messages, no stack traces.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;
const OK_CFG = { 'buildout.cfg': '[buildout]\nparts =\nexecutable = /usr/bin/python3\n' };

describe('CLI errors', () => {
  it('parse errors list every bad line with the file', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nparts: x\nok = 1\nbad line\n' });
    const r = runCli(['annotate'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: File contains parsing errors: ${root}/buildout.cfg`);
    expect(r.stderr).toContain("[line  2]: 'parts: x'");
    expect(r.stderr).toContain("[line  4]: 'bad line'");
    expect(r.stderr).not.toMatch(STACK);
  });

  it('a missing config file is a clear error', () => {
    const root = testdir({});
    const r = runCli(['annotate', '--json'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ type: 'FileNotFound', message: `Couldn't open ${root}/buildout.cfg` });
    expect(r.stderr).not.toMatch(STACK);
  });

  it('a missing extended file names the file that extends it', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nextends = base.cfg\n' });
    const r = runCli(['query', 'parts'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${root}/base.cfg does not exist (named in ${root}/buildout.cfg:2)`);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('circular references name the options', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nparts =\nexecutable = /usr/bin/python3\n[a]\nx = ${b:y}\n[b]\ny = ${a:x}\n' });
    const r = runCli(['annotate', '--json'], { cwd: root });
    expect(r.exitCode).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.type).toBe('CircularReference');
    expect(error.message).toMatch(/^Circular reference in substitutions\.\n.*\$\{a:x\}.*\$\{b:y\}/);
  });

  it('invalid booleans: the exact zc.buildout message', () => {
    const root = testdir(OK_CFG);
    const r = runCli(['newest=maybe', 'query', 'newest'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Invalid value for 'newest' option: 'maybe'");
  });

  it.each([
    [['-x'], "Invalid option '-x'"],
    [['--nope'], "Invalid option '--nope'"],
    [['-t', 'soon'], 'Timeout value must be numeric: -t soon'],
    [['a:b:c=1'], 'Invalid option: a:b:c=1'],
    [['frobnicate'], 'Invalid command: frobnicate'],
    [['bootstrap'], "The 'bootstrap' command is not supported by buildout-ts."],
    [['init', '--server', 'apache'], "Invalid value for --server: 'apache'."],
    [['setup', 'x.py'], "The 'setup' command is not supported by buildout-ts."],
    [['runsetup'], "The 'runsetup' command is not supported by buildout-ts."],
  ])('usage error %j', (argv, message) => {
    const root = testdir(OK_CFG);
    const r = runCli(argv, { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: ${message}`);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('unknown flags point at --help', () => {
    const r = runCli(['-x'], { cwd: testdir(OK_CFG) });
    expect(r.stderr).toContain('--help');
  });

  it('--help and --version exit 0 on stdout', () => {
    const root = testdir({});
    const h = runCli(['--help'], { cwd: root });
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toContain('Usage: buildout');
    expect(h.stdout).toContain('annotate');
    const v = runCli(['--version'], { cwd: root });
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^buildout-ts \d+\.\d+\.\d+/);
  });
});
