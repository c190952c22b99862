// Where the installer keeps what it downloads and builds, shared by every buildout of
// the user so that a second buildout of the same pins installs without the network.
//
// The rule (documented in docs/differences.md):
//   1. `[buildout] download-cache` set  → <download-cache>/<installer>-cache
//   2. `[buildout] eggs-directory` set to anything but the default (<directory>/eggs/…)
//                                        → <eggs-directory>/<installer>-cache
//   3. otherwise                         → <tool cache>/<installer>-cache
// where the tool cache is $BUILDOUT_TS_CACHE_DIR, else $XDG_CACHE_HOME/buildout-ts, else
// ~/.cache/buildout-ts (the uv program we fetch lives there too, whatever the buildout says).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Our own cache folder (facts, the uv program, the default package cache). */
export function toolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BUILDOUT_TS_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'buildout-ts');
}

/** The folder that holds the package caches (without the `<installer>-cache` leaf). */
export function packageCacheRoot(buildout: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): string {
  const download = buildout['download-cache']?.trim();
  if (download) return resolve(buildout.directory ?? '.', download);
  const eggs = buildout['eggs-directory']?.trim();
  if (eggs && !isDefaultEggsDirectory(eggs, buildout.directory)) return resolve(buildout.directory ?? '.', eggs);
  return toolCacheDir(env);
}

export function installerCacheDir(root: string, installer: 'uv' | 'pip'): string {
  return join(root, `${installer}-cache`);
}

// --- internal ---

// zc.buildout's default is <directory>/eggs, plus the eggs-directory-version (v5) and
// possibly an ABI tag: a per-buildout folder, not a shared cache.
function isDefaultEggsDirectory(eggs: string, directory: string | undefined): boolean {
  if (!directory) return false;
  const rel = resolve(directory, eggs).slice(resolve(directory).length);
  return /^\/eggs(\/v\d+)?(\/[a-z]+\d+)?\/?$/.test(rel);
}
