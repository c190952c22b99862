// uv's real error texts (captured from uv 0.13.9) → problems → one readable error.
import { describe, expect, it } from 'vitest';
import { installFailure, uvProblems } from './install-failure.js';
import { pipProblems } from './pip.js';

const ctx = { installer: 'uv', offline: false, logFile: '/b/.buildout/installer/installer.log' };

describe('uv output → problems', () => {
  it('a name the registry does not know, direct or as a dependency', () => {
    expect(uvProblems('error: No solution found when resolving dependencies\n  cause: Because nonexistent-dist-aaa was not found in the package registry and you require nonexistent-dist-aaa, we can conclude that your requirements are unsatisfiable.')).toEqual([{ kind: 'not-found', name: 'nonexistent-dist-aaa', transitive: false }]);
    expect(uvProblems('  cause: Because foo-bar was not found in the cache and demo==1.0 depends on foo-bar, we can conclude that demo==1.0 cannot be used.')).toEqual([{ kind: 'not-found', name: 'foo-bar', transitive: true }]);
  });

  it('a pin with no such version, and a range with what is available', () => {
    expect(uvProblems('  cause: Because there is no version of zope-interface==0.0.1 and you require zope-interface==0.0.1, we can conclude that your requirements are unsatisfiable.')).toEqual([{ kind: 'no-version', name: 'zope-interface', spec: '==0.0.1' }]);
    expect(uvProblems('  cause: Because only waitress<=3.0.2 is available and you require waitress>=99, we can conclude that your requirements are unsatisfiable.')).toEqual([{ kind: 'no-version', name: 'waitress', spec: '>=99', available: 'only waitress<=3.0.2 is available' }]);
  });

  it('a DNS failure keeps the root cause and the URL', () => {
    const out = ['error: Request failed after 3 retries in 9.0s', '  cause: Failed to fetch: https://nonexistent.invalid/simple/waitress/', '  cause: error sending request for url (https://nonexistent.invalid/simple/waitress/)', '  cause: client error (Connect)', '  cause: dns error', '  cause: failed to lookup address information: Name or service not known'].join('\n');
    expect(uvProblems(out)).toEqual([{ kind: 'network', url: 'https://nonexistent.invalid/simple/waitress/', cause: 'failed to lookup address information: Name or service not known' }]);
  });

  it('a build failure names the distribution and the missing C header', () => {
    const out = ['   Building bjoern==3.2.2', 'error: Failed to build `bjoern==3.2.2`', '  cause: The build backend returned an error', '         bjoern/request.h:4:10: fatal error: ev.h: No such file or directory', '         compilation terminated.', "         error: Command '['gcc']' returned non-zero exit status 1."].join('\n');
    expect(uvProblems(out)).toEqual([{ kind: 'build', dist: 'bjoern==3.2.2', error: "Command '['gcc']' returned non-zero exit status 1.", missingHeader: 'ev.h' }]);
  });
});

describe('problems → one error', () => {
  it('names every missing distribution, with what the index has', () => {
    const e = installFailure([{ kind: 'not-found', name: 'aaa', transitive: false }, { kind: 'not-found', name: 'bbb', transitive: true }, { kind: 'no-version', name: 'waitress', spec: '==9.9', available: 'the index has 3.0.2' }], ctx);
    expect(e.code).toBe('DistributionNotFound');
    expect(e.message).toBe(["Couldn't find distributions for:", '  aaa: no distribution of that name', '  bbb: no distribution of that name (a dependency of another distribution)', '  waitress==9.9: no such version (the index has 3.0.2)', "The installer's full output (uv) is in /b/.buildout/installer/installer.log."].join('\n'));
    expect(e.hint).toMatch(/find-links/);
  });

  it('offline: says that only the cache and find-links were used', () => {
    const e = installFailure([{ kind: 'not-found', name: 'aaa', transitive: false }], { ...ctx, offline: true });
    expect(e.message).toContain('aaa: no distribution of that name in the download cache or find-links');
    expect(e.hint).toMatch(/Run once without -o/);
  });

  it('a network failure shows the real cause first', () => {
    const e = installFailure([{ kind: 'network', url: 'https://x.invalid/simple/a/', cause: 'failed to lookup address information: Name or service not known' }], ctx);
    expect(e.code).toBe('NetworkError');
    expect(e.message).toMatch(/^Couldn't reach the package index for 'a': failed to lookup address information: Name or service not known\n  \(fetching https:\/\/x.invalid\/simple\/a\/\)/);
  });

  it('libev missing: one clear error with the fix for each system', () => {
    const e = installFailure([{ kind: 'build', dist: 'bjoern==3.2.2', error: 'gcc failed', missingHeader: 'ev.h' }], ctx);
    expect(e.message).toMatch(/^Building bjoern==3.2.2 failed: the C header ev.h of libev is missing\./);
    expect(e.hint).toBe('Install libev with its headers, then run buildout again: Debian/Ubuntu `apt install libev-dev`, Fedora `dnf install libev-devel`, macOS `brew install libev`.');
  });
});

describe('hash-checked installs (--frozen)', () => {
  const lockCtx = { ...ctx, lockFile: '/b/buildout.lock' };
  it('uv: a hash mismatch names the distribution and the hash it got', () => {
    const out = 'error: Failed to download `click==8.1.7`\n  cause: Hash mismatch for `click==8.1.7`\n\n         Expected:\n           sha256:' + '1'.repeat(64) + '\n\n         Computed:\n           sha256:' + 'a'.repeat(64) + '\n';
    const problems = uvProblems(out);
    expect(problems).toEqual([{ kind: 'hash', dist: 'click==8.1.7', got: 'a'.repeat(64) }]);
    const e = installFailure(problems, lockCtx);
    expect(e.code).toBe('HashMismatch');
    expect(e.message).toContain(`The files downloaded for click==8.1.7 (sha256:${'a'.repeat(64)}) match none of the hashes the lock file /b/buildout.lock records.`);
  });
  it('uv offline: no file with a locked hash in the cache', () => {
    const out = "error: Failed to download `click==8.1.7`\n  cause: Network connectivity is disabled, but the requested data wasn't found in the cache: https://files.pythonhosted.org/x/click-8.1.7-py3-none-any.whl\n";
    const e = installFailure(uvProblems(out), { ...lockCtx, offline: true });
    expect(e.message).toContain('Running offline, the download cache has no file of click==8.1.7 with a hash the lock file /b/buildout.lock records.');
  });
  it('pip: THESE PACKAGES DO NOT MATCH THE HASHES', () => {
    const out = ['ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.', '    click==8.1.7 from https://files.pythonhosted.org/x/click-8.1.7-py3-none-any.whl (from -r frozen.txt (line 1)):', `        Expected sha256 ${'1'.repeat(64)}`, `             Got        ${'b'.repeat(64)}`].join('\n');
    expect(pipProblems(out)).toEqual([{ kind: 'hash', dist: 'click==8.1.7', got: 'b'.repeat(64) }]);
  });
});
