import { describe, expect, it } from 'vitest';
import { lockProblems, satisfies } from './check.js';
import { versionPins } from '../python/requirements.js';
import type { LockedEnvironment } from './lock-file.js';

const ENV: LockedEnvironment = {
  path: '.buildout/venv',
  resolution: 'universal',
  requirements: ['Zope[wsgi]', 'waitress'],
  develop: ['src/site'],
  packages: [
    { name: 'zope', version: '6.2', hashes: [] },
    { name: 'waitress', version: '3.0.2', hashes: [] },
    { name: 'zope-interface', version: '7.2', hashes: [] },
  ],
};
const ask = (requirements: string[], versions: Record<string, string> = {}, develop: string[] = []) =>
  lockProblems(ENV, { requirements, pins: versionPins(versions).pins, develop, developKeys: new Set(['my-site']) });

describe('lockProblems', () => {
  it('accepts what the lock covers: its requirements, a dependency named directly, matching pins, its develop eggs', () => {
    expect(ask(['Zope', 'zope.interface>=7', 'my.site', 'waitress'], { Zope: '6.2', waitress: '>=3', unrelated: '1.0' }, ['src/site'])).toEqual([]);
  });
  it('names each thing the lock lacks', () => {
    expect(ask(['Zope[wsgi,test]', 'six', 'waitress>=4'], { 'zope.interface': '7.3' }, ['src/other'])).toEqual([
      'the egg Zope[wsgi,test] asks for the extra test, which the lock was not made with',
      'the egg six is not in the lock (a new requirement)',
      'the egg waitress>=4: the lock has waitress 3.0.2',
      'the pin zope.interface = 7.3 in [versions]: the lock has zope-interface 7.2',
      'the develop egg src/other is not in the lock',
    ]);
  });
  it('compares versions as PEP 440 does', () => {
    expect(satisfies('6.2', '==6.2.0')).toBe(true);
    expect(satisfies('3.0.2', '>=3,<4')).toBe(true);
    expect(satisfies('3.0.2', '~=3.1')).toBe(false);
    expect(satisfies('3.0.2', '>=nonsense')).toBe(false);
  });
});
