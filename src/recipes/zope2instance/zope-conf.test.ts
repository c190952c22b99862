import { describe, expect, it } from 'vitest';
import { buildInstanceView, type ZopeInstanceInput } from './context.js';
import { renderZopeConf } from './zope-conf.js';
import { isBuildoutError } from '../../errors.js';

const base = { part: 'instance', buildoutDirectory: '/bd', binDirectory: '/bd/bin', partsDirectory: '/bd/parts', hasCMFPlone: false };
const conf = async (options: Record<string, string>, extra: Partial<ZopeInstanceInput> = {}) => {
  const view = buildInstanceView({ ...base, ...extra, options: { location: '/bd/parts/instance', ...options } });
  return renderZopeConf(view.zopeConf!);
};
const storageOf = (text: string) => text.slice(text.indexOf('    cache-size'), text.indexOf('    mount-point /'));

describe('zope.conf', () => {
  it('writes the training bjoern case byte for byte (ZEO client, shared blobs, Plone in eggs)', async () => {
    const text = await conf(
      { 'zeo-client': 'on', 'zeo-address': '8100', 'shared-blob': 'on', 'blob-storage': '/bd/var/blobstorage' },
      { hasCMFPlone: true },
    );
    expect(text).toBe(
      [
        '%define INSTANCEHOME /bd/parts/instance',
        'instancehome $INSTANCEHOME',
        '%define CLIENTHOME /bd/var/instance',
        'clienthome $CLIENTHOME',
        'debug-mode off',
        'security-policy-implementation C',
        'verbose-security off',
        'default-zpublisher-encoding utf-8',
        '<environment>',
        '    CHAMELEON_CACHE /bd/var/cache',
        '</environment>',
        '<zodb_db main>',
        '    # Main database',
        '    cache-size 30000',
        '# Blob-enabled ZEOStorage database',
        '    <zeoclient>',
        '      read-only false',
        '      read-only-fallback false',
        '      blob-dir /bd/var/blobstorage',
        '      shared-blob-dir on',
        '      server 8100',
        '      storage 1',
        '      name zeostorage',
        '      cache-size 128MB',
        '    </zeoclient>',
        '    mount-point /',
        '</zodb_db>',
        'python-check-interval 1000',
      ].join('\n'),
    );
    expect(text.endsWith('\n')).toBe(false);
  });

  it('defaults to a blob-enabled FileStorage and the temporary storage without Products.CMFPlone', async () => {
    expect(await conf({})).toMatchInlineSnapshot(`
      "%define INSTANCEHOME /bd/parts/instance
      instancehome $INSTANCEHOME
      %define CLIENTHOME /bd/var/instance
      clienthome $CLIENTHOME
      debug-mode off
      security-policy-implementation C
      verbose-security off
      default-zpublisher-encoding utf-8
      <environment>
          CHAMELEON_CACHE /bd/var/cache
      </environment>
      <zodb_db main>
          # Main database
          cache-size 30000
          # Blob-enabled FileStorage database
          <blobstorage>
            blob-dir /bd/var/blobstorage
            # FileStorage database
            <filestorage>
              path /bd/var/filestorage/Data.fs
            </filestorage>
          </blobstorage>
          mount-point /
      </zodb_db>
      <zodb_db temporary>
          # Temporary storage database (for sessions)
          <temporarystorage>
            name temporary storage for sessioning
          </temporarystorage>
          mount-point /temp_folder
          container-class Products.TemporaryFolder.TemporaryContainer
      </zodb_db>
      python-check-interval 1000"
    `);
  });

  it('ZEO client without shared blobs caches blobs in var/blobcache; all client options in order', async () => {
    const text = await conf({
      'zeo-client': 'true',
      'zeo-address': '8100  127.0.0.1:8101',
      'zeo-client-cache-size': '300MB',
      'zeo-client-blob-cache-size': '1GB',
      'zeo-client-blob-cache-size-check': '10',
      'zeo-client-client': 'client1',
      'zeo-username': 'zeo',
      'zeo-password': 'secret',
      'min-disconnect-poll': '1',
      'max-disconnect-poll': '30',
      'zeo-client-drop-cache-rather-verify': 'true',
      'zeo-client-read-only-fallback': '',
      'zodb-temporary-storage': 'off',
    });
    expect(storageOf(text)).toMatchInlineSnapshot(`
      "    cache-size 30000
      # Blob-enabled ZEOStorage database
          <zeoclient>
            read-only false
            blob-dir /bd/var/blobcache
            shared-blob-dir no
            server 8100
            server 127.0.0.1:8101
            storage 1
            name zeostorage
            cache-size 300MB
            blob-cache-size 1GB
            blob-cache-size-check 10
            realm ZEO
            username zeo
            password secret
            var $(ZEO_TMP)
            client client1
            min-disconnect-poll 1
            max-disconnect-poll 30
            drop-cache-rather-verify true
          </zeoclient>
      "
    `);
  });

  it('ZEO client with blob-storage set empty has no blob lines and a zeo-var', async () => {
    const text = await conf({ 'zeo-client': 'on', 'blob-storage': '', 'zeo-client-client': 'c', 'zeo-var': '/tmp/zeo' });
    expect(storageOf(text)).toMatchInlineSnapshot(`
      "    cache-size 30000
      # ZEOStorage database
          <zeoclient>
            read-only false
            read-only-fallback false
            server 8100
            storage 1
            name zeostorage
            cache-size 128MB
            var /tmp/zeo
            client c
          </zeoclient>
      "
    `);
  });

  it('wraps storages: before, demo with changes, zlib, storage-wrapper', async () => {
    expect(storageOf(await conf({ 'before-storage': 'now' }))).toMatchInlineSnapshot(`
      "    cache-size 30000
          %import zc.beforestorage
          # BeforeStorage
          <before>
            before now
            # Blob-enabled FileStorage database
            <blobstorage>
              blob-dir /bd/var/blobstorage
              # FileStorage database
              <filestorage>
                path /bd/var/filestorage/Data.fs
              </filestorage>
            </blobstorage>
          </before>
      "
    `);
    expect(storageOf(await conf({ 'demo-storage': 'on', 'demo-file-storage': 'demo/Changes.fs', 'demo-blob-storage': 'var/demoblobs' }))).toMatchInlineSnapshot(`
      "    cache-size 30000
          # DemoStorage
          <demostorage>
          # FileStorage database
          <filestorage base>
            path /bd/var/filestorage/Data.fs
          </filestorage>
          # Blob-enabled FileStorage database
          <blobstorage changes>
            blob-dir /bd/var/demoblobs
            # FileStorage database
            <filestorage>
              path /bd/var/demo/Changes.fs
            </filestorage>
          </blobstorage>
          </demostorage>
      "
    `);
    expect(storageOf(await conf({ 'demo-storage': 'on', 'zlib-storage': 'passive', 'storage-wrapper': '%%import foo\n<foo>\n%s\n</foo>' }))).toMatchInlineSnapshot(`
      "    cache-size 30000
          %import foo
          <foo>
              # DemoStorage
              <demostorage>
              %import zc.zlibstorage
              # ZlibStorage wrapper
              <zlibstorage>
                compress false
                # FileStorage database
                <filestorage>
                  path /bd/var/filestorage/Data.fs
                </filestorage>
              </zlibstorage>
              </demostorage>
          </foo>
      "
    `);
  });

  it('renders RelStorage with a DSN folded from the postgresql keys', async () => {
    const text = await conf({ 'rel-storage': 'type postgresql\ndbname plone\nuser zope\nhost localhost\npassword pw\nkeep-history false\nblob-dir /bd/var/rblobs' });
    expect(storageOf(text)).toMatchInlineSnapshot(`
      "    cache-size 30000
          %import relstorage
          <relstorage>
              keep-history false
              blob-dir /bd/var/rblobs
              <postgresql>
                  dsn dbname='plone' user='zope' host='localhost' password='pw'
              </postgresql>
          </relstorage>
      "
    `);
    const sqlite = await conf({ 'rel-storage': 'type sqlite3\ndata-dir /bd/var/sqlite\npragmas-journal_mode wal\npragmas-cache_size 10000' });
    expect(storageOf(sqlite)).toMatchInlineSnapshot(`
      "    cache-size 30000
          %import relstorage
          <relstorage>
              <sqlite3>
                  data-dir /bd/var/sqlite
                  <pragmas>
                      cache_size 10000
                      journal_mode wal
                  </pragmas>
              </sqlite3>
          </relstorage>
      "
    `);
  });

  it('keeps the environment-vars quirks: first line indented, single-line pairs, explicit CHAMELEON_CACHE', async () => {
    const multi = await conf({ 'environment-vars': 'TZ Europe/Berlin\nzope_i18n_compile_mo_files true' });
    expect(multi).toContain('<environment>\n    TZ Europe/Berlin\nzope_i18n_compile_mo_files true\nCHAMELEON_CACHE /bd/var/cache\n</environment>');
    const single = await conf({ 'environment-vars': 'A 1 B 2', 'template-cache': 'off' });
    expect(single).toContain('<environment>\n    A 1\nB 2\n</environment>');
    const explicit = await conf({ 'environment-vars': 'CHAMELEON_CACHE /x' });
    expect(explicit).toContain('<environment>\n    CHAMELEON_CACHE /x\n</environment>');
    expect(await conf({ 'template-cache': 'off' })).not.toContain('<environment>');
  });

  it('orders imports, products, debug options, port-base, mailinglogger and additional text', async () => {
    const text = await conf({
      'zope-conf-imports': 'collective.foo\n\nbar.baz',
      products: '/bd/products\nrel/products',
      'debug-mode': 'on',
      'debug-exceptions': 'on',
      'verbose-security': 'on',
      'default-zpublisher-encoding': '',
      'port-base': '1000',
      mailinglogger: '<mailing-logger>\n</mailing-logger>',
      'zodb-cache-size': '',
      'zodb-cache-size-bytes': '1GB',
      'zodb-temporary-storage': '<zodb_db temporary>\n  # mine\n</zodb_db>',
      'python-check-interval': '500',
      'zope-conf-additional': '<product-config x>\n  key value\n\n</product-config>',
      'template-cache': '/bd/var/chameleon',
    });
    expect(text).toMatchInlineSnapshot(`
      "%import collective.foo
      %import bar.baz
      %define INSTANCEHOME /bd/parts/instance
      instancehome $INSTANCEHOME
      %define CLIENTHOME /bd/var/instance
      clienthome $CLIENTHOME
      products /bd/products
      products /bd/rel/products
      debug-mode on
      debug-exceptions on
      security-policy-implementation python
      verbose-security on
      port-base 1000
      <environment>
          CHAMELEON_CACHE /bd/var/chameleon
      </environment>
      %import mailinglogger
      <zodb_db main>
          # Main database
          cache-size-bytes 1GB
          # Blob-enabled FileStorage database
          <blobstorage>
            blob-dir /bd/var/blobstorage
            # FileStorage database
            <filestorage>
              path /bd/var/filestorage/Data.fs
            </filestorage>
          </blobstorage>
          mount-point /
      </zodb_db>
      <zodb_db temporary>
        # mine
      </zodb_db>
      python-check-interval 500
      <product-config x>
        key value
      </product-config>"
    `);
  });

  it('writes no zope.conf when zope-conf points elsewhere, and the control script uses that file', () => {
    const view = buildInstanceView({ ...base, options: { location: '/bd/parts/instance', 'zope-conf': '/etc/zope/zope.conf' } });
    expect(view.zopeConf).toBeUndefined();
    expect(view.zopeConfPath).toBe('/etc/zope/zope.conf');
  });

  it('lists the directories the recipe creates, blob dirs with mode 0700, even for ZEO', () => {
    const view = buildInstanceView({ ...base, options: { location: '/bd/parts/instance', 'zeo-client': 'on' } });
    expect(view.dirs).toEqual([
      { path: '/bd/var' },
      { path: '/bd/var/instance' },
      { path: '/bd/var/instance/import' },
      { path: '/bd/var/cache' },
      { path: '/bd/var/log' },
      { path: '/bd/var/filestorage' },
      { path: '/bd/var/blobcache', mode: 0o700 },
    ]);
  });

  it.each([
    [{ 'zlib-storage': 'compress' }, 'zlib-storage'],
    [{ 'zeo-client': 'on', 'zeo-username': 'u' }, 'zeo-password'],
    [{ 'zeo-client': 'on', 'rel-storage': 'type sqlite3\ndata-dir /x' }, 'rel-storage'],
    [{ 'wsgi-ini-template': 'a.ini', 'wsgi-logging-ini-template': 'b.ini' }, 'wsgi-logging-ini-template'],
    [{ 'demo-storage': 'on', 'blob-storage': 'x' }, 'blob-storage'],
    [{ 'rel-storage': 'dbname plone\nuser zope' }, 'rel-storage'],
    [{ user: 'admin' }, 'user'],
    [{ 'zopectl-umask': '9x' }, 'zopectl-umask'],
    [{ 'storage-wrapper': '<x>\n</x>' }, 'storage-wrapper'],
  ])('rejects %j with a BuildoutError naming [instance] %s', (options, option) => {
    let err: unknown;
    try {
      buildInstanceView({ ...base, options: { location: '/bd/parts/instance', ...options } });
    } catch (e) {
      err = e;
    }
    expect(isBuildoutError(err)).toBe(true);
    expect(err).toMatchObject({ section: 'instance', option });
  });
});
