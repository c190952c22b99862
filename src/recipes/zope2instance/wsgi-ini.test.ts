import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import { parseIniStrict } from './ini-check.js';
import { didYouMean, renderWsgiIni, type TemplateFile } from './wsgi-ini.js';
import { buildWsgiVars } from './wsgi-vars.js';

const render = async (options: Record<string, string> = {}, templates: { template?: TemplateFile; loggingTemplate?: TemplateFile } = {}) => {
  const { vars, pipeline } = buildWsgiVars({ part: 'instance', options, location: '/bd/parts/instance', varDir: '/bd/var' });
  return renderWsgiIni({ part: 'instance', options, vars, pipeline, ...templates });
};
const tpl = (text: string): TemplateFile => ({ file: '/bd/templates/x.ini.in', text });
const catchErr = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('wsgi.ini (built-in template)', () => {
  it('renders the head and logging part, pointing at our own server factory and sentry filter', async () => {
    const { text, warnings } = await render();
    expect(warnings).toEqual([]);
    expect(text).toMatchInlineSnapshot(`
      "[server:main]
      paste.server_factory = buildout_ts_wsgi.servers:server_factory
      use = egg:buildout-ts-wsgi#main
      fast-listen = 0.0.0.0:8080
      threads = 4
      clear_untrusted_proxy_headers = false
      max_request_body_size = 1073741824
      asyncore_use_poll = false


      [app:zope]
      use = egg:Zope#main
      zope_conf = /bd/parts/instance/etc/zope.conf

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
      log_filename = /bd/var/log/profile-instance.raw
      cachegrind_filename = /bd/var/log/cachegrind.out.instance
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
      level = INFO
      handlers = console, eventlog

      [logger_plone]
      level = INFO
      handlers = eventlog
      qualname = plone

      [logger_waitress.queue]
      level = INFO
      handlers = eventlog
      qualname = waitress.queue
      propagate = 0

      [logger_waitress]
      level = INFO
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
      args = (r'/bd/var/log/instance-access.log', 'a')
      kwargs = {}
      level = INFO
      formatter = message

      [handler_eventlog]
      class = FileHandler
      args = (r'/bd/var/log/instance.log', 'a')
      kwargs = {}
      level = NOTSET
      formatter = generic

      [formatter_generic]
      format = %(asctime)s %(levelname)-7.7s [%(name)s:%(lineno)s][%(threadName)s] %(message)s

      [formatter_message]
      format = %(message)s
      "
    `);
  });

  it('normalises http-address, honours fast-listen off, and edits the pipeline (access log off, sentry, profile)', async () => {
    const { text } = await render({
      'http-address': '8081 127.0.0.1:8082 [::1]:8083',
      'http-fast-listen': 'off',
      threads: '2',
      'access-log': 'disable',
      sentry_dsn: 'https://k@sentry.example/1',
      profile: ' on ',
      'event-log-args': "(r'{}', 'a', 'utf-8', {{'x': 1}})",
      'asyncore-use-poll': 'On',
    });
    const ini = parseIniStrict(text);
    expect(ini.get('server:main')?.get('listen')).toBe('0.0.0.0:8081 127.0.0.1:8082 [::1]:8083');
    expect(ini.get('server:main')?.has('fast-listen')).toBe(false);
    expect(ini.get('server:main')?.get('asyncore_use_poll')).toBe('true');
    expect(ini.get('pipeline:main')?.get('pipeline')).toBe('\negg:Zope#httpexceptions\nsentry\nprofile\nzope');
    expect(ini.get('handler_accesslog')?.get('class')).toBe('NullHandler');
    expect(ini.get('handler_accesslog')?.get('args')).toBe('()');
    expect(ini.get('logger_plone')?.get('handlers')).toBe('');
    expect(ini.get('handler_eventlog')?.get('args')).toBe("(r'/bd/var/log/instance.log', 'a', 'utf-8', {'x': 1})");
  });

  it('with the event log disabled the root logger keeps only the console', async () => {
    const ini = parseIniStrict((await render({ 'event-log': 'disable' })).text);
    expect(ini.get('logger_root')?.get('handlers')).toBe('console');
    expect(ini.get('handler_eventlog')?.get('args')).toBe("(r'disable', 'a')");
  });

  it('appends a wsgi-logging-ini-template after the built-in head', async () => {
    const { text } = await render({}, { loggingTemplate: tpl('[loggers]\nkeys = root\n\n[logger_root]\nlevel = %(eventlog_level)s\nhandlers =\n') });
    expect(text.endsWith('[pipeline:main]\npipeline =\n    translogger\n    egg:Zope#httpexceptions\n    zope\n\n[loggers]\nkeys = root\n\n[logger_root]\nlevel = INFO\nhandlers =\n')).toBe(true);
  });
});

