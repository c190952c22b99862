// rel-storage with a real PostgreSQL (Debian's, a throw-away cluster on 127.0.0.1: see
// test/fixtures/postgres.ts) and a real Zope from PyPI: two instances of one buildout on one
// RelStorage database, both serving over HTTP (the built-in waitress and granian), see each
// other's writes; a blob written through one is read through the other (shared-blob-dir
// false: the blobs live in the database, each instance keeps a cache). RelStorage and its
// PostgreSQL driver are installed without being named in eggs. The two rel-storage forms of
// the recipe are used: `dsn`, and dbname/user/host/password (the port from PGPORT).
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, killFromPidFile, runScript, waitForHttp } from '../fixtures/instance/harness.js';
import { postgresBinDir, startPostgres, type Postgres } from '../fixtures/postgres.js';

// CI installs PostgreSQL (scripts/install-system-deps.sh): only a developer's machine may lack it
const missing = postgresBinDir() ? undefined : 'PostgreSQL is not installed (scripts/install-system-deps.sh installs it)';
if (missing && process.env.CI) throw new Error(missing);

let pg: Postgres;
let root: string;
const ports: Record<'instance1' | 'instance2', number> = { instance1: 0, instance2: 0 };
const ADMIN = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
const bin = (name: string) => join(root, 'bin', name);

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  root = testdir({}, { keep: true });
  ports.instance1 = await freePort();
  ports.instance2 = await freePort();
  writeFileSync(
    join(root, 'buildout.cfg'),
    [
      '[buildout]',
      `extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}`,
      'parts = instance1 instance2',
      '',
      '[instance1]',
      'recipe = plone.recipe.zope2instance',
      'user = admin:admin',
      `http-address = 127.0.0.1:${ports.instance1}`,
      'zodb-temporary-storage = off',
      'eggs = Zope',
      'rel-storage =',
      `    dsn dbname='${pg.database}' user='${pg.user}' host='${pg.host}' port='${pg.port}' password='${pg.password}'`,
      '    keep-history false',
      '    shared-blob-dir false',
      '    blob-dir ${buildout:directory}/var/blobcache-1',
      '    blob-cache-size 100mb',
      '',
      '[instance2]',
      'recipe = plone.recipe.zope2instance',
      'user = admin:admin',
      `http-address = 127.0.0.1:${ports.instance2}`,
      'zodb-temporary-storage = off',
      'eggs =',
      '    Zope',
      '    granian',
      `wsgi-ini-template = ${join(PROJECT_ROOT, 'templates', 'granian.ini.in')}`,
      // the dbname/user/host/password form has no port: libpq reads PGPORT
      `environment-vars = PGPORT ${pg.port}`,
      'rel-storage =',
      '    type postgresql',
      `    dbname ${pg.database}`,
      `    user ${pg.user}`,
      `    host ${pg.host}`,
      `    password ${pg.password}`,
      '    keep-history false',
      '    shared-blob-dir false',
      '    blob-dir ${buildout:directory}/var/blobcache-2',
      '',
    ].join('\n'),
  );
  const r = runCli([], { cwd: root, timeoutMs: 600_000 });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
}, 700_000);

afterAll(async () => {
  if (root) {
    for (const part of ['instance1', 'instance2'] as const) {
      runScript(bin(part), ['stop'], { cwd: root });
      await killFromPidFile(join(root, 'var', `${part}.pid`));
    }
    rmSync(root, { recursive: true, force: true });
  }
  pg?.stop();
}, 120_000);

