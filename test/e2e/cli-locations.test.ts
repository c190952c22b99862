// Every user mistake names where it is: file:line, section and option. The real CLI on
// real files, URL extends against real HTTP servers on 127.0.0.1, a real read-only mount.
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN, runCli, runCliAsync } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;
const EXE = 'executable = /usr/bin/python3\n';

function jsonError(root: string, files: Record<string, string>, argv = ['annotate', '--json']) {
  const dir = root || testdir(files);
  const r = runCli(argv, { cwd: dir });
  expect(r.exitCode).toBe(1);
  expect(r.stderr).not.toMatch(STACK);
  return { dir, error: (JSON.parse(r.stdout) as { error: Record<string, unknown> }).error, stderr: r.stderr };
}

describe('syntax errors name the section they sit in', () => {
  it('in the main file', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts =\n${EXE}[instance]\nrecipe = x\nthis is bad\n` });
    const r = runCli(['annotate'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("[line  6]: 'this is bad' in [instance]");
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:6 [instance]`);
  });
  it('in an extended file, each bad line with its own section', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nextends = base.cfg\nparts =\n${EXE}`, 'base.cfg': '[a]\nkey: value\n[b]\nok = 1\nalso bad\n' });
    expect(error).toMatchObject({ type: 'ParsingError', file: join(dir, 'base.cfg'), line: 2, section: 'a' });
    expect(error.message).toContain("[line  2]: 'key: value' in [a]");
    expect(error.message).toContain("[line  5]: 'also bad' in [b]");
  });
});

describe('${...} and <= mistakes inside extended files give that file and line', () => {
  it('a missing section referenced in base.cfg, the option extended with += in buildout.cfg', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nextends = base.cfg\nparts =\n${EXE}[a]\nx += more\n`, 'base.cfg': '[a]\n\nx = ${nosuch:y}\n' });
    expect(error).toMatchObject({ type: 'MissingSection', file: join(dir, 'base.cfg'), line: 3, section: 'a', option: 'x' });
  });
  it('a malformed reference added by += in the main file points at the main file', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nextends = base.cfg\nparts =\n${EXE}[a]\nx += \${broken}\n`, 'base.cfg': '[a]\nx = 1\n' });
    expect(error).toMatchObject({ type: 'UserError', file: join(dir, 'buildout.cfg'), line: 6, section: 'a', option: 'x' });
    expect(error.message).toBe("The substitution, ${broken},\ndoesn't contain a colon.");
  });
  it('a <= naming a missing section in an extended file', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nextends = base.cfg\nparts =\n${EXE}[a]\ny = 2\n`, 'base.cfg': '[a]\n\n<= nosuch\n' });
    expect(error).toMatchObject({ type: 'MissingSection', message: "No section named 'nosuch'", file: join(dir, 'base.cfg'), line: 3, section: 'a', option: '<=' });
  });
  it('a bad reference inherited through <= from an extended file', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nextends = base.cfg\nparts =\n${EXE}[a]\n<= base\n`, 'base.cfg': '[base]\n\n\nx = ${buildout:nosuch}\n' });
    expect(error).toMatchObject({ type: 'MissingOption', file: join(dir, 'base.cfg'), line: 4, option: 'x' });
  });
  it('a missing [buildout] parts points at the main file', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `# comment\n[buildout]\npart = x\n${EXE}` });
    expect(error).toMatchObject({ type: 'MissingOption', message: 'Missing option: buildout:parts', file: join(dir, 'buildout.cfg'), line: 2, hint: "Did you mean the option 'part'?" });
  });
});

describe('annotate --json rejects what install rejects', () => {
  it('a parts entry without a section, with a did-you-mean', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nparts = instance\n${EXE}[instanse]\nrecipe = plone.recipe.zope2instance\n` });
    expect(error).toMatchObject({ type: 'MissingSection', file: join(dir, 'buildout.cfg'), line: 2, section: 'buildout', option: 'parts', hint: "Did you mean the section 'instanse'?" });
  });
  it('a part without a recipe', () => {
    const { dir, error } = jsonError('', { 'buildout.cfg': `[buildout]\nparts = instance\n${EXE}[instance]\nuser = a:b\n` });
    expect(error).toMatchObject({ type: 'MissingOption', message: 'Missing option: instance:recipe', file: join(dir, 'buildout.cfg'), line: 4, section: 'instance' });
  });
  it('plain annotate and query stay lenient, as in zc.buildout', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts = nosuch\n${EXE}` });
    expect(runCli(['annotate'], { cwd: root }).exitCode).toBe(0);
    expect(runCli(['query', 'parts'], { cwd: root }).stdout).toBe('nosuch\n');
  });
});

