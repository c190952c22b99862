// `buildout plan` and `install --plan` through the real CLI, on real zope2instance (the
// real Zope from PyPI, pinned by examples/versions.cfg), zeoserver, collective.recipe.template
// and mkdir parts: what would change and why, diffs that the following install really
// produces, and no side effect at all.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN, PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;

function config(o: { threads?: string; zeo?: string; greeting?: string; data?: boolean; template?: boolean } = {}): string {
  return [
    '[buildout]',
    `extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}`,
    `parts = zeo instance conf${o.data === false ? '' : ' data'}`,
    '',
    '[zeo]',
    'recipe = plone.recipe.zeoserver',
    'eggs =',
    `zeo-address = ${o.zeo ?? '127.0.0.1:8100'}`,
    '',
    '[instance]',
    'recipe = plone.recipe.zope2instance',
    'eggs =',
    'user = admin:admin',
    'zeo-client = on',
    'zeo-address = ${zeo:zeo-address}',
    'http-address = 127.0.0.1:8080',
    `threads = ${o.threads ?? '2'}`,
    ...(o.template ? ['wsgi-ini-template = ${buildout:directory}/wsgi.ini.in'] : []),
    '',
    '[conf]',
    'recipe = collective.recipe.template',
    'input = app.conf.in',
    'output = ${buildout:directory}/etc/app.conf',
    `greeting = ${o.greeting ?? 'hello'}`,
    '',
    '[data]',
    'recipe = buildout-ts:mkdir',
    'paths = var/data',
    '',
  ].join('\n');
}

function project(): string {
  return testdir({
    'buildout.cfg': config(),
    'app.conf.in': '[app]\ngreeting = ${greeting}\nzeo = ${zeo:zeo-address}\n',
    'wsgi.ini.in': '[server:main]\nuse = egg:waitress#main\nlisten = %(http_address)s\nthreads = %(threads)s\n\n[app:zope]\nuse = egg:Zope#main\nzope_conf = %(location)s/etc/zope.conf\n\n[pipeline:main]\npipeline = zope\n',
  });
}

/** Every path with its mtime and content: what "nothing changed" means. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      out.set(p, `${st.mtimeMs} ${st.mode} ${st.isDirectory() ? '' : readFileSync(p, 'utf8')}`);
    }
  };
  walk(root);
  return out;
}

/** Applies a unified diff made by `buildout plan` to the old text (`\\ No newline at end of file` included). */
function applyDiff(old: string, diff: string): string {
  const lines = old === '' ? [] : old.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let i = 0;
  let newEndsWithoutNewline = false;
  const body = diff.split('\n').slice(2);
  for (let k = 0; k < body.length; k++) {
    const l = body[k]!;
    const hunk = /^@@ -(\d+)(?:,(\d+))?/.exec(l);
    if (hunk) {
      const start = Number(hunk[2] === '0' ? hunk[1] : Number(hunk[1]) - 1);
      while (i < start) out.push(lines[i++]!);
      continue;
    }
    if (l.startsWith(' ')) out.push(lines[i++]!);
    else if (l.startsWith('-')) i++;
    else if (l.startsWith('+')) out.push(l.slice(1));
    else if (l.startsWith('\\') && /^[ +]/.test(body[k - 1] ?? '')) newEndsWithoutNewline = true;
  }
  const tail = i < lines.length;
  while (i < lines.length) out.push(lines[i++]!);
  if (!out.length) return '';
  return out.join('\n') + ((tail ? old.endsWith('\n') : !newEndsWithoutNewline) ? '\n' : '');
}

interface Report {
  noop: boolean;
  parts: { part: string; action: string; reasons: { kind: string; option?: string; old?: string; new?: string; file?: string; files?: string[] }[]; files: { path: string; change: string; diff?: string }[]; note?: string }[];
  environment: { changed: boolean };
  summary: Record<string, number>;
}

