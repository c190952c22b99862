// --help on every command and the help command, through the real CLI.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

describe('help', () => {
  it.each([
    [['install', '--help'], 'Usage: buildout install [options] [PART...]'],
    [['annotate', '--help'], 'Usage: buildout annotate [options] [SECTION...]'],
    [['annotate', '-h'], '--interpolated'],
    [['query', '--help'], 'Usage: buildout query [options] <[SECTION:]OPTION>'],
    [['check', '--help'], 'Usage: buildout check [options]'],
    [['help', 'check'], 'Check the whole configuration'],
    [['help'], 'Commands:'],
    [['--help'], 'Commands:'],
    [['-h'], 'section:option=value'],
    [['-c', 'nosuch.cfg', 'install', '--help'], '--json'],
  ])('buildout %j prints help on stdout and exits 0, without reading any configuration', (argv, text) => {
    const r = runCli(argv, { cwd: testdir({}) });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(text);
  });

  it('help for an unknown command is a usage error with a did-you-mean', () => {
    const r = runCli(['help', 'instal'], { cwd: testdir({}) });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: No help for 'instal': there is no such command.");
    expect(r.stderr).toContain("Did you mean the command 'install'?");
  });

  it('an unknown command suggests the close one', () => {
    const r = runCli(['anotate'], { cwd: testdir({}) });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: Invalid command: anotate');
    expect(r.stderr).toContain("Did you mean the command 'annotate'?");
  });

  it('an unknown option of a command names the close one and the usage', () => {
    const r = runCli(['annotate', '--jsn'], { cwd: testdir({}) });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Invalid option for annotate: '--jsn'");
    expect(r.stderr).toContain('Did you mean --json?');
    expect(r.stderr).toContain('Usage: buildout annotate [--json] [--interpolated] [SECTION...]');
  });

  it('a global flag after the command is pointed back before it', () => {
    const r = runCli(['install', '-N'], { cwd: testdir({}) });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Options such as -c, -v and -N go before the command.');
  });
});
