// What is installed: the model of `.installed.cfg` and its reading and writing.
// Paths are absolute in memory; in the file they are relative to the buildout
// directory when inside it (zc.buildout joins them onto the directory on read,
// so both forms work for both tools).
import { readFileSync, rmSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatInstalled, parseInstalled } from './installed-format.js';
import { writeFileAtomic } from './atomic-write.js';

export const INSTALLED_KEY = '__buildout_installed__';
export const SIGNATURE_KEY = '__buildout_signature__';
/** buildout-ts' own record in `[buildout]`: a hash of what the Python environment was last made from (zc.buildout ignores it). */
export const ENV_KEY = '__buildout_ts_env__';

export interface InstalledPart {
  /** options used at install time, `__buildout_signature__` included, `__buildout_installed__` not */
  options: Record<string, string>;
  /** absolute paths the part created */
  files: string[];
}

export interface InstalledState {
  /** the `[buildout]` options other than `parts` (installed_develop_eggs, ...), kept as read */
  buildout: Record<string, string>;
  /** installed parts in install order (`[buildout] parts`) */
  order: string[];
  parts: Map<string, InstalledPart>;
}

export function emptyState(): InstalledState {
  return { buildout: { installed_develop_eggs: '' }, order: [], parts: new Map() };
}

/** Reads `.installed.cfg`; a missing file is an empty state. Throws BuildoutError for a corrupted one. */
export function readInstalled(file: string, directory: string): InstalledState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
  return stateFromText(text, file, directory);
}

export function stateFromText(text: string, file: string, directory: string): InstalledState {
  const sections = parseInstalled(text, file);
  const { parts: partList = '', ...buildout } = sections.get('buildout') ?? {};
  const order = unique(partList.split(/\s+/).filter(Boolean));
  const parts = new Map<string, InstalledPart>();
  for (const name of order) {
    // A part listed without a section (hand-edited file) has nothing recorded: it will be reinstalled.
    const { [INSTALLED_KEY]: files = '', ...options } = sections.get(name) ?? {};
    parts.set(name, { options, files: files.split('\n').filter((f) => f.trim() !== '').map((f) => resolve(directory, f)) });
  }
  return { buildout, order, parts };
}

/** The file text for a state: deterministic (install order, sorted keys). */
export function stateToText(state: InstalledState, directory: string): string {
  const buildout = { installed_develop_eggs: '', ...state.buildout, parts: state.order.join(' ') };
  const parts = state.order.map((name): [string, Record<string, string>] => {
    const p = state.parts.get(name)!;
    return [name, { ...p.options, [INSTALLED_KEY]: p.files.map((f) => recordedPath(f, directory)).join('\n') }];
  });
  return formatInstalled(buildout, parts);
}

/**
 * Makes the file say `state`: replaced atomically, left alone when it already
 * says so, removed when nothing is installed (as zc.buildout does).
 * Returns true when the file changed.
 */
export function saveInstalled(file: string, state: InstalledState, directory: string, current?: string): boolean {
  const existing = current ?? readOrUndefined(file);
  if (state.order.length === 0 && !hasDevelopRecord(state)) {
    if (existing === undefined) return false;
    rmSync(file, { force: true });
    return true;
  }
  const text = stateToText(state, directory);
  if (text === existing) return false;
  writeFileAtomic(file, text);
  return true;
}

export function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A path as recorded in the file: relative to the buildout directory when inside it. */
export function recordedPath(path: string, directory: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(directory, path);
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return path;
  return rel;
}

// --- internal ---

// zc.buildout keeps the file while it records develop eggs, even with no parts.
function hasDevelopRecord(state: InstalledState): boolean {
  return (state.buildout.installed_develop_eggs ?? '') !== '';
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
