// Which option wrote a zope.conf line (for errors from the build-time check), and
// the temporary storage decision that keeps zope.conf loadable.
import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import { optionOfLine } from './conf-check.js';
import { buildInstanceView, TEMPORARY_STORAGE, type ZopeInstanceInput } from './context.js';
import { renderZopeConf, renderZopeConfSources } from './zope-conf.js';

const base = { part: 'instance', buildoutDirectory: '/bd', binDirectory: '/bd/bin', partsDirectory: '/bd/parts', hasCMFPlone: false };
const view = (options: Record<string, string>, extra: Partial<ZopeInstanceInput> = {}) => buildInstanceView({ ...base, ...extra, options: { location: '/bd/parts/instance', ...options } }).zopeConf!;

async function optionsByLine(options: Record<string, string>): Promise<Array<[string, string | undefined]>> {
  const v = view(options);
  const text = (await renderZopeConf(v)).split('\n');
  const sources = await renderZopeConfSources(v);
  expect(sources).toHaveLength(text.length);
  return text.map((l, i) => [l.trim(), optionOfLine(sources[i], l, options)]);
}

describe('zope.conf line → option', () => {
  it('names the option behind each line of a ZEO client with additions', async () => {
    const lines = new Map(
      await optionsByLine({
        'zeo-client': 'on',
        'zeo-address': '127.0.0.1:8100 127.0.0.1:8101',
        'zeo-client-cache-size': '1GB',
        'port-base': '100',
        'environment-vars': 'TZ UTC',
        'zope-conf-additional': '<product-config x>\n  a b\n</product-config>',
        'zope-conf-imports': 'my.pkg',
      }),
    );
    expect(lines.get('server 127.0.0.1:8101')).toBe('zeo-address');
    expect(lines.get('cache-size 1GB')).toBe('zeo-client-cache-size');
    expect(lines.get('port-base 100')).toBe('port-base');
    expect(lines.get('TZ UTC')).toBe('environment-vars');
    expect(lines.get('CHAMELEON_CACHE /bd/var/cache')).toBe('template-cache');
    expect(lines.get('a b')).toBe('zope-conf-additional');
    expect(lines.get('%import my.pkg')).toBe('zope-conf-imports');
    expect(lines.get('<zeoclient>')).toBe('zeo-client');
    expect(lines.get('mount-point /')).toBeUndefined();
  });

  it('names the storage wrappers', async () => {
    const lines = new Map(await optionsByLine({ 'zlib-storage': 'active', 'before-storage': 'now' }));
    expect(lines.get('%import zc.zlibstorage')).toBe('zlib-storage');
    expect(lines.get('before now')).toBe('before-storage');
    expect(lines.get('path /bd/var/filestorage/Data.fs')).toBe('file-storage');
    const rel = new Map(await optionsByLine({ 'rel-storage': 'type sqlite3\ndata-dir /x' }));
    expect(rel.get('%import relstorage')).toBe('rel-storage');
    expect(rel.get('data-dir /x')).toBe('rel-storage');
  });
});

describe('temporary storage', () => {
  const tmp = (options: Record<string, string>, extra: Partial<ZopeInstanceInput>) => view(options, extra).zodbTmpStorage;

  it('follows the recipe when tempstorage is installed: on without Plone, off with Plone', () => {
    expect(tmp({}, { hasTempstorage: true })).toBe(TEMPORARY_STORAGE);
    expect(tmp({}, { hasTempstorage: true, hasCMFPlone: true })).toBe('');
    expect(tmp({}, {})).toBe(TEMPORARY_STORAGE); // not known: as the recipe
  });

  it('is left out when tempstorage is missing (Zope would refuse <temporarystorage>)', () => {
    expect(tmp({}, { hasTempstorage: false })).toBe('');
    expect(tmp({ 'zodb-temporary-storage': 'off' }, { hasTempstorage: false })).toBe('');
  });

  it('asked for without tempstorage: an error naming the option and the fix', () => {
    try {
      tmp({ 'zodb-temporary-storage': 'on' }, { hasTempstorage: false });
      expect.unreachable();
    } catch (e) {
      expect(isBuildoutError(e) && [e.section, e.option]).toEqual(['instance', 'zodb-temporary-storage']);
      expect((e as Error).message).toContain('tempstorage distribution is not installed');
    }
  });

  it('a verbatim snippet is kept', () => {
    expect(tmp({ 'zodb-temporary-storage': '<zodb_db x>\n</zodb_db>' }, { hasTempstorage: false })).toBe('<zodb_db x>\n</zodb_db>');
  });
});