function plan(root: string, args: string[] = []): Report {
  const r = runCli(['plan', '--json', ...args], { cwd: root });
  expect(r.stderr).not.toMatch(STACK);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('buildout plan', () => {
  it('before the first install: every part to install, the generated files it would create, and nothing written', () => {
    const root = project();
    const before = snapshot(root);
    const r = runCli(['plan'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('instance: install (plone.recipe.zope2instance)\n    new part\n');
    expect(r.stdout).toContain('    create parts/instance/etc/zope.conf\n    create parts/instance/etc/wsgi.ini\n    create parts/instance/etc/site.zcml\n');
    expect(r.stdout).toContain('    create parts/zeo/etc/zeo.conf\n');
    expect(r.stdout).toContain('conf: install (collective.recipe.template)\n    new part\n    create etc/app.conf\n');
    expect(r.stdout).toContain('data: install (buildout-ts:mkdir)\n    new part\n    would run the recipe');
    // the environment would be made: the installer resolved the distributions (nothing installed)
    expect(r.stdout).toContain('Python environment: would change\n    it would be created\n');
    expect(r.stdout).toMatch(/^ {4}\+ zope 6\.2$/m);
    expect(r.stdout).toMatch(/Plan: 4 to install, 0 to reinstall, 0 to update, 0 to uninstall, 0 unchanged; the Python environment changes\.\n$/);
    expect(snapshot(root)).toEqual(before); // no .buildout, no lock, no bin/
    expect(existsSync(join(root, '.buildout'))).toBe(false);
  });

  it('after an install: nothing to do, and the no-op says so', () => {
    const root = project();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const r = runCli(['plan'], { cwd: root });
    expect(r.stdout).toBe('unchanged: zeo, instance, conf, data\nNothing to do.\n');
    expect(plan(root)).toMatchObject({ noop: true, summary: { keep: 4, install: 0, reinstall: 0, uninstall: 0 } });
  });

  it('says why each part changes, with old and new values and diffs that the install then really produces', () => {
    const root = project();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), config({ threads: '4', zeo: '127.0.0.1:8200', greeting: 'bonjour', data: false }));
    const before = snapshot(root);
    const text = runCli(['plan'], { cwd: root });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain("zeo: reinstall (plone.recipe.zeoserver)\n    zeo-address: '127.0.0.1:8100' -> '127.0.0.1:8200'\n    modify parts/zeo/etc/zeo.conf\n");
    expect(text.stdout).toContain("instance: reinstall (plone.recipe.zope2instance)\n    threads: '2' -> '4'\n    zeo-address: '127.0.0.1:8100' -> '127.0.0.1:8200'\n");
    expect(text.stdout).toMatch(/ {6}--- parts\/instance\/etc\/wsgi\.ini \(installed\)\n {6}\+\+\+ parts\/instance\/etc\/wsgi\.ini \(planned\)\n/);
    expect(text.stdout).toContain('      -threads = 2\n      +threads = 4\n');
    expect(text.stdout).toContain('      -      server 127.0.0.1:8100\n      +      server 127.0.0.1:8200\n');
    expect(text.stdout).toContain("conf: reinstall (collective.recipe.template)\n    greeting: 'hello' -> 'bonjour'\n    the rendered template changed\n    modify etc/app.conf\n");
    expect(text.stdout).toContain('data: uninstall (buildout-ts:mkdir)\n    not in the configuration any more\n    delete var/data\n');
    expect(text.stdout).toMatch(/Plan: 0 to install, 3 to reinstall, 0 to update, 1 to uninstall, 0 unchanged\.\n$/);
    const report = plan(root);
    expect(snapshot(root)).toEqual(before);

    // the install writes exactly what the plan showed
    const old = new Map<string, string>();
    const changes = report.parts.flatMap((p) => p.files).filter((f) => f.change === 'modify');
    expect(changes.map((f) => f.path).sort()).toEqual(['etc/app.conf', 'parts/instance/etc/wsgi.ini', 'parts/instance/etc/zope.conf', 'parts/zeo/etc/zeo.conf']);
    for (const f of changes) old.set(f.path, readFileSync(join(root, f.path), 'utf8'));
    const r = runCli([], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const f of changes) expect(applyDiff(old.get(f.path)!, f.diff!), f.path).toBe(readFileSync(join(root, f.path), 'utf8'));
    expect(existsSync(join(root, 'var/data'))).toBe(false);
    expect(plan(root).noop).toBe(true);
  });

  it('names a changed input file and missing files', () => {
    const root = project();
    writeFileSync(join(root, 'buildout.cfg'), config({ template: true }));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const template = join(root, 'wsgi.ini.in');
    writeFileSync(template, readFileSync(template, 'utf8').replace('[app:zope]', 'clear_untrusted_proxy_headers = true\n\n[app:zope]'));
    const later = new Date(Date.now() + 5000);
    utimesSync(template, later, later);
    rmSync(join(root, 'bin', 'zeo'));
    const report = plan(root);
    const instance = report.parts.find((p) => p.part === 'instance')!;
    expect(instance.action).toBe('reinstall');
    expect(instance.reasons).toEqual([{ kind: 'input-file', file: template }]);
    expect(instance.files).toEqual([{ path: 'parts/instance/etc/wsgi.ini', change: 'modify', diff: expect.stringContaining('+clear_untrusted_proxy_headers = true\n') }]);
    const zeo = report.parts.find((p) => p.part === 'zeo')!;
    expect(zeo.reasons).toEqual([{ kind: 'files-missing', files: [join(root, 'bin', 'zeo')] }]);
    expect(zeo.files).toEqual([]); // zeo.conf would be written again unchanged
    const text = runCli(['plan'], { cwd: root }).stdout;
    expect(text).toContain(`instance: reinstall (plone.recipe.zope2instance)\n    input file changed: ${template}\n`);
    expect(text).toContain(`zeo: reinstall (plone.recipe.zeoserver)\n    files missing: ${join(root, 'bin', 'zeo')}\n`);
  });

  it('an option a recipe rejects is the error install would give, with its location', () => {
    const root = project();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'wsgi.ini.in'), '[server:main]\nuse = egg:waitress#main\nthreads = 1\nthreads = 2\n');
    writeFileSync(join(root, 'buildout.cfg'), config({ template: true }));
    const r = runCli(['plan'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('duplicate key');
    expect(r.stderr).toContain(`at ${join(root, 'wsgi.ini.in')}:4 [instance] wsgi-ini-template`);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('install --plan', () => {
  it('without a terminal (CI) prints the plan on stderr and goes on; -y too; stdout stays --json\'s', () => {
    const root = project();
    const r = runCli(['install', '--plan', '--json'], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^instance: install \(plone\.recipe\.zope2instance\)$/m);
    expect(r.stderr).toMatch(/Plan: 4 to install, .*\n(.*\n)*instance: installed in/);
    expect(JSON.parse(r.stdout).parts).toHaveLength(4);
    writeFileSync(join(root, 'buildout.cfg'), config({ threads: '3' }));
    const y = runCli(['install', '--plan', '-y'], { cwd: root });
    expect(y.exitCode).toBe(0);
    expect(y.stderr).toContain('      +threads = 3\n');
    expect(y.stderr).toMatch(/^instance: installed in .* \(options changed: threads\)$/m);
    // nothing to do: no plan printed, the usual lines
    expect(runCli(['install', '--plan'], { cwd: root }).stderr).toBe('zeo: unchanged\ninstance: unchanged\nconf: unchanged\ndata: unchanged\n');
  });

  it('on a terminal asks, and a no changes nothing', () => {
    const root = project();
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), config({ threads: '5' }));
    const before = snapshot(root);
    const no = onTerminal(root, ['install', '--plan'], 'n');
    expect(no.output).toContain('+threads = 5');
    expect(no.output).toContain('Apply this plan? [y/N] ');
    expect(no.output).toContain('Cancelled: nothing was changed.');
    expect(no.code).toBe(1);
    const after = snapshot(root);
    after.delete(join(root, '.buildout')); // the lock's folder is made by the run (it holds the lock while asking)
    before.delete(join(root, '.buildout'));
    expect(after).toEqual(before);
    const yes = onTerminal(root, ['install', '--plan'], 'y');
    expect(yes.code, yes.output).toBe(0);
    expect(yes.output).toMatch(/instance: installed in .* \(options changed: threads\)/);
    expect(readFileSync(join(root, 'parts/instance/etc/wsgi.ini'), 'utf8')).toContain('threads = 5\n');
  });
});

// Runs the CLI on a pseudo-terminal (stdin and stderr are terminals) and answers the question.
function onTerminal(root: string, args: string[], answer: string): { code: number | null; output: string } {
  const script = `
import os, pty, sys, time
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""
answered = False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not answered and b"[y/N] " in out:
        os.write(fd, ${JSON.stringify(answer)}.encode() + b"\\n")
        answered = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const env: Record<string, string | undefined> = { ...process.env, BUILDOUT_HOME: join(root, '.no-user-defaults'), TERM: 'xterm' };
  delete env.CI;
  const r = spawnSync('python3', ['-c', script, process.execPath, BUILDOUT_BIN, ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, output: r.stdout.replace(/\r\n/g, '\n') };
}
