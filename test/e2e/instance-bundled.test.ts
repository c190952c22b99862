// installWsgiSupport (no pip: copy + .dist-info) and renderControlScript (safe embedding).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS, PYTHON_SOURCE_DIR, installWsgiSupport, installWsgiSupportSync } from '../../src/python/bundled.js';
import type { PythonEnv } from '../../src/python/types.js';
import { renderControlScript, type ControlScriptOptions } from '../../src/recipes/zope2instance/control-script.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { testEnv } from '../fixtures/instance/envs.js';

// the cached servers environment's interpreter (it has PasteDeploy); PYTHONPATH adds what a test installs
let PY: string;
beforeAll(async () => {
  PY = (await testEnv('servers')).python;
}, 600_000);

function py(code: string, pythonPath: string[]): { code: number | null; out: string } {
  const r = spawnSync(PY, ['-c', code], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath.join(':') } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('installWsgiSupport', () => {
  it('makes the package and its entry points visible to importlib.metadata and PasteDeploy', async () => {
    const site = testdir();
    await installWsgiSupport({ sitePackages: site, python: PY } as PythonEnv);
    // precompiled, so bin/instance does not compile the package on every start
    expect(readdirSync(join(site, 'buildout_ts_wsgi', '__pycache__')).filter((f) => f.startsWith('ctl.') && f.endsWith('.pyc'))).toHaveLength(1);
    const r = py(
      [
        'from importlib import metadata',
        'd = metadata.distribution("buildout-ts-wsgi")',
        'print(d.version, d.read_text("INSTALLER").strip())',
        'print(sorted((e.group, e.name) for e in d.entry_points))',
        'from paste.deploy.loadwsgi import EggLoader, SERVER, FILTER',
        'print(EggLoader("buildout-ts-wsgi").find_egg_entry_point(SERVER, "main")[1])',
        'print(EggLoader("buildout-ts-wsgi").find_egg_entry_point(FILTER, "sentry")[1])',
        'import buildout_ts_wsgi, os; print(os.path.dirname(buildout_ts_wsgi.__file__))',
      ].join('\n'),
      [site],
    );
    expect(r.code, r.out).toBe(0);
    const version = /__version__ = "([^"]+)"/.exec(readFileSync(join(PYTHON_SOURCE_DIR, 'buildout_ts_wsgi', '__init__.py'), 'utf8'))![1];
    expect(r.out.split('\n')).toEqual([
      `${version} buildout-ts`,
      "[('paste.filter_app_factory', 'sentry'), ('paste.server_factory', 'granian'), ('paste.server_factory', 'main'), ('paste.server_runner', 'main')]",
      'paste.server_factory',
      'paste.filter_app_factory',
      join(site, 'buildout_ts_wsgi'),
      '',
    ]);
  });

  it('writes a RECORD whose hashes and sizes match the files', () => {
    const site = testdir();
    installWsgiSupportSync(site);
    const distInfo = readdirSync(site).find((n) => n.endsWith('.dist-info'))!;
    const check = py(
      [
        'import base64, hashlib, os, sys',
        `site = ${JSON.stringify(site)}`,
        `rows = [l.split(",") for l in open(os.path.join(site, ${JSON.stringify(distInfo)}, "RECORD")).read().splitlines()]`,
        'bad = []',
        'for path, h, size in rows:',
        '    if not h: continue',
        '    data = open(os.path.join(site, path), "rb").read()',
        '    d = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()',
        '    if h != "sha256=" + d or int(size) != len(data): bad.append(path)',
        'print(len(rows), bad)',
      ].join('\n'),
      [],
    );
    expect(check.code, check.out).toBe(0);
    const [count, bad] = check.out.trim().split(' ', 2);
    expect(Number(count)).toBeGreaterThan(10);
    expect(bad).toBe('[]');
  });

  it('is a no-op when the installed content matches, and replaces module and dist-info when it changed', () => {
    const site = testdir();
    const src = join(testdir(), 'buildout_ts_wsgi');
    cpSync(join(PYTHON_SOURCE_DIR, 'buildout_ts_wsgi'), src, { recursive: true, filter: (p) => !p.includes('__pycache__') });
    expect(installWsgiSupportSync(site, src)).toBe(true);
    const stamp = statSync(join(site, 'buildout_ts_wsgi', 'serve.py')).mtimeMs;
    expect(installWsgiSupportSync(site, src)).toBe(false);
    expect(statSync(join(site, 'buildout_ts_wsgi', 'serve.py')).mtimeMs).toBe(stamp);

    // a new version: new dist-info, the old one removed, the module replaced (a stale file goes too)
    writeFileSync(join(site, 'buildout_ts_wsgi', 'stale.py'), '# left over\n');
    writeFileSync(join(src, '__init__.py'), '__version__ = "9.9.9"\n');
    expect(installWsgiSupportSync(site, src)).toBe(true);
    expect(readdirSync(site).sort()).toEqual(['buildout_ts_wsgi', 'buildout_ts_wsgi-9.9.9.dist-info']);
    expect(existsSync(join(site, 'buildout_ts_wsgi', 'stale.py'))).toBe(false);
    expect(readFileSync(join(site, 'buildout_ts_wsgi', '__init__.py'), 'utf8')).toContain('9.9.9');
  });

  it('declares the same entry points as python/pyproject.toml', () => {
    const toml = readFileSync(join(PYTHON_SOURCE_DIR, 'pyproject.toml'), 'utf8');
    // every `name = value` line under each group heading
    const entries = (text: string, heading: RegExp, line: RegExp) =>
      text.split(/\n(?=\[)/).flatMap((block) => {
        const group = heading.exec(block)?.[1];
        return group ? [...block.matchAll(line)].map((m) => `${group} ${m[1]} ${m[2]}`) : [];
      }).sort();
    const fromToml = entries(toml, /^\[project\.entry-points\."([^"]+)"\]/, /^(\w+) = "([^"]+)"$/gm);
    const fromTs = entries(ENTRY_POINTS, /^\[([^\]]+)\]/, /^(\w+) = (\S+)$/gm);
    expect(fromToml.length).toBe(4);
    expect(fromTs).toEqual(fromToml);
  });
});

