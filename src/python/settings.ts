// The [buildout] options that shape the Python environment, read and checked
// without starting any process (the interpreter is identified by path and stat).
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BuildoutError } from '../errors.js';
import { findOnPath } from '../config/which.js';
import { packageCacheRoot } from './cache.js';
import type { EnvInputs } from './state.js';
import type { PythonEnvRequest } from './types.js';

export interface Settings {
  executable: EnvInputs['executable'];
  includeSitePackages: boolean;
  offline: boolean;
  newest: boolean;
  allowPicked: boolean;
  showPicked: boolean;
  /** `update-versions-file`: where picked versions are appended */
  versionsFile?: string;
  findLinks: string[];
  index?: string;
  /** allow-hosts excluded the index: install from find-links only */
  noIndex: boolean;
  preferFinal: boolean;
  timeout?: number;
  /** where the installer caches downloads and builds (see cache.ts) */
  cacheRoot: string;
  /** BUILDOUT_TS_INSTALLER=pip forces the fallback (tests, and users who want pip) */
  installer: 'auto' | 'pip';
  /** `frozen` (--frozen): the lock file whose distributions are installed, exactly and hash-checked */
  frozen?: string;
}

export function readSettings(req: PythonEnvRequest): Settings {
  const b = req.buildout;
  const pythonSection = (b.python ?? 'buildout').trim() || 'buildout';
  let exe = b.executable;
  if (pythonSection !== 'buildout') {
    const section = req.section?.(pythonSection);
    if (!section?.executable) {
      throw new BuildoutError('MissingOption', `[buildout] python names the section '${pythonSection}', which has no executable option.`, { section: pythonSection, option: 'executable' });
    }
    exe = section.executable;
  }
  const timeout = b['socket-timeout']?.trim();
  const hosts = allowedHosts(b['allow-hosts']);
  const index = b.index?.trim() || undefined;
  const findLinks = (b['find-links'] ?? '').split(/\s+/).filter(Boolean).map((f) => (/^[a-z+]+:\/\//i.test(f) ? f : resolve(b.directory!, f)));
  const keptLinks = findLinks.filter((f) => hostAllowed(f, hosts));
  for (const f of findLinks) if (!keptLinks.includes(f)) req.log.warn(`Skipping find-links ${f}: its host is not in allow-hosts.`);
  const noIndex = !hostAllowed(index ?? 'https://pypi.org/simple', hosts);
  if (noIndex) req.log.warn(`Not using the index ${index ?? 'https://pypi.org/simple'}: its host is not in allow-hosts (only find-links are used).`);
  return {
    executable: stampExecutable(exe?.trim() || 'python3'),
    includeSitePackages: flag(b, 'include-site-packages', false),
    offline: flag(b, 'offline', false),
    newest: flag(b, 'newest', true),
    allowPicked: flag(b, 'allow-picked-versions', true),
    showPicked: flag(b, 'show-picked-versions', false),
    ...(b['update-versions-file']?.trim() ? { versionsFile: resolve(b.directory!, b['update-versions-file'].trim()) } : {}),
    findLinks: keptLinks,
    ...(index ? { index } : {}),
    noIndex,
    preferFinal: flag(b, 'prefer-final', true),
    ...(timeout && /^\d+$/.test(timeout) ? { timeout: Number(timeout) } : {}),
    cacheRoot: packageCacheRoot(b),
    installer: process.env.BUILDOUT_TS_INSTALLER === 'pip' ? 'pip' : 'auto',
    ...frozenLock(b),
  };
}

/**
 * `[buildout] frozen`: the lock file to install from (`--frozen` sets it to the one beside
 * the configuration); `true` means `buildout.lock` in the buildout directory.
 */
export function frozenLock(b: Readonly<Record<string, string>>): { frozen?: string } {
  const v = b.frozen?.trim() ?? '';
  if (v === '' || /^(false|no|off|0)$/i.test(v)) return {};
  return { frozen: resolve(b.directory!, /^(true|yes|on|1)$/i.test(v) ? 'buildout.lock' : v) };
}

/** allow-hosts patterns (fnmatch-style, `*` and `?`), or undefined for `*` (the default). */
export function allowedHosts(value: string | undefined): RegExp[] | undefined {
  const pats = (value ?? '*').split(/[\s,]+/).filter(Boolean);
  if (pats.length === 0 || pats.includes('*')) return undefined;
  return pats.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i'));
}

/** Local paths are always allowed; a URL when its host matches one pattern (zc.buildout's rule). */
export function hostAllowed(link: string, hosts: RegExp[] | undefined): boolean {
  if (!hosts || !/^[a-z+]+:\/\//i.test(link) || link.startsWith('file:')) return true;
  let host: string;
  try {
    host = new URL(link).hostname;
  } catch {
    return true;
  }
  return hosts.some((h) => h.test(host));
}

// zc.buildout accepts exactly true/false; the common spellings are accepted too.
function flag(b: Readonly<Record<string, string>>, option: string, dflt: boolean): boolean {
  const v = b[option]?.trim().toLowerCase();
  if (v === undefined || v === '') return dflt;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new BuildoutError('InvalidOption', `Invalid value for '${option}' option: '${b[option]}'`, { section: 'buildout', option, hint: 'Use true or false.' });
}

// The interpreter's identity: a new Python (upgrade, other path) means a new environment.
function stampExecutable(exe: string): EnvInputs['executable'] {
  const path = isAbsolute(exe) ? exe : exe.includes('/') ? resolve(exe) : (findOnPath(exe, process.env.PATH) ?? exe);
  try {
    const real = realpathSync(path);
    const st = statSync(real);
    return { path, realpath: real, mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    throw new BuildoutError('ExecutableNotFound', `The Python interpreter '${exe}' was not found.`, {
      section: 'buildout',
      option: 'executable',
      hint: 'Set [buildout] executable to the absolute path of a Python 3 interpreter, e.g. /usr/bin/python3.',
    });
  }
}