describe('URL extends that fail say what failed and where the extends is', () => {
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as { port: number };
    return { server, url: `http://127.0.0.1:${port}/versions.cfg` };
  }
  const cfg = (url: string) => ({ 'buildout.cfg': `[buildout]\nparts =\n${EXE}extends =\n    ${url}\n` });

  it('HTTP status', async () => {
    const { url } = await serve((_req, res) => res.writeHead(404, 'Not Found').end('gone'));
    const root = testdir(cfg(url));
    const r = await runCliAsync(['annotate', '--json'], root);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ type: 'DownloadError', file: join(root, 'buildout.cfg'), line: 4 });
    expect(r.stderr).toContain(`Couldn't download ${url} (named in ${root}/buildout.cfg:4): the server answered HTTP 404 Not Found`);
  });
  it('a timeout bounded by -t (socket-timeout)', async () => {
    const { url } = await serve(() => {}); // accepts, never answers
    const root = testdir(cfg(url));
    const r = await runCliAsync(['-t', '1', 'annotate'], root);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('no answer within 1 s (timeout)');
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:4`);
  });
  it('a refused connection', async () => {
    const { server, url } = await serve(() => {});
    await new Promise<void>((r) => server.close(() => r()));
    const root = testdir(cfg(url));
    const r = await runCliAsync(['annotate'], root);
    expect(r.stderr).toContain('the connection to 127.0.0.1:');
    expect(r.stderr).toContain('was refused');
  });
  it('a host name that does not resolve (DNS)', async () => {
    const root = testdir(cfg('http://nosuch.example.invalid/versions.cfg'));
    const r = await runCliAsync(['annotate'], root);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/the host name nosuch\.example\.invalid could not be resolved/);
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:4`);
  });
  it('offline without a cached copy', () => {
    const root = testdir(cfg('http://127.0.0.1:1/versions.cfg'));
    const r = runCli(['-o', 'annotate'], { cwd: root });
    expect(r.stderr).toContain(`Couldn't download 'http://127.0.0.1:1/versions.cfg' in offline mode (named in ${root}/buildout.cfg:4).`);
    expect(r.stderr).toContain('extends-cache');
  });
});

describe('recipe errors get the cfg line of the option they name', () => {
  it("a recipe's resolve-time hook (zope2instance's initialization), in annotate --json and check", () => {
    const files = { 'buildout.cfg': `[buildout]\nparts = instance\n${EXE}\n[instance]\nrecipe = plone.recipe.zope2instance\nuser = a:b\ninitialization = x = %(nosuch)s\n` };
    const { dir, error } = jsonError('', files);
    expect(error).toMatchObject({ message: 'initialization: unknown variable %(nosuch)s', file: join(dir, 'buildout.cfg'), line: 8, section: 'instance', option: 'initialization' });
    const r = runCli(['check'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('buildout.cfg:8: [instance] initialization: error: initialization: unknown variable %(nosuch)s');
  });

  it('a missing collective.recipe.template input', () => {
    const root = testdir({ 'buildout.cfg': `[buildout]\nparts = cfg\n${EXE}\n[cfg]\nrecipe = collective.recipe.template\ninput = templates/x.in\noutput = \${buildout:directory}/x\n` });
    const r = runCli(['install'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: The template ${root}/templates/x.in (input of part cfg) does not exist.`);
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:7 [cfg] input`);
    expect(r.stderr).toContain(`taken from the buildout directory (${root})`);
  });

  it('a recipe whose install returns something else than paths: the part', () => {
    const root = testdir({
      'buildout.cfg': `[buildout]\nparts = p\n${EXE}\n[p]\nrecipe = ./r.mjs\n`,
      'r.mjs': "export default { name: 'r', async install() { return 42; } };\n",
    });
    const r = runCli(['install'], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: The recipe of part 'p' returned 42 from install; expected a list of paths.");
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:5 [p]`);
  });
});

describe('a fresh read-only directory', () => {
  const cfg = { 'buildout.cfg': `[buildout]\nparts = x\n${EXE}[x]\nrecipe = buildout-ts:mkdir\npaths = \${buildout:directory}/made\n` };
  const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
  it.skipIf(!canMount)('on a read-only mount (needs root and unshare -m): says so, creates nothing', () => {
    const root = testdir(cfg);
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -o bind,ro "$1" "$1" && cd "$1" && exec "$2" "$3"', 'sh', root, process.execPath, BUILDOUT_BIN], {
      encoding: 'utf8',
      env: { ...process.env, BUILDOUT_HOME: join(root, '.none') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Cannot create the lock file ${root}/.buildout/lock: the buildout directory ${root} is on a read-only file system.`);
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.stderr).not.toMatch(STACK);
  });
  const nobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;
  it.skipIf(process.getuid?.() === 0 && !nobody)('without write permission (as a user other than root: setpriv to nobody when root)', () => {
    const root = testdir(cfg);
    chmodSync(root, 0o555);
    onTestFinished(() => chmodSync(root, 0o755));
    const prefix = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const argv = [...prefix, process.execPath, BUILDOUT_BIN];
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: root, BUILDOUT_HOME: join(root, '.none') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the buildout directory ${root} is not writable by this user.`);
    expect(r.stderr).not.toMatch(STACK);
  });
});

