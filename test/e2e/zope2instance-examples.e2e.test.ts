// The example buildouts (examples/<server>.cfg + the demo overlay) install with
// the real CLI and give each WSGI server a wsgi.ini that Python's configparser
// and PasteDeploy accept, pointing at the right server.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const CHECK = join(PROJECT_ROOT, 'test', 'fixtures', 'zope2instance', 'wsgi-check.py');

let root: string;
beforeAll(() => {
  root = testdir();
  for (const dir of ['examples', 'templates', 'demo/zope-standin']) {
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true, filter: (src) => !/(__pycache__|\.egg-info|\/parts$|\/bin$|\/var$|\.buildout$|\.installed\.cfg$)/.test(src) });
  }
});

const EXPECTED: Record<string, { use: string; keys: Record<string, string> }> = {
  waitress: { use: 'egg:waitress#main', keys: { listen: '127.0.0.1:8080', threads: '4' } },
  bjoern: { use: 'egg:dataflake.wsgi.bjoern#main', keys: { listen: '127.0.0.1:8080', reuse_port: 'True' } },
  cheroot: { use: 'egg:dataflake.wsgi.cheroot#main', keys: { host: '127.0.0.1', port: '8080' } },
  werkzeug: { use: 'egg:dataflake.wsgi.werkzeug#main', keys: { hostname: '127.0.0.1', port: '8080' } },
  gunicorn: { use: 'egg:gunicorn#main', keys: { host: '127.0.0.1', workers: '1' } },
};

function check(ini: string, load: boolean) {
  // loading needs the buildout's environment (the Zope stand-in lives there); parsing any python3
  const python = load ? join(root, 'examples', '.buildout', 'venv', 'bin', 'python') : '/usr/bin/python3';
  const r = spawnSync(python, [CHECK, ini, ...(load ? ['load'] : [])], { encoding: 'utf8', cwd: root });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { sections: string[]; server: Record<string, string>; pipeline: string[]; server_loaded?: boolean | string; app?: string };
}

describe('examples/<server>.cfg with the demo overlay', () => {
  it.each(Object.keys(EXPECTED))('%s installs and its wsgi.ini serves the right server', (server) => {
    const r = runCli(['-c', `examples/${server}.cfg`, 'buildout:extends=examples/demo.cfg'], { cwd: root });
    expect(r.stderr, r.stdout + r.stderr).not.toMatch(/Error|Traceback/);
    expect(r.exitCode, r.stderr).toBe(0);
    const ini = join(root, 'examples', 'parts', 'instance', 'etc', 'wsgi.ini');
    const text = readFileSync(ini, 'utf8');
    // the example template, rendered: no %( left except the logging formats' own
    expect(text.match(/%\(\w+\)s/g)?.every((m) => ['%(asctime)s', '%(name)s', '%(lineno)s', '%(threadName)s', '%(message)s'].includes(m))).toBe(true);
    const facts = check(ini, server === 'waitress' || server === 'gunicorn');
    expect(facts.server).toMatchObject({ use: EXPECTED[server]!.use, ...EXPECTED[server]!.keys });
    expect(facts.sections).toEqual(expect.arrayContaining(['app:zope', 'pipeline:main', 'loggers', 'handler_eventlog', 'formatter_generic']));
    expect(facts.pipeline).toEqual(server === 'werkzeug' ? ['translogger', 'egg:Zope#httpexceptions', 'egg:Zope#content_length', 'zope'] : ['translogger', 'egg:Zope#httpexceptions', 'zope']);
    if (facts.app !== undefined) {
      // Debian's waitress and gunicorn runners resolve, and the pipeline builds on the Zope stand-in
      expect(facts.server_loaded).toBe(true);
      expect(facts.app).not.toBe('');
    }
    const zopeConf = readFileSync(join(root, 'examples', 'parts', 'instance', 'etc', 'zope.conf'), 'utf8');
    expect(zopeConf).toContain(`      blob-dir ${root}/examples/var/blobstorage\n      shared-blob-dir on\n      server 8100\n`);
    expect(readFileSync(join(root, 'examples', 'parts', 'instance', 'inituser'), 'utf8')).toBe('admin:{SHA}0DPiKuNIrrVmD8IUCuw1hQxNqZc=\n');
    expect(readFileSync(join(root, 'examples', 'parts', 'zeo', 'etc', 'zeo.conf'), 'utf8')).toContain('<zeo>\n  address 8100\n');
  });

  it('the built-in wsgi.ini (base.cfg alone) loads in PasteDeploy with our own server factory', () => {
    const r = runCli(['-c', 'examples/base.cfg', 'buildout:extends=examples/demo.cfg'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    const facts = check(join(root, 'examples', 'parts', 'instance', 'etc', 'wsgi.ini'), false);
    expect(facts.server).toMatchObject({ use: 'egg:buildout-ts-wsgi#main', 'fast-listen': '0.0.0.0:8080' });
    const venvPython = join(root, 'examples', '.buildout', 'venv', 'bin', 'python');
    const ep = spawnSync(venvPython, ['-c', "from importlib.metadata import entry_points as e; print(sorted(x.name for x in e(group='paste.server_factory')))"], { encoding: 'utf8' });
    expect(ep.stdout).toContain("'main'");
  });
});
