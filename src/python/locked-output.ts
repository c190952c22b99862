// The requirements format with hashes, both ways: what `uv pip compile --generate-hashes`
// writes (read into locked packages), and what `--require-hashes` installs read (written
// from a lock file for `buildout --frozen`).
import type { LockedPackage } from '../lock/lock-file.js';
import type { ResolvedDist } from './installer.js';
import { normaliseName } from './requirements.js';

export interface HashedResolution {
  packages: LockedPackage[];
  /** the same set as a resolution (develop eggs as direct entries), for picked versions */
  dists: ResolvedDist[];
}

/** Parses `name==1.0 ; marker \` / `--hash=sha256:…` / `# via …` blocks. */
export function parseHashedOutput(text: string): HashedResolution {
  const packages: LockedPackage[] = [];
  const dists: ResolvedDist[] = [];
  let pkg: LockedPackage | undefined;
  let dist: ResolvedDist | undefined;
  let inVia = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s*\\$/, '').trimEnd();
    if (/^\S/.test(line) && !line.startsWith('#')) {
      inVia = false;
      pkg = undefined;
      const pinned = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)\s*(?:;\s*(.+))?$/.exec(line);
      if (pinned) {
        pkg = { name: normaliseName(pinned[1]!), version: pinned[2]!, ...(pinned[3] ? { marker: pinned[3].trim() } : {}), hashes: [] };
        packages.push(pkg);
        dist = { name: pinned[1]!, version: pinned[2]!, direct: false, requiredBy: [], requested: false };
      } else {
        const direct = /^-e\s+(.+)$/.exec(line) ?? /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*(.+)$/.exec(line);
        dist = direct ? { name: direct[1]!.trim(), version: '', direct: true, requiredBy: [], requested: false } : undefined;
      }
      if (dist) dists.push(dist);
      continue;
    }
    const hash = /^\s+--hash=(sha256:[0-9a-f]{64})$/.exec(line);
    if (hash) {
      pkg?.hashes.push(hash[1]!);
      continue;
    }
    if (!dist) continue;
    const via = /^\s+#\s+via(?:\s+(.*))?$/.exec(line);
    const more = /^\s+#\s{3}(.*)$/.exec(line);
    const who = via ? via[1] : inVia ? more?.[1] : undefined;
    if (via) inVia = true;
    if (!who) continue;
    if (who.startsWith('-r ') || who.startsWith('-c ')) dist.requested ||= who.startsWith('-r ');
    else dist.requiredBy.push(normaliseName(who.trim().split(/\s/)[0]!));
  }
  return { packages, dists };
}

/** The requirements file `--require-hashes` installs: every locked package but the develop eggs. */
export function hashedRequirements(packages: readonly LockedPackage[], developKeys: ReadonlySet<string>): string {
  const lines: string[] = [];
  for (const p of packages) {
    if (developKeys.has(p.name)) continue;
    lines.push(`${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''} \\`, ...p.hashes.map((h, i) => `    --hash=${h}${i < p.hashes.length - 1 ? ' \\' : ''}`));
  }
  return lines.join('\n') + '\n';
}

/** Locked versions as uv's preferences (`name==version` lines, markers kept). */
export function preferenceLines(packages: readonly LockedPackage[]): string {
  return packages.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}\n`).join('');
}
