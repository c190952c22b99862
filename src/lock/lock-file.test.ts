import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatLock, parseLock, type LockFile } from './lock-file.js';
import { isBuildoutError } from '../errors.js';

const H = (c: string) => `sha256:${c.repeat(64)}`;
const LOCK: LockFile = {
  environments: {
    venv: {
      path: '.buildout/venv',
      resolution: 'universal',
      requiresPython: '>=3.11',
      requirements: ['waitress', 'Zope[wsgi]'],
      develop: ['src/my.addon'],
      packages: [
        { name: 'zope', version: '6.2', hashes: [H('b'), H('a')] },
        { name: 'colorama', version: '0.4.6', marker: "sys_platform == 'win32'", hashes: [H('c')] },
      ],
    },
    recipes: { path: '.buildout/recipes', resolution: 'universal', requirements: [], develop: [], packages: [] },
  },
};

describe('lock file', () => {
  it('is sorted and reads back as written', () => {
    const text = formatLock(LOCK, { tool: 'buildout-ts 1.0', config: 'buildout.cfg' });
    expect(text.indexOf('[recipes]')).toBeLessThan(text.indexOf('[venv]'));
    expect(text.indexOf('name = "colorama"')).toBeLessThan(text.indexOf('name = "zope"'));
    expect(text.indexOf(H('a'))).toBeLessThan(text.indexOf(H('b')));
    expect(text).toContain('# buildout.lock: the exact Python distributions of buildout.cfg');
    const back = parseLock(text, '/x/buildout.lock');
    expect(back.environments.venv!.packages.map((p) => p.name)).toEqual(['colorama', 'zope']);
    expect(back.environments.venv!.packages[0]!.marker).toBe("sys_platform == 'win32'");
    expect(back.environments.venv!.requiresPython).toBe('>=3.11');
    expect(back.environments.venv!.develop).toEqual(['src/my.addon']);
    expect(formatLock(back, { tool: 'buildout-ts 1.0', config: 'buildout.cfg' })).toBe(text);
  });

  it('round-trips any strings', () => {
    const s = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(fc.array(s, { maxLength: 4 }), s, (reqs, marker) => {
        const lock: LockFile = { environments: { venv: { path: 'p', resolution: 'universal', requirements: reqs, develop: [], packages: [{ name: 'x', version: '1', ...(marker ? { marker } : {}), hashes: [H('d')] }] } } };
        const text = formatLock(lock, { tool: 't', config: 'b.cfg' });
        expect(formatLock(parseLock(text, 'f'), { tool: 't', config: 'b.cfg' })).toBe(text);
      }),
    );
  });

  it('a damaged file is an error naming the line', () => {
    const text = formatLock(LOCK, { tool: 't', config: 'buildout.cfg' }).replace(`    "${H('c')}",`, '    "sha256:short",');
    let err: unknown;
    try {
      parseLock(text, '/x/buildout.lock');
    } catch (e) {
      err = e;
    }
    expect(isBuildoutError(err) && err.code).toBe('LockFileError');
    expect((err as Error).message).toMatch(/^The lock file \/x\/buildout\.lock cannot be read: line \d+: a package needs hashes/);
    expect(() => parseLock('version = 2\n', 'f')).toThrow(/format version 2; this buildout-ts reads version 1/);
    expect(() => parseLock('version = 1\n[venv]\nthis is not toml\n', 'f')).toThrow(/line 3: not a key = value line/);
  });
});
