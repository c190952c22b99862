import { describe, expect, it } from 'vitest';
import { pipArgs, pipFailure } from './pip.js';

const base = { python: '/v/bin/python', requirements: ['Zope[wsgi]', 'waitress'], develop: [], findLinks: [], offline: false, upgrade: false, logFile: '/b/.buildout/pip.log' };

describe('pip arguments', () => {
  it('offline means --no-index and no upgrade; develop folders are editable and built without isolation', () => {
    const args = pipArgs({ ...base, offline: true, upgrade: true, develop: ['/src/a'], findLinks: ['/wheels'], index: 'https://example.invalid/simple', constraintsFile: '/c.txt' });
    expect(args).toContain('--no-index');
    expect(args).not.toContain('--index-url');
    expect(args).not.toContain('--upgrade');
    expect(args.join(' ')).toContain('--find-links /wheels -c /c.txt');
    expect(args.join(' ')).toContain('--no-build-isolation');
    expect(args.slice(-4)).toEqual(['-e', '/src/a', 'Zope[wsgi]', 'waitress']);
  });

  it('newest = true upgrades only what is needed; index and timeout are passed on', () => {
    const args = pipArgs({ ...base, upgrade: true, index: 'https://pypi.example/simple', timeout: 7 }).join(' ');
    expect(args).toContain('--upgrade --upgrade-strategy only-if-needed');
    expect(args).toContain('--index-url https://pypi.example/simple');
    expect(args).toContain('--timeout 7');
    expect(args).not.toContain('--no-build-isolation');
  });
});

describe('pip failures', () => {
  it('names every missing distribution, keeps the log path, and gives an offline hint', () => {
    const out = [
      'Looking in links: /wheels',
      'ERROR: Could not find a version that satisfies the requirement Foo.Bar==1.0 (from versions: none)',
      'ERROR: No matching distribution found for Foo.Bar==1.0',
    ].join('\n');
    const e = pipFailure(out, { offline: true, logFile: '/b/pip.log', findLinks: [] });
    expect(e.code).toBe('DistributionNotFound');
    expect(e.message).toBe("Couldn't find a distribution for 'Foo.Bar==1.0'. The full pip log is in /b/pip.log.");
    expect(e.hint).toMatch(/offline/i);
  });

  it('lists the versions pip saw, and online hints at the index and find-links', () => {
    const e = pipFailure('ERROR: Could not find a version that satisfies the requirement waitress==9 (from versions: 2.1.1, 2.1.2)\nERROR: No matching distribution found for waitress==9', { offline: false, logFile: '/l', findLinks: [] });
    expect(e.message).toContain('available versions: 2.1.1, 2.1.2');
    expect(e.hint).toMatch(/find-links/);
  });

  it('summarises a resolution conflict', () => {
    const out = ['ERROR: Cannot install a and b because these package versions have conflicting dependencies.', '', 'The conflict is caused by:', '    a 1.0 depends on c==1', '    b 1.0 depends on c==2', '', 'ERROR: ResolutionImpossible: for help visit https://pip.pypa.io'].join('\n');
    const e = pipFailure(out, { offline: true, logFile: '/l', findLinks: [] });
    expect(e.code).toBe('VersionConflict');
    expect(e.message).toContain('a 1.0 depends on c==1');
    expect(e.message).toContain('b 1.0 depends on c==2');
  });

  it('otherwise shows pip’s ERROR lines, not the whole output', () => {
    const e = pipFailure('noise\nmore noise\nERROR: file:///x does not appear to be a Python project: neither setup.py nor pyproject.toml found.\n', { offline: false, logFile: '/l', findLinks: [] });
    expect(e.code).toBe('InstallError');
    expect(e.message).toContain('does not appear to be a Python project');
    expect(e.message).not.toContain('noise');
  });

  it('names the project whose build failed and its error line', () => {
    const out = [
      'Obtaining file:///src/delta',
      "  Preparing editable metadata (pyproject.toml): finished with status 'error'",
      '  error: subprocess-exited-with-error',
      '  ╰─> [3 lines of output]',
      '      running dist_info',
      "      error: invalid command 'bdist_wheel'",
      '      [end of output]',
      'error: metadata-generation-failed',
    ].join('\n');
    const e = pipFailure(out, { offline: true, logFile: '/l', findLinks: [] });
    expect(e.code).toBe('BuildError');
    expect(e.message).toBe("Building /src/delta failed: invalid command 'bdist_wheel'\nThe full pip log is in /l.");
    expect(e.hint).toContain("'wheel'");
  });
});
