import { describe, expect, it } from 'vitest';
import { pipArgs, pipProblems } from './pip.js';
import type { InstallPlan } from './installer.js';

const base: InstallPlan = { python: '/v/bin/python', requirements: ['Zope[wsgi]', 'waitress'], develop: [], constraints: [], findLinks: [], noIndex: false, offline: false, newest: false, preferFinal: true, cacheDir: '/cache/pip-cache', workDir: '/b/.buildout/installer' };

describe('pip arguments (the fallback installer)', () => {
  it('offline means --no-index, no upgrade and no build isolation; develop folders are editable', () => {
    const args = pipArgs({ ...base, offline: true, newest: true, develop: ['/src/a'], findLinks: ['/wheels'], index: 'https://example.invalid/simple', constraints: ['a==1'] });
    expect(args).toContain('--no-index');
    expect(args).not.toContain('--index-url');
    expect(args).not.toContain('--upgrade');
    expect(args.join(' ')).toContain('--find-links /wheels -c /b/.buildout/installer/constraints.txt');
    expect(args).toContain('--no-build-isolation');
    expect(args.slice(-4)).toEqual(['-e', '/src/a', 'Zope[wsgi]', 'waitress']);
  });

  it('online: newest upgrades only what is needed, develop eggs build in isolation, the cache, index, timeout and prefer-final are passed on', () => {
    const args = pipArgs({ ...base, newest: true, develop: ['/src/a'], index: 'https://pypi.example/simple', timeoutSec: 7, preferFinal: false }).join(' ');
    expect(args).toContain('--upgrade --upgrade-strategy only-if-needed');
    expect(args).toContain('--index-url https://pypi.example/simple');
    expect(args).toContain('--cache-dir /cache/pip-cache');
    expect(args).toContain('--timeout 7');
    expect(args).toContain('--pre');
    expect(args).not.toContain('--no-build-isolation');
  });

  it('allow-hosts excluding the index: --no-index', () => {
    expect(pipArgs({ ...base, noIndex: true, index: 'https://x/simple' })).toContain('--no-index');
  });
});

describe('pip failures as problems', () => {
  it('every missing distribution, with the versions pip saw', () => {
    const out = [
      'ERROR: Could not find a version that satisfies the requirement Foo.Bar (from versions: none)',
      'ERROR: Could not find a version that satisfies the requirement waitress==9 (from versions: 2.1.1, 2.1.2)',
      'ERROR: No matching distribution found for waitress==9',
    ].join('\n');
    expect(pipProblems(out)).toEqual([
      { kind: 'not-found', name: 'Foo.Bar', transitive: false },
      { kind: 'no-version', name: 'waitress', spec: '==9', available: 'available: 2.1.1, 2.1.2' },
    ]);
  });

  it('a DNS failure is a network problem with its cause', () => {
    const out = "WARNING: Retrying (Retry(total=4)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -2] Name or service not known')': /simple/waitress/\nERROR: Could not find a version that satisfies the requirement waitress (from versions: none)";
    const p = pipProblems(out);
    expect(p[0]).toEqual({ kind: 'network', cause: '[Errno -2] Name or service not known' });
  });

  it('a resolution conflict', () => {
    const out = ['ERROR: Cannot install a and b because these package versions have conflicting dependencies.', '', 'The conflict is caused by:', '    a 1.0 depends on c==1', '    b 1.0 depends on c==2', '', 'ERROR: ResolutionImpossible: for help visit https://pip.pypa.io'].join('\n');
    expect(pipProblems(out)).toEqual([{ kind: 'conflict', detail: ['a 1.0 depends on c==1', 'b 1.0 depends on c==2'] }]);
  });

  it('a failed build names the project, its last error and a missing C header', () => {
    const out = ['Collecting bjoern==3.2.2', '  Building wheel for bjoern (pyproject.toml): finished with status \'error\'', '  error: subprocess-exited-with-error', '      bjoern/request.h:4:10: fatal error: ev.h: No such file or directory', '      error: command gcc failed with exit code 1', 'ERROR: Failed to build bjoern'].join('\n');
    expect(pipProblems(out)).toEqual([{ kind: 'build', dist: 'bjoern', error: 'command gcc failed with exit code 1', missingHeader: 'ev.h' }]);
  });

  it("otherwise pip's ERROR lines, not the whole output", () => {
    const p = pipProblems('noise\nmore noise\nERROR: file:///x does not appear to be a Python project\n');
    expect(p).toEqual([{ kind: 'other', detail: ['file:///x does not appear to be a Python project'] }]);
  });
});
