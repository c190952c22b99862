import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import type { BuildoutView } from '../types.js';
import hooks, { DEFAULT_PIPELINE_VALUE } from './hooks.js';

const buildout = (extra: Record<string, string> = {}): BuildoutView => {
  const options = { directory: '/bd', 'parts-directory': '/bd/parts', 'bin-directory': '/bd/bin', ...extra };
  return { options, section: () => options, hasSection: () => true };
};

describe('zope2instance hooks', () => {
  it('computes location, bin-directory, the default pipeline and zope-conf', () => {
    expect(hooks.computeOptions!({ part: 'instance', options: {}, buildout: buildout() })).toEqual({
      location: '/bd/parts/instance',
      'bin-directory': '/bd/bin',
      initialization: '',
      pipeline: DEFAULT_PIPELINE_VALUE,
      'zope-conf': '/bd/parts/instance/etc/zope.conf',
    });
    expect(DEFAULT_PIPELINE_VALUE.split(/\s+/)).toEqual(['translogger', 'egg:Zope#httpexceptions', 'zope']);
  });

  it('keeps a given pipeline and zope-conf, sets buildout-directory for relative paths', () => {
    const out = hooks.computeOptions!({ part: 'i', options: { pipeline: 'zope', 'zope-conf': '/etc/z.conf' }, buildout: buildout({ 'relative-paths': 'true' }) });
    expect(out.pipeline).toBeUndefined();
    expect(out['zope-conf']).toBe('/etc/z.conf');
    expect(out['buildout-directory']).toBe('/bd');
  });

  it('%-interpolates initialization with the part options', () => {
    const out = hooks.computeOptions!({ part: 'i', options: { user: 'admin:x', initialization: "print('%(user)s at %(location)s, 100%%')" }, buildout: buildout() });
    expect(out.initialization).toBe("print('admin:x at /bd/parts/i, 100%')");
    let err: unknown;
    try {
      hooks.computeOptions!({ part: 'i', options: { initialization: 'x = "%(nope)s"' }, buildout: buildout() });
    } catch (e) {
      err = e;
    }
    expect(isBuildoutError(err)).toBe(true);
    expect(err).toMatchObject({ section: 'i', option: 'initialization' });
  });

  it('declares the wsgi templates as input files, relative ones from the buildout directory', () => {
    expect(hooks.inputFiles!({ part: 'i', options: { 'wsgi-ini-template': 'templates/a.ini.in', 'wsgi-logging-ini-template': '/abs/b.ini' }, buildout: buildout() })).toEqual(['/bd/templates/a.ini.in', '/abs/b.ini']);
  });
});
