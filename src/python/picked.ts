// zc.buildout's picked versions: a distribution installed without an exact pin (in
// [versions] or as `name==version` in the requirement itself), develop eggs excepted.
// Reported with show-picked-versions, appended to update-versions-file, refused with
// allow-picked-versions = false -- in zc.buildout's own format.
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedDist } from './installer.js';
import { normaliseName, parseRequirement, type VersionPin } from './requirements.js';

export interface Picked {
  /** the project name as its metadata spells it, e.g. `zope.interface` */
  name: string;
  version: string;
  /** `Name==version` of the distributions that require it (sorted); empty for a requirement of the buildout */
  requiredBy: string[];
}

/** The distributions of a resolution that were picked, sorted by name as zc.buildout sorts them. */
export function pickedVersions(dists: readonly ResolvedDist[], pins: ReadonlyMap<string, VersionPin>, developKeys: ReadonlySet<string>, requirements: readonly string[], names: (key: string) => string = (k) => k): Picked[] {
  const exactInRequirement = new Set(requirements.map(parseRequirement).filter((p) => p && /^(===|==)[^,*]+$/.test(p.spec.replace(/\s+/g, ''))).map((p) => p!.key));
  const byKey = new Map(dists.filter((d) => !d.direct).map((d) => [normaliseName(d.name), d]));
  const picked: Picked[] = [];
  for (const [key, d] of byKey) {
    if (developKeys.has(key) || pins.get(key)?.exact || exactInRequirement.has(key)) continue;
    const requiredBy = d.requested ? [] : d.requiredBy.filter((k) => byKey.has(k) || developKeys.has(k)).map((k) => (byKey.has(k) ? `${names(k)}==${byKey.get(k)!.version}` : names(k)));
    picked.push({ name: names(key), version: d.version, requiredBy: requiredBy.sort() });
  }
  return picked.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `[versions]` snippet, as zc.buildout formats it (dependencies last, under `# Required by:`). */
export function formatPicked(picked: readonly Picked[]): string[] {
  const top = ['[versions]'];
  const required: string[] = [];
  for (const p of picked) {
    if (p.requiredBy.length === 0) {
      top.push(`${p.name} = ${p.version}`);
      continue;
    }
    required.push('', '# Required by:', ...p.requiredBy.map((r) => `# ${r}`), `${p.name} = ${p.version}`);
  }
  return [...top, ...required];
}

/** The lines show-picked-versions prints. */
export function pickedReport(picked: readonly Picked[]): string {
  return ['Versions had to be automatically picked.', 'The following part definition lists the versions picked:', ...formatPicked(picked)].join('\n');
}

/** Appends to update-versions-file exactly as zc.buildout does (a new file starts with `[versions]`). */
export function appendPicked(file: string, picked: readonly Picked[], now = new Date()): void {
  const lines = formatPicked(picked);
  if (existsSync(file)) lines.splice(0, 1, '', `# Added by buildout at ${pythonNow(now)}`);
  lines.push('');
  appendFileSync(file, lines.join('\n'));
}

/** Project names as their metadata spells them, read from the environment's dist-info folders. */
export function metadataNames(sitePackages: string): (key: string) => string {
  const names = new Map<string, string>();
  let entries: string[] = [];
  try {
    entries = readdirSync(sitePackages).filter((e) => e.endsWith('.dist-info'));
  } catch {
    // no environment yet
  }
  for (const e of entries) {
    const key = normaliseName(e.replace(/-[^-]+\.dist-info$/, ''));
    try {
      const m = /^Name:\s*(.+)$/m.exec(readFileSync(join(sitePackages, e, 'METADATA'), 'utf8').slice(0, 2000));
      if (m) names.set(key, m[1]!.trim());
    } catch {
      // a dist-info without METADATA: keep the normalised name
    }
  }
  return (key) => names.get(key) ?? key;
}

// str(datetime.datetime.now()): local time with microseconds.
function pythonNow(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}
