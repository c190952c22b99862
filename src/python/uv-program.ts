// Finding the uv program, or getting it: uv on PATH, else the pinned version in our
// cache, else the pinned wheel (from a find-links folder, the index, or the
// interpreter's pip), checked against the SHA-256 recorded here, unpacked into the cache.
// Returns undefined when uv cannot be had; the caller then falls back to pip.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../config/which.js';
import { runPython } from './spawn.js';

/** The uv release we fetch (bump together with the hashes below, from PyPI's JSON API). */
export const UV_VERSION = '0.13.9';
const UV_WHEELS: Record<string, { file: string; sha256: string }> = {
  'linux-x64-glibc': { file: 'manylinux_2_17_x86_64.manylinux2014_x86_64', sha256: 'd7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19' },
  'linux-x64-musl': { file: 'musllinux_1_1_x86_64', sha256: '2c45530751517d6c3bbc69a19473f6effe47cce047bede01ffd8af7ea7b36b25' },
  'linux-arm64-glibc': { file: 'manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64', sha256: '5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe' },
  'linux-arm64-musl': { file: 'manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64', sha256: '5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe' },
  'darwin-x64': { file: 'macosx_10_12_x86_64', sha256: 'c16ed11e013557536b3e60065f1b912f6407bd6518e041b961e23ef9e6b4fbf5' },
  'darwin-arm64': { file: 'macosx_11_0_arm64', sha256: '66c512266d633bef48384a1f53003f41f2a8e7b36fe6e7fbfd3e0fd52d96fa63' },
};
/** Oldest uv on PATH we accept (the flags we pass exist since then). */
const MIN_PATH_VERSION = [0, 8, 0];
const DEFAULT_INDEX = 'https://pypi.org/simple';

export interface UvProgram {
  path: string;
  version: string;
  /** how we got it, for -v */
  source: 'PATH' | 'cache' | 'downloaded';
}

export interface UvLookup {
  /** our cache folder; the program goes to <toolCache>/uv-<version>/uv */
  toolCache: string;
  /** a Python to unpack the wheel with (zipfile) and, failing a direct download, to run pip */
  python: string;
  offline: boolean;
  index?: string;
  /** local folders among find-links: a wheel of uv there is used, offline too */
  findLinks: string[];
  timeoutSec?: number;
  env?: NodeJS.ProcessEnv;
}

/** uv, or the reason it cannot be had. */
export async function findUv(o: UvLookup): Promise<UvProgram | { reason: string }> {
  const env = o.env ?? process.env;
  const onPath = findOnPath('uv', env.PATH);
  if (onPath) {
    const version = await uvVersion(onPath);
    if (version && newEnough(version)) return { path: onPath, version, source: 'PATH' };
  }
  const cached = join(o.toolCache, `uv-${UV_VERSION}`, 'uv');
  if (existsSync(cached)) return { path: cached, version: UV_VERSION, source: 'cache' };
  const wheel = wheelFor(process.platform, process.arch, glibc());
  if (!wheel) return { reason: `no uv wheel for ${process.platform}-${process.arch}` };
  const reasons: string[] = [];
  for (const dir of o.findLinks) {
    const f = join(dir, wheel.name);
    if (!existsSync(f)) continue;
    try {
      return await install(readFileSync(f), wheel, o, cached);
    } catch (e) {
      reasons.push((e as Error).message);
    }
  }
  if (o.offline) return { reason: [...reasons, `offline, and ${wheel.name} is not in find-links`].join('; ') };
  try {
    return await install(await download(wheel.name, o.index ?? DEFAULT_INDEX, o.timeoutSec), wheel, o, cached);
  } catch (e) {
    reasons.push((e as Error).message);
  }
  try {
    return await install(await pipDownload(o.python, o.index), wheel, o, cached);
  } catch (e) {
    reasons.push((e as Error).message);
  }
  return { reason: reasons.join('; ') };
}

