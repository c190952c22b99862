// Installs buildout-ts's own Python package (`buildout_ts_wsgi`: the launcher,
// the control logic, the waitress `main` server factory and the `sentry`
// filter) into the buildout's environment -- without pip and without network:
// the module is copied and a `.dist-info` is written so that
// importlib.metadata and PasteDeploy (`egg:buildout-ts-wsgi#main`) find it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PythonEnv } from './types.js';
import { packageRoot } from '../package-root.js';

export const WSGI_DIST_NAME = 'buildout-ts-wsgi';
export const WSGI_MODULE = 'buildout_ts_wsgi';

/** `python/` of this package: two levels above both src/python and dist/python. */
export const PYTHON_SOURCE_DIR = join(packageRoot(), 'python');

// Kept in step with python/pyproject.toml (a unit test compares them).
export const ENTRY_POINTS = `[paste.filter_app_factory]
sentry = buildout_ts_wsgi.sentry:make_filter

[paste.server_factory]
main = buildout_ts_wsgi.servers:server_factory
granian = buildout_ts_wsgi.granian_server:granian_factory

[paste.server_runner]
main = buildout_ts_wsgi.servers:server_runner
`;

const HASH_FILE = 'BUILDOUT_TS_HASH';

/** Idempotent; cheap when already installed (reads a few small files, starts no Python). */
export async function installWsgiSupport(env: PythonEnv): Promise<void> {
  if (!installWsgiSupportSync(env.sitePackages)) return;
  // Bytecode now, once: bin/instance imports this package on every start, and a service
  // user that cannot write __pycache__ would otherwise compile it each time (~25 ms).
  const { run } = await import('../process/run.js');
  await run(env.python, ['-m', 'compileall', '-q', join(env.sitePackages, WSGI_MODULE)]);
}

/** The synchronous core, also used by tests and benchmarks. Returns true if files were written. */
export function installWsgiSupportSync(sitePackages: string, sourceDir: string = join(PYTHON_SOURCE_DIR, WSGI_MODULE)): boolean {
  const files = listSources(sourceDir);
  const version = readVersion(sourceDir);
  const hash = contentHash(files, version);
  const distInfoName = `${WSGI_MODULE}-${version}.dist-info`;
  if (readInstalledHash(join(sitePackages, distInfoName)) === hash) return false;

  // Build everything in a temp dir inside site-packages (same file system), then rename into place.
  const tmp = join(sitePackages, `.${WSGI_MODULE}.tmp-${process.pid}-${Date.now()}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const record: string[] = [];
    for (const f of files) {
      const target = join(tmp, WSGI_MODULE, f.rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.data);
      record.push(recordLine(`${WSGI_MODULE}/${f.rel}`, f.data));
    }
    const meta: Record<string, string> = {
      METADATA: metadata(version),
      'entry_points.txt': ENTRY_POINTS,
      INSTALLER: 'buildout-ts\n',
      [HASH_FILE]: `${hash}\n`,
    };
    mkdirSync(join(tmp, distInfoName));
    for (const [name, text] of Object.entries(meta)) {
      writeFileSync(join(tmp, distInfoName, name), text);
      record.push(recordLine(`${distInfoName}/${name}`, Buffer.from(text)));
    }
    record.push(`${distInfoName}/RECORD,,`);
    writeFileSync(join(tmp, distInfoName, 'RECORD'), record.join('\n') + '\n');

    // Module first, dist-info (which holds the hash) last: an interrupted run is redone next time.
    replaceDir(join(tmp, WSGI_MODULE), join(sitePackages, WSGI_MODULE), tmp);
    for (const old of readdirSync(sitePackages)) {
      if (old.startsWith(`${WSGI_MODULE}-`) && old.endsWith('.dist-info') && old !== distInfoName) {
        rmSync(join(sitePackages, old), { recursive: true, force: true });
      }
    }
    replaceDir(join(tmp, distInfoName), join(sitePackages, distInfoName), tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return true;
}

interface SourceFile {
  rel: string;
  data: Buffer;
}

function listSources(dir: string, prefix = ''): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__pycache__' || name.endsWith('.pyc')) continue;
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...listSources(full, rel));
    else out.push({ rel, data: readFileSync(full) });
  }
  return out;
}

function readVersion(dir: string): string {
  const m = /^__version__\s*=\s*["']([^"']+)["']/m.exec(readFileSync(join(dir, '__init__.py'), 'utf8'));
  if (!m?.[1]) throw new Error(`installWsgiSupport: no __version__ in ${join(dir, '__init__.py')}`);
  return m[1];
}

function contentHash(files: SourceFile[], version: string): string {
  const h = createHash('sha256').update(`${version}\0${ENTRY_POINTS}\0`);
  for (const f of files) h.update(`${f.rel}\0${f.data.length}\0`).update(f.data);
  return h.digest('hex');
}

function readInstalledHash(distInfo: string): string | undefined {
  try {
    return readFileSync(join(distInfo, HASH_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

// RECORD line per the wheel spec: path,sha256=<urlsafe base64 without padding>,size
function recordLine(path: string, data: Buffer): string {
  const digest = createHash('sha256').update(data).digest('base64url');
  return `${path},sha256=${digest},${data.length}`;
}

function metadata(version: string): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${WSGI_DIST_NAME}`,
    `Version: ${version}`,
    'Summary: buildout-ts WSGI support: server launcher, bin/instance control logic, waitress server factory, sentry filter',
    'Requires-Python: >=3.9',
    'Requires-Dist: PasteDeploy',
    '',
    '',
  ].join('\n');
}

// Moves `from` to `to`, replacing an existing directory (moved aside into `trashParent` first).
function replaceDir(from: string, to: string, trashParent: string): void {
  const trash = join(trashParent, `.old-${Math.random().toString(36).slice(2)}`);
  let moved = false;
  try {
    renameSync(to, trash);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  renameSync(from, to);
  if (moved) rmSync(trash, { recursive: true, force: true });
}
