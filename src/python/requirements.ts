// Requirement strings and [versions] pins, as far as buildout-ts needs to
// understand them itself: the distribution name (to match pins and develop
// eggs) and whether a [versions] value is an exact pin. pip does the rest.

export interface ParsedRequirement {
  /** the text as given (passed to pip unchanged) */
  text: string;
  /** the distribution name as written, e.g. `Zope` */
  name: string;
  /** PEP 503 normalised name, e.g. `plone-recipe-zope2instance` */
  key: string;
  extras: string[];
  /** version specifier part, e.g. `>=2,<3` ('' when none) */
  spec: string;
}

const REQ = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;

/** PEP 503 name normalisation: runs of `-_.` become `-`, lower case. */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Parses `Name[extra1,extra2] >=1.0; marker`; undefined when the text is not a requirement. */
export function parseRequirement(text: string): ParsedRequirement | undefined {
  const m = REQ.exec(text);
  if (!m) return undefined;
  const rest = (m[3] ?? '').trim();
  // a URL/path requirement (`name @ url`) or a marker: keep them, pip understands them
  if (rest !== '' && !/^(?:[<>=!~;@(]|\s*$)/.test(rest)) return undefined;
  const name = m[1]!;
  const spec = rest.split(';')[0]!.trim().replace(/^\((.*)\)$/, '$1').trim();
  return {
    text: text.trim(),
    name,
    key: normaliseName(name),
    extras: (m[2] ?? '').split(',').map((e) => e.trim()).filter(Boolean),
    spec: spec.startsWith('@') ? '' : spec,
  };
}

/** Splits a buildout `eggs`-style value into requirement lines (blank lines and `#` comments dropped). */
export function requirementLines(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}

export interface VersionPin {
  /** the name as written in [versions] */
  name: string;
  key: string;
  /** the line for a pip constraints file, e.g. `plone==6.0.9` or `zc.buildout>=3` */
  constraint: string;
  /** true for an exact version (what zc.buildout calls a pin) */
  exact: boolean;
  /** the exact version (for exact pins) */
  version?: string;
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/;
const SPECIFIER = /^(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)+$/;

/**
 * Turns the [versions] section into constraints. A bare version `1.2` is an
 * exact pin (`==1.2`); a specifier such as `>=2.0.6` (zc.buildout adds those for
 * itself) is passed to pip as a constraint too; anything else is skipped and reported.
 */
export function versionPins(versions: Readonly<Record<string, string>>): { pins: Map<string, VersionPin>; invalid: string[] } {
  const pins = new Map<string, VersionPin>();
  const invalid: string[] = [];
  for (const [name, raw] of Object.entries(versions)) {
    const value = raw.trim();
    if (value === '' || !/^[A-Za-z0-9]/.test(name)) continue;
    const key = normaliseName(name);
    if (VERSION.test(value)) {
      pins.set(key, { name, key, constraint: `${name}==${value}`, exact: true, version: value });
    } else if (SPECIFIER.test(value)) {
      const exact = /^==\s*[^,*]+$/.test(value);
      const version = exact ? value.replace(/^==\s*/, '') : undefined;
      pins.set(key, { name, key, constraint: `${name}${value.replace(/\s+/g, '')}`, exact, ...(version ? { version } : {}) });
    } else {
      invalid.push(`${name} = ${value}`);
    }
  }
  return { pins, invalid };
}