describe.skipIf(missing)('two Zope instances on one RelStorage database (PostgreSQL)', () => {
  it('installs RelStorage and its PostgreSQL driver without naming them, and writes the recipe zope.conf', () => {
    const python = join(root, '.buildout', 'venv', 'bin', 'python');
    const r = spawnSync(python, ['-c', 'import relstorage, psycopg2; from importlib.metadata import version; print(version("RelStorage"), version("psycopg2-binary"))'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const pins = readFileSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), 'utf8');
    expect(r.stdout.trim()).toBe(`${/^RelStorage = (\S+)$/m.exec(pins)![1]} ${/^psycopg2-binary = (\S+)$/m.exec(pins)![1]}`);
    // it holds the database password: only its owner reads it
    expect(statSync(join(root, 'parts', 'instance2', 'etc', 'zope.conf')).mode & 0o777).toBe(0o600);
    const conf = readFileSync(join(root, 'parts', 'instance2', 'etc', 'zope.conf'), 'utf8');
    expect(conf).toContain(
      [
        '    %import relstorage',
        '    <relstorage>',
        '        keep-history false',
        '        shared-blob-dir false',
        `        blob-dir ${root}/var/blobcache-2`,
        '        <postgresql>',
        `            dsn dbname='${pg.database}' user='${pg.user}' host='${pg.host}' password='${pg.password}'`,
        '        </postgresql>',
        '    </relstorage>',
      ].join('\n'),
    );
  });

  it('a write through one server is read through the other, both ways; a blob too', async () => {
    // one after the other: the first creates RelStorage's schema and Zope's root objects
    for (const part of ['instance1', 'instance2'] as const) {
      const start = runScript(bin(part), ['start'], { cwd: root, timeoutMs: 180_000 });
      expect(start.code, `${start.output}\n${pg.log()}`).toBe(0);
      await waitForHttp(ports[part], undefined, 60_000, '/');
    }
    const status = runScript(bin('instance2'), ['status'], { cwd: root });
    expect(status.stdout).toMatch(/^server: granian [\d.]+ \(use = egg:buildout-ts-wsgi#granian\)$/m);

    const addFolder = async (port: number, id: string, title: string) => {
      const r = await http('POST', port, '/manage_addProduct/OFSP/manage_addFolder', `id=${id}&title=${encodeURIComponent(title)}`, 30_000, { ...ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(r.status, r.body).toBeLessThan(400);
    };
    const title = async (port: number, id: string) => {
      const r = await http('GET', port, `/${id}/title_or_id`, undefined, 10_000, ADMIN);
      return [r.status, r.body.trim()];
    };
    await addFolder(ports.instance1, 'from-one', 'written through instance1 (waitress)');
    expect(await title(ports.instance2, 'from-one')).toEqual([200, 'written through instance1 (waitress)']);
    await addFolder(ports.instance2, 'from-two', 'written through instance2 (granian)');
    expect(await title(ports.instance1, 'from-two')).toEqual([200, 'written through instance2 (granian)']);
    // a change, not just an addition: the other instance's cache is invalidated
    const edit = await http('POST', ports.instance2, '/from-one/manage_changeProperties', 'title=changed+through+instance2', 30_000, { ...ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(edit.status, edit.body).toBeLessThan(400);
    expect(await title(ports.instance1, 'from-one')).toEqual([200, 'changed through instance2']);

    // blobs: written by one instance's `run`, read by the other's, while both servers run
    const script = join(root, 'blob.py');
    writeFileSync(
      script,
      [
        'import sys, transaction',
        'from ZODB.blob import Blob',
        'print(type(app._p_jar.db().storage).__name__)',
        'if sys.argv[1] == "write":',
        '    app._buildout_ts_blob = Blob(b"blob data through RelStorage")',
        '    transaction.commit()',
        'else:',
        '    with app._buildout_ts_blob.open() as f:',
        '        print(f.read().decode())',
      ].join('\n'),
    );
    const write = runScript(bin('instance1'), ['run', script, 'write'], { cwd: root, timeoutMs: 120_000 });
    expect(write.code, write.output).toBe(0);
    expect(write.stdout).toMatch(/RelStorage/);
    const read = runScript(bin('instance2'), ['run', script, 'read'], { cwd: root, timeoutMs: 120_000 });
    expect(read.code, read.output).toBe(0);
    expect(read.stdout).toContain('blob data through RelStorage');

    for (const part of ['instance1', 'instance2'] as const) {
      const stop = runScript(bin(part), ['stop'], { cwd: root });
      expect(stop.code, stop.output).toBe(0);
    }
  }, 400_000);
});

describe.skipIf(missing)('examples/relstorage.cfg: two Plone instances on one RelStorage database', () => {
  let site: string;
  const examples = () => join(site, 'examples');
  const plonePorts = { instance1: 0, instance2: 0 };

  beforeAll(async () => {
    pg.createDatabase('plone');
    site = testdir({}, { keep: true });
    for (const dir of ['examples', 'templates']) {
      cpSync(join(PROJECT_ROOT, dir), join(site, dir), { recursive: true, filter: (p) => !/\/(bin|parts|var|develop-eggs|\.buildout|\.installed\.cfg)$|egg-info|__pycache__/.test(p) });
    }
    plonePorts.instance1 = await freePort();
    plonePorts.instance2 = await freePort();
    const r = runCli(['-c', 'examples/relstorage.cfg', `postgres:port=${pg.port}`, `postgres:user=${pg.user}`, `postgres:password=${pg.password}`,
      `instance1:http-address=127.0.0.1:${plonePorts.instance1}`, `instance2:http-address=127.0.0.1:${plonePorts.instance2}`], { cwd: site, timeoutMs: 900_000 });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).not.toMatch(/rel-storage has no blob-dir|has no effect/);
  }, 900_000);

  afterAll(async () => {
    if (!site) return;
    for (const part of ['instance1', 'instance2']) {
      runScript(join(examples(), 'bin', part), ['stop'], { cwd: examples() });
      await killFromPidFile(join(examples(), 'var', `${part}.pid`));
    }
    rmSync(site, { recursive: true, force: true });
  }, 120_000);

  it('the site created through instance1 is served by both; a file uploaded through one is downloaded through the other', async () => {
    const made = runScript(join(examples(), 'bin', 'instance1'), ['run', 'examples/create-site.py'], { cwd: site, timeoutMs: 400_000 });
    expect(made.code, made.output).toBe(0);
    expect(made.stdout).toContain("Created the Plone site 'Plone'");
    for (const part of ['instance1', 'instance2'] as const) {
      const start = runScript(join(examples(), 'bin', part), ['start'], { cwd: examples(), timeoutMs: 240_000 });
      expect(start.code, start.output).toBe(0);
    }
    for (const part of ['instance1', 'instance2'] as const) {
      const home = await http('GET', plonePorts[part], '/Plone', undefined, 60_000);
      expect(home.status, part).toBe(200);
      expect(home.body).toContain('buildout-ts example site');
    }
    // a file is a blob: uploaded through instance1 (plone.restapi), downloaded through instance2
    const data = `blob content ${Date.now()}\n`;
    const json = { 'Content-Type': 'application/json', Accept: 'application/json', ...ADMIN };
    const add = await http('POST', plonePorts.instance1, '/Plone', JSON.stringify({ '@type': 'File', id: 'blob-file', title: 'A blob',
      file: { data: Buffer.from(data).toString('base64'), encoding: 'base64', filename: 'blob.txt', 'content-type': 'text/plain' } }), 60_000, json);
    expect(add.status, add.body).toBe(201);
    const download = await http('GET', plonePorts.instance2, '/Plone/blob-file/@@download/file', undefined, 60_000, ADMIN);
    expect([download.status, download.body]).toEqual([200, data]);
    expect(readdirSync(join(examples(), 'var', 'blobcache-instance2')).length).toBeGreaterThan(0);
    const zconf = readFileSync(join(examples(), 'parts', 'instance2', 'etc', 'zope.conf'), 'utf8');
    expect(zconf).toContain(`blob-dir ${examples()}/var/blobcache-instance2`);
    expect(zconf).toContain(`port='${pg.port}'`);
  }, 900_000);
});