describe('renderControlScript', () => {
  const nasty = `it's "quoted" \\ back\\slash\nnew line\t tab ünïcödé ''' """ %(x)s \${y} \u2028`;
  function render(root: string, extra: Partial<ControlScriptOptions> = {}): string {
    const script = join(root, 'bin', 'instance');
    const text = renderControlScript({
      python: PY,
      part: 'instance',
      buildoutDirectory: join(root, nasty),
      location: join(root, 'parts', 'instance'),
      zopeConf: join(root, 'parts', 'instance', 'etc', 'zope.conf'),
      wsgiIni: join(root, 'parts', 'instance', 'etc', 'wsgi.ini'),
      clientHome: join(root, 'var', 'instance'),
      pidFile: join(root, 'var', 'instance.pid'),
      ...extra,
    });
    cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'instance', 'fake-ctl'), join(root, 'fake'), { recursive: true });
    writeFileSync(script, text);
    chmodSync(script, 0o755);
    return script;
  }

  it('passes every setting through unchanged, whatever characters it contains, and the user arguments after them', () => {
    const root = testdir({ 'bin/.keep': '' });
    const script = render(root, {
      eventLog: nasty,
      umask: 0o22,
      extraPaths: [join(root, 'fake'), nasty],
      initialization: 'import sys\nsys._init_marker = "ran %s" % len(sys.argv)',
    });
    const r = spawnSync(script, ['start', nasty], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(7);
    const got = JSON.parse(r.stdout);
    expect(got.kwargs).toEqual({
      part: 'instance',
      python: PY,
      buildout_directory: join(root, nasty),
      location: join(root, 'parts', 'instance'),
      zope_conf: join(root, 'parts', 'instance', 'etc', 'zope.conf'),
      wsgi_ini: join(root, 'parts', 'instance', 'etc', 'wsgi.ini'),
      client_home: join(root, 'var', 'instance'),
      pid_file: join(root, 'var', 'instance.pid'),
      event_log: nasty,
      umask: 0o22,
      initialization: 'import sys\nsys._init_marker = "ran %s" % len(sys.argv)',
      extra_paths: [join(root, 'fake'), nasty],
      argv: ['start', nasty],
    });
    expect(got.path.slice(0, 2)).toEqual([join(root, 'fake'), nasty]);
    expect(got.init).toBe('ran 3');
  });

  it('uses None for absent optional settings and starts with the shebang', () => {
    const root = testdir({ 'bin/.keep': '' });
    const script = render(root, { extraPaths: [] });
    expect(readFileSync(script, 'utf8').split('\n')[0]).toBe(`#!${PY}`);
    const r = spawnSync(script, [], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(root, 'fake') } });
    const got = JSON.parse(r.stdout);
    expect([got.kwargs.event_log, got.kwargs.umask, got.kwargs.initialization, got.kwargs.extra_paths, got.kwargs.argv]).toEqual([null, null, null, [], []]);
  });

  it('starts Python with -S and adds only the given site-packages when there is no initialization', () => {
    const root = testdir({ 'bin/.keep': '' });
    const script = render(root, { sitePackages: join(root, 'fake') });
    expect(readFileSync(script, 'utf8').split('\n')[0]).toBe(`#!${PY} -S`);
    // no PYTHONPATH: the ctl package is found through sitePackages alone
    const r = spawnSync(script, ['status'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(7);
    const got = JSON.parse(r.stdout);
    expect(got.kwargs.argv).toEqual(['status']);
    // initialization is user code that may need the site module: no -S then
    const withInit = render(testdir({ 'bin/.keep': '' }), { sitePackages: join(root, 'fake'), initialization: 'x = 1' });
    expect(readFileSync(withInit, 'utf8').split('\n')[0]).toBe(`#!${PY}`);
  });

  it('refuses a relative or multi-line python (the shebang) and a bad umask, naming the value', () => {
    const base = { part: 'i', buildoutDirectory: '/b', location: '/b/p', zopeConf: '/z', wsgiIni: '/w', clientHome: '/c', pidFile: '/p' };
    expect(() => renderControlScript({ ...base, python: 'python3' })).toThrow(/python must be an absolute path on one line.*"python3"/);
    expect(() => renderControlScript({ ...base, python: '/usr/bin/python3\nimport os' })).toThrow(/python must be an absolute path/);
    expect(() => renderControlScript({ ...base, python: '/usr/bin/python3', umask: 0o1777 })).toThrow(/umask must be an integer 0\.\.0o777, got 1023/);
    expect(() => renderControlScript({ ...base, python: '/usr/bin/python3', pidFile: '' })).toThrow(/pidFile must be a non-empty string/);
  });
});
