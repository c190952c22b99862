// Facts about `[buildout] develop` source folders that buildout-ts needs
// without running Python: the project files (for change detection) and the
// distribution name (develop eggs are never "picked" and must not be
// constrained by [versions], which pip refuses for editable installs).
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { normaliseName } from './requirements.js';

export const PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'] as const;

/** mtimes of the project files of a develop folder (0 for a missing one). */
export function projectFileStamps(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of PROJECT_FILES) {
    try {
      out[f] = statSync(join(dir, f)).mtimeMs;
    } catch {
      out[f] = 0;
    }
  }
  return out;
}

/** true when the folder looks like a Python project pip can install. */
export function isProjectDir(dir: string): boolean {
  return Object.values(projectFileStamps(dir)).some((m) => m > 0);
}

/**
 * Best-effort distribution name of a develop folder, read from pyproject.toml
 * (`[project] name`), setup.cfg (`[metadata] name`) or a literal `name=` in
 * setup.py; falls back to the folder name.
 */
export function developDistName(dir: string): string {
  const fromToml = sectionValue(read(join(dir, 'pyproject.toml')), 'project', /^name\s*=\s*["']([^"']+)["']/);
  if (fromToml) return fromToml;
  const fromCfg = sectionValue(read(join(dir, 'setup.cfg')), 'metadata', /^name\s*=\s*(\S+)/);
  if (fromCfg) return fromCfg;
  const setupPy = /\bname\s*=\s*["']([A-Za-z0-9][A-Za-z0-9._-]*)["']/.exec(read(join(dir, 'setup.py')));
  if (setupPy) return setupPy[1]!;
  return basename(dir);
}

export function developDistKey(dir: string): string {
  return normaliseName(developDistName(dir));
}

// --- internal ---

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// The first match of `re` on a line inside `[section]` of an INI/TOML text.
function sectionValue(text: string, section: string, re: RegExp): string | undefined {
  let inSection = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inSection = line === `[${section}]`;
      continue;
    }
    if (!inSection) continue;
    const m = re.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
