#!/usr/bin/env node
// Node 24 for the test suite and the benches, from the npm registry (the `node-<os>-<cpu>`
// package that the registry's `node` package installs; nothing is downloaded from
// elsewhere), kept in .cache/node24/<version> of this checkout.
//   node scripts/node24.mjs            prints the path of the node binary (installs it once)
//   node scripts/node24.mjs ARGS...    runs that node with ARGS (its bin/ first on PATH)
// NODE24_VERSION picks another release.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = process.env.NODE24_VERSION || '24.22.3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function node24Binary() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  const pkg = `node-${os}-${process.arch}`;
  const dir = join(root, '.cache', 'node24', VERSION);
  const binary = join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (installedVersion(dir, pkg) === VERSION && existsSync(binary)) return binary;
  // installed beside and renamed into place: a concurrent or interrupted install never
  // leaves a half-unpacked binary where the next run looks
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', tmp, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install ${pkg}@${VERSION} failed (exit ${r.status ?? r.error?.message})`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return binary;
}

function installedVersion(dir, pkg) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = node24Binary();
  const args = process.argv.slice(2);
  if (!args.length) {
    process.stdout.write(`${binary}\n`);
  } else {
    const PATH = `${dirname(binary)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`;
    const r = spawnSync(binary, args, { stdio: 'inherit', env: { ...process.env, PATH } });
    process.exitCode = r.status ?? 1;
  }
}