/** The wheel file name and hash for a platform (exported for tests). */
export function wheelFor(platform: string, arch: string, isGlibc: boolean): { name: string; sha256: string } | undefined {
  const key = platform === 'linux' ? `linux-${arch}-${isGlibc ? 'glibc' : 'musl'}` : `${platform}-${arch}`;
  const w = UV_WHEELS[key];
  return w && { name: `uv-${UV_VERSION}-py3-none-${w.file}.whl`, sha256: w.sha256 };
}

// --- internal ---

async function uvVersion(path: string): Promise<string | undefined> {
  const { run } = await import('../process/run.js');
  const r = await run(path, ['--version']);
  return /^uv (\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
}

function newEnough(version: string): boolean {
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (v[i] !== MIN_PATH_VERSION[i]) return (v[i] ?? 0) > MIN_PATH_VERSION[i]!;
  return true;
}

function glibc(): boolean {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return !!header?.glibcVersionRuntime;
}

// The index's PEP 691 JSON page (or its PEP 503 HTML page) names the wheel's URL.
async function download(file: string, index: string, timeoutSec = 60): Promise<Buffer> {
  const page = `${index.replace(/\/+$/, '')}/uv/`;
  const signal = AbortSignal.timeout(timeoutSec * 1000);
  const r = await fetchOrExplain(page, { headers: { Accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' }, signal });
  const text = await r.text();
  let href: string | undefined;
  if ((r.headers.get('content-type') ?? '').includes('json')) {
    href = (JSON.parse(text) as { files?: { filename: string; url: string }[] }).files?.find((f) => f.filename === file)?.url;
  } else {
    href = new RegExp(`href="([^"]*${file.replace(/[.+]/g, '\\$&')}[^"]*)"`).exec(text)?.[1]?.replace(/&amp;/g, '&');
  }
  if (!href) throw new Error(`${page} does not list ${file}`);
  const w = await fetchOrExplain(new URL(href, page).toString(), { signal });
  return Buffer.from(await w.arrayBuffer());
}

async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(url, init);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${url}: ${cause?.code ?? ''} ${cause?.message ?? (e as Error).message}`.replace(/\s+/g, ' '));
  }
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r;
}

// Through the interpreter's pip: honours its configuration (proxies, certificates).
async function pipDownload(python: string, index: string | undefined): Promise<Buffer> {
  const { mkdtempSync, readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'buildout-ts-uv-'));
  try {
    const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-d', dir, `uv==${UV_VERSION}`, ...(index ? ['--index-url', index] : [])];
    const r = await runPython(python, args);
    const whl = readdirSync(dir).find((f) => f.endsWith('.whl'));
    if (r.exitCode !== 0 || !whl) throw new Error(`pip download uv: ${(r.stderr || r.stdout).trim().split('\n').at(-1) ?? 'failed'}`);
    return readFileSync(join(dir, whl));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function install(data: Buffer, wheel: { name: string; sha256: string }, o: UvLookup, target: string): Promise<UvProgram> {
  const got = createHash('sha256').update(data).digest('hex');
  if (got !== wheel.sha256) throw new Error(`${wheel.name} has SHA-256 ${got}, expected ${wheel.sha256}`);
  const dir = join(o.toolCache, `uv-${UV_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const tmpWheel = join(dir, `.${wheel.name}.${process.pid}`);
  const tmpProgram = `${target}.tmp-${process.pid}`;
  writeFileSync(tmpWheel, data);
  try {
    const member = `uv-${UV_VERSION}.data/scripts/uv`;
    const r = await runPython(o.python, ['-I', '-c', 'import sys, zipfile\nopen(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', tmpWheel, member, tmpProgram]);
    if (r.exitCode !== 0) throw new Error(`unpacking ${wheel.name}: ${r.stderr.trim().split('\n').at(-1)}`);
    chmodSync(tmpProgram, 0o755);
    renameSync(tmpProgram, target); // atomic: two buildouts fetching at once both succeed
  } finally {
    rmSync(tmpWheel, { force: true });
    rmSync(tmpProgram, { force: true });
  }
  return { path: target, version: UV_VERSION, source: 'downloaded' };
}
