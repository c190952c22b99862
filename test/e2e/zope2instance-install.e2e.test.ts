// plone.recipe.zope2instance through the real CLI: the files of a
// representative ZEO-client part (whole-file snapshots), modes, errors that
// name section and option, and the werkzeug content_length fix.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir, transformPaths } from '../helpers/testdir.js';

let root: string;
const HEAD = `[buildout]
parts = instance
executable = /usr/bin/python3
include-site-packages = true

[instance]
recipe = plone.recipe.zope2instance
eggs =
`;

beforeAll(() => {
  root = testdir();
});

function install(cfg: string) {
  writeFileSync(join(root, 'buildout.cfg'), HEAD + cfg);
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
    my.package
    my.package-meta
zcml-additional = <include package="my.other" />
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
      <zodb_db temporary>
          # Temporary storage database (for sessions)
          <temporarystorage>
            name temporary storage for sessioning
          </temporarystorage>
          mount-point /temp_folder
          container-class Products.TemporaryFolder.TemporaryContainer
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
        "002-my.package-configure.zcml": "<include package="my.package" file="configure.zcml" />
      ",
        "003-my.package-meta.zcml": "<include package="my.package" file="meta.zcml" />
      ",
        "999-additional-overrides.zcml": "<configure xmlns="http://namespaces.zope.org/zope">
          <include package="my.other" />
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
    writeFileSync(join(root, 'wz.ini.in'), '[server:main]\nuse = egg:dataflake.wsgi.werkzeug#main\nhostname = 127.0.0.1\nport = 8080\n\n[app:zope]\nuse = egg:Zope#main\nzope_conf = %(location)s/etc/zope.conf\n\n[pipeline:main]\npipeline =\n    %(pipeline)s\n');
    const r = install('user = admin:admin\nwsgi-ini-template = ${buildout:directory}/wz.ini.in\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain('added egg:Zope#content_length before zope');
    expect(read('parts/instance/etc/wsgi.ini')).toContain('pipeline =\n    translogger\n    egg:Zope#httpexceptions\n    egg:Zope#content_length\n    zope\n');
    const off = install('user = admin:admin\nwsgi-ini-template = ${buildout:directory}/wz.ini.in\ncontent-length-filter = off\n');
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stderr + off.stdout).not.toContain('content_length');
    expect(read('parts/instance/etc/wsgi.ini')).not.toContain('content_length');
  });
});
