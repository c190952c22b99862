// plone.recipe.zope2instance through the real CLI with the real Zope from PyPI
// (pinned by examples/versions.cfg): the files of a representative ZEO-client part
// (whole-file snapshots), modes, errors that name file, line, section and option,
// the build-time check against the installed Zope, and the werkzeug content_length fix.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir, transformPaths } from '../helpers/testdir.js';

let root: string;
const HEAD = `[buildout]
extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}
parts = instance

[instance]
recipe = plone.recipe.zope2instance
`;

beforeAll(() => {
  root = testdir();
});

// the recipe brings Zope, ZODB, ZEO, waitress and Paste; `eggs =` adds nothing else
function install(cfg: string) {
  writeFileSync(join(root, 'buildout.cfg'), HEAD + (/^eggs\b/m.test(cfg) ? '' : 'eggs =\n') + cfg);
  const r = runCli([], { cwd: root });
  return { ...r, stderr: transformPaths(r.stderr, root), stdout: transformPaths(r.stdout, root) };
}
const read = (rel: string) => transformPaths(readFileSync(join(root, rel), 'utf8'), root);
const mode = (rel: string) => (statSync(join(root, rel)).mode & 0o777).toString(8);

describe('plone.recipe.zope2instance install', () => {
  it('writes zope.conf, wsgi.ini, site.zcml, package-includes and inituser for a ZEO client', () => {
    const r = install(`user = admin:s3cr:et
zeo-client = on
zeo-address = 127.0.0.1:8100
shared-blob = no
http-address = 127.0.0.1:8080
threads = 2
environment-vars =
    TZ UTC
    PLONE_CSRF_DISABLED false
zcml =
    zope.browserpage
    zope.browserpage-meta
zcml-additional = <include package="zope.browserresource" />
event-log-level = WARNING
zope-conf-additional =
    <product-config my.package>
        key value
    </product-config>
`);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read('parts/instance/etc/zope.conf')).toMatchInlineSnapshot(`
      "%define INSTANCEHOME <root>/parts/instance
      instancehome $INSTANCEHOME
      %define CLIENTHOME <root>/var/instance
      clienthome $CLIENTHOME
      debug-mode off
      security-policy-implementation C
      verbose-security off
      default-zpublisher-encoding utf-8
      <environment>
          TZ UTC
      PLONE_CSRF_DISABLED false
      CHAMELEON_CACHE <root>/var/cache
      </environment>
      <zodb_db main>
          # Main database
          cache-size 30000
      # Blob-enabled ZEOStorage database
          <zeoclient>
            read-only false
            read-only-fallback false
            blob-dir <root>/var/blobcache
            shared-blob-dir no
            server 127.0.0.1:8100
            storage 1
            name zeostorage
            cache-size 128MB
          </zeoclient>
          mount-point /
      </zodb_db>
      python-check-interval 1000
      <product-config my.package>
          key value
      </product-config>"
    `);
    expect(read('parts/instance/etc/wsgi.ini')).toMatchInlineSnapshot(`
      "[server:main]
      paste.server_factory = buildout_ts_wsgi.servers:server_factory
      use = egg:buildout-ts-wsgi#main
      fast-listen = 127.0.0.1:8080
      threads = 2
      clear_untrusted_proxy_headers = false
      max_request_body_size = 1073741824
      asyncore_use_poll = false


      [app:zope]
      use = egg:Zope#main
      zope_conf = <root>/parts/instance/etc/zope.conf

      [filter:translogger]
      use = egg:Paste#translogger
      setup_console_handler = False

      [filter:sentry]
      use = egg:buildout-ts-wsgi#sentry
      dsn = 
      level = INFO
      event_level = ERROR
      ignorelist = 
      max_value_length = 

      [filter:profile]
      use = egg:repoze.profile
      log_filename = <root>/var/log/profile-instance.raw
      cachegrind_filename = <root>/var/log/cachegrind.out.instance
      discard_first_request = true
      path = /__profile__
      flush_at_shutdown = true
      unwind = false

      [pipeline:main]
      pipeline =
          translogger
          egg:Zope#httpexceptions
          zope

      [loggers]
      keys = root, plone, waitress.queue, waitress, wsgi

      [handlers]
      keys = console, accesslog, eventlog

      [formatters]
      keys = generic, message

      [logger_root]
      level = WARNING
      handlers = console, eventlog

      [logger_plone]
      level = WARNING
      handlers = eventlog
      qualname = plone

      [logger_waitress.queue]
      level = INFO
      handlers = eventlog
      qualname = waitress.queue
      propagate = 0

      [logger_waitress]
      level = WARNING
      handlers = eventlog
      qualname = waitress

      [logger_wsgi]
      level = INFO
      handlers = accesslog
      qualname = wsgi
      propagate = 0

      [handler_console]
      class = StreamHandler
      args = (sys.stderr,)
      level = NOTSET
      formatter = generic

      [handler_accesslog]
      class = FileHandler
      args = (r'<root>/var/log/instance-access.log', 'a')
      kwargs = {}
      level = INFO
      formatter = message

      [handler_eventlog]
      class = FileHandler
      args = (r'<root>/var/log/instance.log', 'a')
      kwargs = {}
      level = NOTSET
      formatter = generic

      [formatter_generic]
      format = %(asctime)s %(levelname)-7.7s [%(name)s:%(lineno)s][%(threadName)s] %(message)s

      [formatter_message]
      format = %(message)s
      "
    `);
    expect(read('parts/instance/etc/site.zcml')).toMatchInlineSnapshot(`
      "<configure
          xmlns="http://namespaces.zope.org/zope"
          xmlns:five="http://namespaces.zope.org/five"
          xmlns:meta="http://namespaces.zope.org/meta"
          >

        <include package="Products.Five" />
        <meta:redefinePermission
            from="zope2.Public"
            to="zope.Public"
            />


        <!-- Load the meta -->
        <include files="package-includes/*-meta.zcml" />
        <five:loadProducts file="meta.zcml" />

        <!-- Load the configuration -->
        <include files="package-includes/*-configure.zcml" />
        <five:loadProducts />

        <!-- Load the configuration overrides-->
        <includeOverrides files="package-includes/*-overrides.zcml" />
        <five:loadProductsOverrides />


        <securityPolicy component="AccessControl.security.SecurityPolicy" />

      </configure>
      "
    `);
    const includes = readdirSync(join(root, 'parts/instance/etc/package-includes')).sort();
    expect(Object.fromEntries(includes.map((f) => [f, read(`parts/instance/etc/package-includes/${f}`)]))).toMatchInlineSnapshot(`
      {
        "002-zope.browserpage-configure.zcml": "<include package="zope.browserpage" file="configure.zcml" />
      ",
        "003-zope.browserpage-meta.zcml": "<include package="zope.browserpage" file="meta.zcml" />
      ",
        "999-additional-overrides.zcml": "<configure xmlns="http://namespaces.zope.org/zope">
          <include package="zope.browserresource" />
      </configure>",
      }
    `);
    // inituser: {SHA} hash of the password after the first colon, never world-readable
    const sha = spawnSync('/usr/bin/python3', ['-c', "import binascii, hashlib; print(binascii.b2a_base64(hashlib.sha1('s3cr:et'.encode('utf-8')).digest())[:-1].decode())"], { encoding: 'utf8' }).stdout.trim();
    expect(read('parts/instance/inituser')).toBe(`admin:{SHA}${sha}\n`);
    expect(mode('parts/instance/inituser')).toBe('600');
    expect(mode('var/blobcache')).toBe('700');
    expect(mode('bin/instance')).toBe('755');
    expect(mode('parts/instance/bin/interpreter')).toBe('755');
    for (const d of ['var/instance/import', 'var/cache', 'var/log', 'var/filestorage']) expect(statSync(join(root, d)).isDirectory()).toBe(true);
  });

  it('fails without a terminal when no user is given, naming the option and how to fix it', () => {
    const r = install('');
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('the option "user" is not set and there is no terminal to ask for one');
    expect(r.stderr).toContain('[instance] user');
    expect(r.stderr).toContain('user = admin:secret');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it.each([
    ['zlib-storage = compress', 'zlib-storage', 'zlib-storage must be "active"'],
    ['zeo-client = on\nzeo-username = zeo', 'zeo-password', 'No ZEO password specified'],
    ['zeo-client = on\nrel-storage =\n    type sqlite3\n    data-dir /tmp/x', 'rel-storage', 'cannot be used at the same time'],
    ['wsgi-ini-template = a.ini\nwsgi-logging-ini-template = b.ini', 'wsgi-logging-ini-template', 'cannot be used together'],
  ])('rejects %j naming [instance] %s', (cfg, option, message) => {
    const r = install(`user = admin:admin\n${cfg}\n`);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`[instance] ${option}`);
    expect(r.stderr).toContain(message);
  });

  it('names the template file, line and unknown variable of a wsgi-ini-template', () => {
    writeFileSync(join(root, 'bad.ini.in'), '[server:main]\nuse = egg:waitress#main\nlisten = %(http_adress)s\n');
    const r = install('user = admin:admin\nwsgi-ini-template = ${buildout:directory}/bad.ini.in\n');
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('<root>/bad.ini.in:3: unknown variable %(http_adress)s in the wsgi-ini-template');
    expect(r.stderr).toContain('did you mean %(http_address)s?');
  });

  it('adds egg:Zope#content_length for werkzeug and warns; content-length-filter = off keeps the pipeline', () => {
    writeFileSync(join(root, 'wz.ini.in'), '[server:main]\nuse = egg:dataflake.wsgi.werkzeug#main\nhostname = 127.0.0.1\nport = 8080\n\n[app:zope]\nuse = egg:Zope#main\nzope_conf = %(location)s/etc/zope.conf\n\n[filter:translogger]\nuse = egg:Paste#translogger\n\n[pipeline:main]\npipeline =\n    %(pipeline)s\n');
    const r = install('user = admin:admin\neggs = dataflake.wsgi.werkzeug\nwsgi-ini-template = ${buildout:directory}/wz.ini.in\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain('added egg:Zope#content_length before zope');
    expect(read('parts/instance/etc/wsgi.ini')).toContain('pipeline =\n    translogger\n    egg:Zope#httpexceptions\n    egg:Zope#content_length\n    zope\n');
    const off = install('user = admin:admin\neggs = dataflake.wsgi.werkzeug\nwsgi-ini-template = ${buildout:directory}/wz.ini.in\ncontent-length-filter = off\n');
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stderr + off.stdout).not.toContain('content_length');
    expect(read('parts/instance/etc/wsgi.ini')).not.toContain('content_length');
  });

  it.each([
    ['http-address = 127.0.0.1:99999', 'http-address', 'port 99999 is out of range'],
    ['http-address = notaport', 'http-address', 'address "notaport" is neither a port nor host:port'],
    ['zeo-client = on\nzeo-address = 127.0.0.1:81000', 'zeo-address', 'port 81000 is out of range'],
    ['zeo-client-cache-size = 1.5GB', 'zeo-client-cache-size', '"1.5GB" is not a size'],
    ['debug-mode = 1', 'debug-mode', '"1" is not a boolean'],
  ])('rejects %j at build time with the cfg line, before anything is written', (cfg, option, message) => {
    const state = () => [join(root, '.installed.cfg'), join(root, 'parts/instance/etc/wsgi.ini')].map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined));
    const before = state();
    const r = install(`user = admin:admin\n${cfg}\n`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(message);
    const line = (HEAD + 'eggs =\nuser = admin:admin\n' + cfg).split('\n').findIndex((l) => l.startsWith(`${option} =`)) + 1;
    expect(r.stderr).toContain(`at <root>/buildout.cfg:${line} [instance] ${option}`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // the options are checked before the old part is touched
    expect(state()).toEqual(before);
  });

  it('accepts the address forms the servers accept', () => {
    const r = install('user = admin:admin\nhttp-address = 8080 [::1]:8081 127.0.0.1:8082\nzeo-client = on\nzeo-address = ${buildout:directory}/var/zeo.sock 127.0.0.1:8100\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read('parts/instance/etc/wsgi.ini')).toContain('fast-listen = 0.0.0.0:8080 [::1]:8081 127.0.0.1:8082\n');
    expect(read('parts/instance/etc/zope.conf')).toContain('      server <root>/var/zeo.sock\n\n      server 127.0.0.1:8100'.replace('\n\n', '\n'));
  });

  it('leaves out the temporary storage without tempstorage, writes it with tempstorage, and refuses it on demand without', () => {
    const plain = install('user = admin:admin\n');
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(read('parts/instance/etc/zope.conf')).not.toContain('temporarystorage');
    const asked = install('user = admin:admin\nzodb-temporary-storage = on\n');
    expect(asked.exitCode).toBe(1);
    expect(asked.stderr).toContain('the tempstorage distribution is not installed');
    expect(asked.stderr).toMatch(/at <root>\/buildout\.cfg:\d+ \[instance\] zodb-temporary-storage/);
    const withIt = install('user = admin:admin\neggs = tempstorage\n');
    expect(withIt.exitCode, withIt.stderr).toBe(0);
    expect(read('parts/instance/etc/zope.conf')).toContain('<temporarystorage>');
  });

  it.each([
    ['port-base = 100', 'port-base', "Zope cannot load the generated zope.conf: 'port-base' is not a known key name (<root>/parts/instance/etc/zope.conf:9: port-base 100)"],
    ['zope-conf-additional =\n    <product-config x>', 'zope-conf-additional', 'Zope cannot load the generated zope.conf: unclosed sections not allowed'],
    ['zope-conf-imports = not.installed', 'zope-conf-imports', 'could not load package not.installed'],
    ['zcml = not.installed', 'zcml', 'zcml names a package that cannot be imported: not.installed'],
    ['pipeline = translogger egg:Nope#filter zope', 'pipeline', 'the generated wsgi.ini cannot be loaded: [pipeline:main] use = egg:Nope#filter'],
  ])('checks %j against the installed Zope at build time, naming the option', (cfg, option, message) => {
    expect(install('user = admin:admin\n').exitCode).toBe(0);
    const installed = read('.installed.cfg');
    const zopeConf = read('parts/instance/etc/zope.conf');
    const r = install(`user = admin:admin\n${cfg}\n`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(new RegExp(`at <root>/buildout\\.cfg:\\d+ \\[instance\\] ${option}\\n`));
    expect(r.stderr).not.toContain('Traceback');
    // the files that failed the check are gone; the previous installation is back (safe updates)
    expect(r.stderr).toContain('The previous installation of part instance was kept');
    expect(read('parts/instance/etc/zope.conf')).toBe(zopeConf);
    expect(read('.installed.cfg')).toBe(installed);
  });

  it('checks the files with Zope again on a reinstall, unless only the http-address changed', () => {
    const run = (cfg: string) => {
      writeFileSync(join(root, 'buildout.cfg'), HEAD + 'eggs =\nuser = admin:admin\n' + cfg);
      return runCli(['-v'], { cwd: root });
    };
    const SKIPPED = 'zope.conf and wsgi.ini not checked again: only the addresses changed since the last check';
    const first = run('http-address = 127.0.0.1:18301\nthreads = 2\n');
    expect(first.exitCode, first.stderr).toBe(0);
    const moved = run('http-address = 127.0.0.1:18302\nthreads = 2\n');
    expect(moved.exitCode, moved.stderr).toBe(0);
    expect(moved.stderr).toContain('instance: installed');
    expect(moved.stderr).toContain(SKIPPED);
    expect(readFileSync(join(root, 'parts/instance/etc/wsgi.ini'), 'utf8')).toContain('127.0.0.1:18302');
    const threads = run('http-address = 127.0.0.1:18302\nthreads = 3\n');
    expect(threads.exitCode, threads.stderr).toBe(0);
    expect(threads.stderr).toContain('instance: installed');
    expect(threads.stderr).not.toContain(SKIPPED);
  });

  it('a missing wsgi-ini-template names the option and the file', () => {
    expect(install('user = admin:admin\n').exitCode).toBe(0);
    const r = install('user = admin:admin\nwsgi-ini-template = missing.ini.in\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('the wsgi-ini-template <root>/missing.ini.in does not exist');
    expect(r.stderr).toMatch(/at <root>\/buildout\.cfg:\d+ \[instance\] wsgi-ini-template/);
  });
});
