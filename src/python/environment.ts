// The buildout's Python environment: zc.buildout's "eggs", done with a virtual
// environment and uv (pip when uv cannot be had). The buildout's side of it:
// [buildout] options → Settings, then ensureEnvironment (ensure-environment.ts).
//
// Layout: <buildout:directory>/.buildout/venv, created from `[buildout] executable`
// (or the `executable` of the section named by `[buildout] python`), with
// `--system-site-packages` when `include-site-packages = true`. The installer's files
// (inputs, the resolution, installer.log) are in .buildout/installer/. Nothing outside
// these folders and the shared download cache (cache.ts) is written.
//
// Mapping of zc.buildout's options (docs/differences.md says it for users):
// - [versions]: exact pins and specifiers become constraints (names normalised; develop
//   eggs are left out). allow-picked-versions = false: requirements without a pin are
//   refused before any process starts, then every distribution the resolution would
//   pick is listed at once, before the environment is changed.
// - show-picked-versions / update-versions-file: zc.buildout's `[versions]` snippet.
// - newest = false keeps the previous resolution's versions (uv's preferences); newest
//   = true looks for newer ones. Both only when the inputs changed: an unchanged
//   environment is not re-checked against the index (a no-op run starts no process).
// - offline / -o: no network; uv installs from the download cache and find-links.
// - find-links, index, allow-hosts (URLs on other hosts are left out), prefer-final,
//   socket-timeout.
// - develop: editable installs built with the back-end each project declares.
// - Requirements dropped from the buildout stay installed (zc.buildout also leaves them
//   in eggs/); a fresh environment: remove .buildout/venv.
import { join, resolve } from 'node:path';
import { BuildoutError } from '../errors.js';
import { ensureEnvironment, type EnvironmentSpec } from './ensure-environment.js';
import { readSettings } from './settings.js';
import type { PythonEnv, PythonEnvRequest } from './types.js';

export { unpinnedRequirements } from './environment-checks.js';

/** Where the environment lives, relative to the buildout directory. */
export const VENV_DIR = join('.buildout', 'venv');
/** The installer's files for that environment. */
export const INSTALLER_DIR = join('.buildout', 'installer');

export function venvPrefix(buildoutDirectory: string): string {
  return join(buildoutDirectory, VENV_DIR);
}

/**
 * Makes the buildout's environment hold `req.requirements` and the develop eggs.
 * Returns immediately, without starting any process, when nothing changed.
 */
export async function ensurePythonEnv(req: PythonEnvRequest): Promise<PythonEnv> {
  return ensureEnvironment(buildoutEnvironmentSpec(req));
}

/** The buildout's environment as ensureEnvironment sees it (also for `buildout plan`, which only compares, and `buildout lock`). */
export function buildoutEnvironmentSpec(req: PythonEnvRequest): EnvironmentSpec {
  const directory = req.buildout.directory;
  if (!directory) throw new BuildoutError('MissingOption', 'Missing option: buildout:directory', { section: 'buildout', option: 'directory' });
  return {
    prefix: venvPrefix(directory),
    workDir: join(directory, INSTALLER_DIR),
    requirements: req.requirements,
    versions: req.versions,
    develop: req.develop.map((d) => resolve(directory, d)),
    settings: readSettings(req),
    log: req.log,
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  };
}
