// What the Python environment is made from, as far as the configuration says: a short
// hash recorded in .installed.cfg, so that a run whose parts are all unchanged still
// reaches the environment when a [versions] pin, `develop` or the interpreter changed
// (zc.buildout notices these because it updates its egg parts on every run).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Buildout } from '../config/types.js';
import { frozenLock } from '../python/settings.js';

// [buildout] options that shape the environment. Per-run flags (newest, offline,
// socket-timeout) are left out: `-N` or `-o` alone must not make a run do work.
const ENV_OPTIONS = ['executable', 'python', 'include-site-packages', 'find-links', 'index', 'allow-hosts', 'allow-picked-versions', 'allow-unknown-extras', 'prefer-final', 'use-dependency-links', 'develop'];

export function envFingerprint(bo: Buildout, partDevelop: readonly string[] = []): string {
  const b = bo.buildout;
  const inputs: Record<string, unknown> = {};
  for (const k of ENV_OPTIONS) inputs[k] = normalise(b[k]);
  const python = (b.python ?? 'buildout').trim();
  if (python && python !== 'buildout' && bo.hasSection(python)) inputs.pythonExecutable = bo.section(python).executable ?? '';
  const versionsName = (b.versions ?? 'versions').trim();
  const versions = versionsName && bo.hasSection(versionsName) ? bo.section(versionsName) : {};
  inputs.versions = Object.keys(versions)
    .sort()
    .map((k) => `${k}=${versions[k]}`);
  // zc.recipe.egg:develop parts: their projects are develop eggs of the environment too (only
  // when there are some: the fingerprint of every other buildout stays what it was)
  if (partDevelop.length) inputs.partDevelop = [...partDevelop];
  // --frozen: the environment is what the lock file lists, so a changed lock changes it
  const lock = frozenLock(b).frozen;
  if (lock) inputs.lock = [lock, digest(lock)];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

// --- internal ---

function digest(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable'; // the environment step reports it
  }
}

function normalise(v: string | undefined): string {
  return (v ?? '').split(/\s+/).filter(Boolean).join(' ');
}
