// collective.recipe.template and plone.recipe.command through the real CLI (no
// Python involved): input-file substitution, a changed template reinstalls the
// part, update-command runs on every run, stop-on-error stops the buildout.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const TEMPLATE_CFG = `[buildout]
parts = conf

[settings]
port = 8080

[conf]
recipe = collective.recipe.template
input = templates/app.conf.in
output = \${buildout:parts-directory}/etc/app.conf
mode = 600
greeting = hello
`;

describe('collective.recipe.template and plone.recipe.command via the CLI', () => {
  it('renders the input file, and a changed input file reinstalls the part', () => {
    const root = testdir({ 'buildout.cfg': TEMPLATE_CFG, 'templates/app.conf.in': 'root ${buildout:directory}\nport ${settings:port}\n${greeting} $${not:substituted}\n' });
    const out = join(root, 'parts/etc/app.conf');
    const first = runCli([], { cwd: root });
    expect(first.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`root ${root}\nport 8080\nhello \${not:substituted}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const noop = runCli([], { cwd: root });
    expect(noop.stderr).toMatch(/^conf: unchanged$/m);
    expect(first.stderr + noop.stderr).not.toContain('unused option');

    // a value the template refers to changed: the output follows, as the Python recipe's update does
    writeFileSync(join(root, 'buildout.cfg'), TEMPLATE_CFG.replace('port = 8080', 'port = 9090'));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`root ${root}\nport 9090\nhello \${not:substituted}\n`);

    writeFileSync(join(root, 'templates/app.conf.in'), 'port is ${settings:port}\n');
    const again = runCli([], { cwd: root });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toMatch(/^conf: unchanged$/m);
    expect(readFileSync(out, 'utf8')).toBe('port is 9090\n');
  });

  it('a bad reference in the template is a clear error and leaves no output', () => {
    const root = testdir({ 'buildout.cfg': TEMPLATE_CFG, 'templates/app.conf.in': 'x ${settings:nope}\n' });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: Referenced option does not exist: settings nope');
    expect(r.stderr).toContain(join(root, 'templates/app.conf.in'));
    expect(existsSync(join(root, 'parts/etc/app.conf'))).toBe(false);
  });

  it('runs command on install and update-command on every later run; stop-on-error fails the buildout', () => {
    const cfg = (extra: string) => `[buildout]\nparts = cmd\n\n[cmd]\nrecipe = plone.recipe.command\ncommand = echo installed > log.txt\nupdate-command = echo updated >> log.txt\n${extra}`;
    const root = testdir({ 'buildout.cfg': cfg('') });
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(readFileSync(join(root, 'log.txt'), 'utf8')).toBe('installed\nupdated\nupdated\n');

    writeFileSync(join(root, 'buildout.cfg'), cfg('stop-on-error = true\ncommand = exit 7\n'));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: Non zero exit code: the command of [cmd] exited with code 7.');
  });
});