describe('wsgi.ini (user template)', () => {
  it('renders %(name)s / %% and writes the text unchanged', async () => {
    const { text } = await render({}, { template: tpl('[server:main]\nuse = egg:waitress#main\nlisten = %(http_address)s\n\n[app:main]\nuse = egg:Zope#main\nzope_conf = %(location)s/etc/zope.conf\n\n[formatter_x]\nformat = %%(message)s\n') });
    expect(text).toBe('[server:main]\nuse = egg:waitress#main\nlisten = 0.0.0.0:8080\n\n[app:main]\nuse = egg:Zope#main\nzope_conf = /bd/parts/instance/etc/zope.conf\n\n[formatter_x]\nformat = %(message)s\n');
  });

  it('names the file, line and unknown variable, with a did-you-mean', async () => {
    const err = await catchErr(render({}, { template: tpl('[server:main]\nuse = egg:waitress#main\nlisten = %(http_adress)s\n') }));
    expect(isBuildoutError(err)).toBe(true);
    expect(err).toMatchObject({ section: 'instance', option: 'wsgi-ini-template', loc: { file: '/bd/templates/x.ini.in', line: 3 } });
    expect((err as Error).message).toContain('/bd/templates/x.ini.in:3: unknown variable %(http_adress)s');
    expect((err as { hint: string }).hint).toMatch(/^did you mean %\(http_address\)s\?/);
    expect(didYouMean('event_log')).toBe('eventlog_name');
    expect(didYouMean('completely_unrelated_name')).toBeUndefined();
  });

  it('reports a lone % and configparser problems of the rendered text', async () => {
    expect(((await catchErr(render({}, { template: tpl('[a]\nx = 100%\n') }))) as Error).message).toMatch(/x.ini.in:2: unsupported format character '\\n' \(0xa\)/);
    const dup = (await catchErr(render({}, { template: tpl('[server:main]\nuse = a\n[server:main]\nuse = b\n') }))) as Error;
    expect(isBuildoutError(dup)).toBe(true);
    expect(dup.message).toMatch(/line 3: section \[server:main\] already exists/);
  });
});

describe('server / pipeline combinations', () => {
  const werkzeug = tpl('[server:main]\nuse = egg:dataflake.wsgi.werkzeug#main\nhostname = 127.0.0.1\nport = 8080\n\n[app:zope]\nuse = egg:Zope#main\n\n[pipeline:main]\npipeline =\n    %(pipeline)s\n');

  it('inserts egg:Zope#content_length before zope for werkzeug, and says so', async () => {
    const r = await render({}, { template: werkzeug });
    expect(parseIniStrict(r.text).get('pipeline:main')?.get('pipeline')).toBe('\ntranslogger\negg:Zope#httpexceptions\negg:Zope#content_length\nzope');
    expect(r.warnings).toEqual([expect.stringMatching(/werkzeug: added egg:Zope#content_length before zope .* content-length-filter = off/)]);
  });

  it('leaves the pipeline alone with content-length-filter = off, or when the filter is there already', async () => {
    expect((await render({ 'content-length-filter': 'off' }, { template: werkzeug })).text).not.toContain('content_length');
    const r = await render({ pipeline: 'egg:Zope#content_length zope' }, { template: werkzeug });
    expect(r.warnings).toEqual([]);
    expect(r.text.match(/content_length/g)).toHaveLength(1);
  });

  it('adds the filter for any server with content-length-filter = on, without a warning', async () => {
    const r = await render({ 'content-length-filter': 'on' });
    expect(r.warnings).toEqual([]);
    expect(r.pipeline).toEqual(['translogger', 'egg:Zope#httpexceptions', 'egg:Zope#content_length', 'zope']);
  });

  it('warns when a werkzeug template hard-codes its pipeline', async () => {
    const r = await render({}, { template: tpl('[server:main]\nuse = egg:werkzeug#main\n\n[pipeline:main]\npipeline = zope\n') });
    expect(r.warnings.some((w) => w.includes('does not use %(pipeline)s'))).toBe(true);
  });

  it('warns about cheroot keys that make it fail, http-address a template ignores, gunicorn workers on FileStorage', async () => {
    const cheroot = await render({ 'http-address': '9000' }, { template: tpl('[server:main]\nuse = egg:dataflake.wsgi.cheroot#main\nhost = 127.0.0.1\nport = 8080\nthreads = 4\n') });
    expect(cheroot.warnings).toEqual([
      expect.stringContaining('http-address = 9000 has no effect: your wsgi-ini-template does not use %(http_address)s (the server uses host = 127.0.0.1, port = 8080)'),
      expect.stringContaining('cheroot passes unknown [server:main] keys to its server and fails at start: remove threads'),
    ]);
    const gunicorn = await render({}, { template: tpl('[server:main]\nuse = egg:gunicorn#main\nworkers = 3\n') });
    expect(gunicorn.warnings).toEqual([expect.stringContaining('FileStorage (Data.fs) can be opened by one process only')]);
    const bjoern = await render({ 'http-address': '8080 8081' }, { template: tpl('[server:main]\nuse = egg:dataflake.wsgi.bjoern#main\nlisten = %(http_address)s\n') });
    expect(bjoern.warnings).toEqual([expect.stringContaining('bjoern listens on one IPv4 host:port only')]);
  });

  it('granian: workers > 1 on a FileStorage, and a threads option its [server:main] does not use', async () => {
    const granian = (body: string) => tpl(`[server:main]\nuse = egg:buildout-ts-wsgi#granian\nlisten = %(http_address)s\n${body}`);
    const files = await render({ threads: '8' }, { template: granian('workers = 2\n') });
    expect(files.warnings).toEqual([
      expect.stringContaining('granian with workers = 2 starts 2 Zope processes, but a FileStorage (Data.fs) can be opened by one process only'),
      expect.stringContaining('threads = 8 has no effect: [server:main] of granian has no threads key (add threads = %(threads)s'),
    ]);
    const zeo = await render({ 'zeo-client': 'on', threads: '8' }, { template: granian('workers = 2\nthreads = %(threads)s\n') });
    expect(zeo.warnings).toEqual([]);
    expect(zeo.text).toMatch(/^threads = 8$/m);
  });
});
