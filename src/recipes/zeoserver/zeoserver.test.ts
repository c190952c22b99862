import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { isBuildoutError } from '../../errors.js';
import { buildZeoView } from './context.js';
import hooks from './hooks.js';
import { zeoRequirements } from './index.js';
import { PYTHON_SOURCE_DIR } from '../../python/bundled.js';
import { controlScriptText, zeopackText } from './scripts.js';

const view = (options: Record<string, string> = {}) => buildZeoView({ part: 'zeo', options: { location: '/bd/parts/zeo', ...options }, buildoutDirectory: '/bd', partsDirectory: '/bd/parts' });

describe('plone.recipe.zeoserver', () => {
  it('writes the default zeo.conf like the recipe (whitespace-only lines included)', () => {
    expect(view().zeoConf).toBe(
      [
        '%define INSTANCE /bd/parts/zeo',
        '',
        '<zeo>',
        '  address 8100',
        '  read-only false',
        '  invalidation-queue-size 100',
        '  pid-filename /bd/var/zeo.pid',
        '  ',
        '  ',
        '</zeo>',
        '',
        '<filestorage 1>',
        '  path /bd/var/filestorage/Data.fs',
        '  blob-dir /bd/var/blobstorage',
        '  ',
        '  ',
        '</filestorage>',
        '',
        '<eventlog>',
        '  level info',
        '  <logfile>',
        '      path /bd/var/log/zeo.log',
        '      format %(asctime)s %(message)s',
        '      ',
        '    </logfile>',
        '</eventlog>',
        '',
        '<runner>',
        '  program $INSTANCE/bin/runzeo',
        '  socket-name /bd/var/zeo.zdsock',
        '  daemon true',
        '  forever false',
        '  backoff-limit 10',
        '  exit-codes 0, 2',
        '  directory $INSTANCE',
        '  default-to-interactive true',
        '  ',
        '',
        '  # This logfile should match the one in the zeo.conf file.',
        "  # It is used by zdctl's logtail command, zdrun/zdctl doesn't write it.",
        '  logfile /bd/var/log/zeo.log',
        '</runner>',
        '',
        '',
        '',
      ].join('\n'),
    );
    expect(view().dirs).toEqual(['/bd/var', '/bd/var/log', '/bd/var/filestorage']);
  });

  it('renders the storage, log and runner options', () => {
    const v = view({
      'zeo-address': '127.0.0.1:8101',
      'socket-name': '/tmp/zeo.zdsock',
      'effective-user': 'zope',
      'storage-number': 'main',
      'file-storage': '/data/Data.fs',
      'blob-storage': '',
      'pack-gc': 'False',
      'pack-keep-old': 'false',
      'zeo-log-level': 'error',
      'zeo-log-max-size': '10MB',
      'zeo-log-old-files': '3',
      'monitor-address': '8102',
      'invalidation-queue-size': '500',
      'read-only': 'true',
      'zeo-conf-additional': '%import foo',
    });
    expect(v.zeoConf).toContain('<zeo>\n  address 127.0.0.1:8101\n  read-only true\n  invalidation-queue-size 500\n  pid-filename /bd/var/zeo.pid\n  \n  monitor-address 8102\n</zeo>');
    expect(v.zeoConf).toContain('<filestorage main>\n  path /data/Data.fs\n  pack-gc false\n  pack-keep-old false\n</filestorage>');
    expect(v.zeoConf).toContain('  level error\n  <logfile>\n      path /bd/var/log/zeo.log\n      format %(asctime)s %(message)s\n      max-size 10MB\n      old-files 3\n    </logfile>');
    expect(v.zeoConf).toContain('  socket-name /tmp/zeo.zdsock\n');
    expect(v.zeoConf).toContain('  user zope\n');
    expect(v.zeoConf.endsWith('%import foo\n')).toBe(true);
    expect(v.pack).toMatchObject({ host: '127.0.0.1', port: '8101', unix: null, storage: 'main' });
  });

  it('uses zeo-conf through %include, and finds the zeopack target for a socket path', () => {
    expect(view({ 'zeo-conf': 'etc/my-zeo.conf' }).zeoConf).toBe('%include /bd/etc/my-zeo.conf');
    expect(view({ 'zeo-address': '/tmp/zeo.sock' }).pack).toMatchObject({ host: null, port: null, unix: '/tmp/zeo.sock' });
    expect(view({ 'zeo-address': '8100' }).pack).toMatchObject({ host: '127.0.0.1', port: '8100' });
    let err: unknown;
    try {
      view({ 'zeo-address': '[::1]:8100' });
    } catch (e) {
      err = e;
    }
    expect(isBuildoutError(err)).toBe(true);
  });

  it('requires ZEO by default, with eggs, and nothing with `eggs =`', () => {
    expect(zeoRequirements({})).toEqual(['ZEO']);
    expect(zeoRequirements({ eggs: 'my.conflictresolution' })).toEqual(['my.conflictresolution', 'ZEO']);
    expect(zeoRequirements({ eggs: '' })).toEqual([]);
  });

  it('computes location and bin-directory', () => {
    const options = { directory: '/bd', 'parts-directory': '/bd/parts', 'bin-directory': '/bd/bin' };
    expect(hooks.computeOptions!({ part: 'zeo', options: {}, buildout: { options, section: () => options, hasSection: () => true } })).toEqual({ location: '/bd/parts/zeo', 'bin-directory': '/bd/bin' });
  });

  it('generates thin Python scripts that compile and call our package, which explains a missing ZEO', () => {
    const input = { python: '/usr/bin/python3', part: 'zeo', view: view(), extraPaths: [], initialization: '' };
    for (const text of [controlScriptText(input), zeopackText(input)]) {
      const r = spawnSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "script", "exec")'], { input: text, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(text).toMatch(/^import buildout_ts_wsgi\.zeo(ctl|scripts)$/m);
    }
    // python3 on PATH has no ZEO: the script (through python/buildout_ts_wsgi) says what to do
    const env = { ...process.env, PYTHONPATH: PYTHON_SOURCE_DIR };
    const r = spawnSync('python3', ['-', 'start'], { input: controlScriptText(input), encoding: 'utf8', env });
    expect(r.stderr).toBe("error: ZEO is not importable in this buildout's Python environment: add ZEO to the eggs of [zeo] (it brings ZODB) and run bin/buildout again\n");
    expect(r.status).toBe(2);
  });
});
