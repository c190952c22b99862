// What the constructors of Python recipes computed, kept between runs in
// `.buildout/recipes-constructed.json`, so that a run whose Python parts are unchanged
// needs no Python process to know their options (the no-op run stays process-free).
//
// The rule: a recipe constructor is taken to be a function of what it read — the part's
// own options, the options of other sections it read, the recipe environment (pins,
// find-links, index, develop eggs, interpreter: `envKey`). When all of those are
// unchanged, its recorded result is used instead of running it again.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SectionReader } from '../../config/types.js';
import { isBuildoutError } from '../../errors.js';
import { writeFileAtomic } from '../../state/atomic-write.js';

export const CONSTRUCTED_FILE = join('.buildout', 'recipes-constructed.json');
const VERSION = 1;

/** One read of another section: [section, option, value] (value null: the option or section was missing). */
export type Read = [string, string, string | null];

export interface Constructed {
  recipe: string;
  /** the recipe environment's inputs (recipeEnvKey) */
  envKey: string;
  /** the part's options before the constructor ran */
  options: Record<string, string>;
  /** what the constructor read of other sections ([buildout] included) */
  reads: Read[];
  /** options the constructor set (null: removed) */
  set: Record<string, string | null>;
  /** zc.buildout's `__buildout_signature__` of the recipe: its distributions and versions */
  signature: string;
  /** requirements the part asked for in the buildout's environment when it last ran (easy_install) */
  requirements?: string[];
}

export interface ConstructedFile {
  version: number;
  parts: Record<string, Constructed>;
}

export function readConstructed(directory: string): ConstructedFile {
  try {
    const data = JSON.parse(readFileSync(join(directory, CONSTRUCTED_FILE), 'utf8')) as ConstructedFile;
    if (data.version === VERSION && data.parts && typeof data.parts === 'object') return data;
  } catch {
    // none yet, or unreadable: every constructor runs again
  }
  return { version: VERSION, parts: {} };
}

export function writeConstructed(directory: string, file: ConstructedFile): void {
  const sorted: Record<string, Constructed> = {};
  for (const k of Object.keys(file.parts).sort()) sorted[k] = file.parts[k]!;
  writeFileAtomic(join(directory, CONSTRUCTED_FILE), JSON.stringify({ version: VERSION, parts: sorted }, null, 1) + '\n');
}

/** True when `entry` still describes the constructor of `part` (see the rule above). Reading records the part's dependencies. */
export function stillValid(entry: Constructed | undefined, recipe: string, envKey: string, options: Readonly<Record<string, string>>, buildout: SectionReader): entry is Constructed {
  if (!entry || entry.recipe !== recipe || entry.envKey !== envKey || !sameOptions(entry.options, options)) return false;
  return entry.reads.every(([section, option, value]) => currentValue(buildout, section, option) === value);
}

/** The value a constructor would read now (null when the section or option is missing). */
export function currentValue(buildout: SectionReader, section: string, option: string): string | null {
  if (!buildout.hasSection(section)) return null;
  try {
    return (section === 'buildout' ? buildout.options : buildout.section(section))[option] ?? null;
  } catch (e) {
    if (isBuildoutError(e)) return null;
    throw e;
  }
}

/** A short hash of what shapes the recipe environment (interpreter, pins, find-links, index, develop). */
export function recipeEnvKey(buildout: SectionReader): string {
  const b = buildout.options;
  const versionsName = (b.versions ?? 'versions').trim();
  const versions = versionsName && buildout.hasSection(versionsName) ? buildout.section(versionsName) : {};
  const inputs = {
    executable: b.executable ?? '',
    findLinks: b['find-links'] ?? '',
    index: b.index ?? '',
    allowHosts: b['allow-hosts'] ?? '',
    develop: b.develop ?? '',
    preferFinal: b['prefer-final'] ?? '',
    versions: Object.keys(versions)
      .sort()
      .map((k) => `${k}=${versions[k]}`),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

function sameOptions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
