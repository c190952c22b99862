// What previewers may know of the buildout's Python environment: during install, the
// environment itself (its metadata, read once by a Python process and cached, as the
// zope2instance recipe reads it anyway); for `buildout plan`, only what is on disk (the
// environment's state and metadata cache, else its *.dist-info folders): no process.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envMetadata, resolveDists, type EnvMetadata } from '../../python/metadata.js';
import { normaliseName } from '../../python/requirements.js';
import { readState } from '../../python/state.js';
import type { PythonEnv } from '../../python/types.js';
import type { PreviewEnvironment } from './types.js';

const CMF_PLONE = normaliseName('Products.CMFPlone');
const TEMPSTORAGE = normaliseName('tempstorage');

/** The environment of this run (undefined: no part needs one; nothing is installed). */
export function liveEnvironment(env: PythonEnv | undefined): PreviewEnvironment {
  return {
    platform: env?.facts.platform ?? process.platform,
    hasCMFPlone: async (eggs) => (env ? inWorkingSet(await envMetadata(env), eggs) : false),
    hasTempstorage: async () => (env ? TEMPSTORAGE in (await envMetadata(env)).dists : undefined),
  };
}

/** The environment as the last run left it, read without a process. */
export function recordedEnvironment(prefix: string): PreviewEnvironment {
  const state = readState(prefix);
  const meta = state ? cachedMetadata(prefix, state.key) : undefined;
  return {
    platform: state?.facts.platform ?? process.platform,
    hasCMFPlone: async (eggs) => {
      if (meta) return inWorkingSet(meta, eggs);
      return state ? installedDistributions(state.sitePackages).has(CMF_PLONE) : false;
    },
    hasTempstorage: async () => {
      if (meta) return TEMPSTORAGE in meta.dists;
      return state ? installedDistributions(state.sitePackages).has(TEMPSTORAGE) : undefined;
    },
  };
}

/** Normalised name → version of the distributions in a site-packages folder (from *.dist-info names). */
export function installedDistributions(sitePackages: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(sitePackages);
  } catch {
    return out;
  }
  for (const n of names) {
    const m = /^(.+?)-([^-]+)\.dist-info$/.exec(n);
    if (m) out.set(normaliseName(m[1]!), m[2]!);
  }
  return out;
}

// --- internal ---

function inWorkingSet(meta: EnvMetadata, eggs: readonly string[]): boolean {
  try {
    return resolveDists(meta, eggs, true).some((d) => normaliseName(d.name) === CMF_PLONE);
  } catch {
    return CMF_PLONE in meta.dists;
  }
}

// src/python/metadata.ts's cache, when it describes the environment as it is now
function cachedMetadata(prefix: string, key: string): EnvMetadata | undefined {
  try {
    const c = JSON.parse(readFileSync(join(prefix, 'buildout-ts-metadata.json'), 'utf8')) as { key?: string; meta?: EnvMetadata };
    return c.key === key ? c.meta : undefined;
  } catch {
    return undefined;
  }
}
