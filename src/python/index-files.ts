// The SHA-256 of every file an index (PEP 691 JSON, or PEP 503 HTML with `#sha256=`
// fragments) or a find-links folder offers for one version of a distribution. The uv
// installer reports these itself; pip resolves for one platform and reports one file, so
// a lock written with pip takes the others from here (wheels of other platforms, sdist).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVersion, compareVersions } from '../config/conditions/pep440.js';
import { normaliseName } from './requirements.js';

export const DEFAULT_INDEX = 'https://pypi.org/simple';

export interface FileSources {
  /** the index's simple API, or undefined for none */
  index?: string;
  /** local find-links folders */
  folders: readonly string[];
  timeoutSec?: number;
}

/** `sha256:<hex>` of each file of `name` `version` in the sources (sorted, no duplicates). */
export async function fileHashes(name: string, version: string, sources: FileSources): Promise<string[]> {
  const out = new Set<string>();
  for (const dir of sources.folders) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of entries) if (fileMatches(f, name, version)) out.add(`sha256:${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}`);
  }
  if (sources.index) for (const h of await indexHashes(sources.index, name, version, sources.timeoutSec ?? 30)) out.add(h);
  return [...out].sort();
}

/** true when a distribution file name (wheel or sdist) is of that name and version. */
export function fileMatches(file: string, name: string, version: string): boolean {
  const parsed = splitFileName(file);
  if (!parsed || normaliseName(parsed.name) !== normaliseName(name)) return false;
  if (parsed.version === version) return true;
  const a = parseVersion(parsed.version);
  const b = parseVersion(version);
  return !!a && !!b && compareVersions(a, b) === 0;
}

// --- internal ---

function splitFileName(file: string): { name: string; version: string } | undefined {
  if (file.endsWith('.whl')) {
    const parts = file.slice(0, -4).split('-');
    return parts.length >= 5 ? { name: parts[0]!, version: parts[1]! } : undefined;
  }
  const stem = /^(.+)\.(?:tar\.gz|tar\.bz2|tgz|zip)$/.exec(file)?.[1];
  if (!stem) return undefined;
  const i = stem.lastIndexOf('-');
  return i > 0 ? { name: stem.slice(0, i), version: stem.slice(i + 1) } : undefined;
}

async function indexHashes(index: string, name: string, version: string, timeoutSec: number): Promise<string[]> {
  const url = `${index.replace(/\/+$/, '')}/${normaliseName(name)}/`;
  const res = await fetch(url, { headers: { Accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' }, signal: AbortSignal.timeout(timeoutSec * 1000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const body = await res.text();
  const files: { filename: string; sha256?: string }[] = [];
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    const data = JSON.parse(body) as { files?: { filename: string; hashes?: { sha256?: string } }[] };
    for (const f of data.files ?? []) files.push({ filename: f.filename, ...(f.hashes?.sha256 ? { sha256: f.hashes.sha256 } : {}) });
  } else {
    for (const m of body.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([^<]+)<\/a>/gi)) {
      const sha = /#sha256=([0-9a-f]{64})/.exec(m[1]!)?.[1];
      files.push({ filename: m[2]!.trim(), ...(sha ? { sha256: sha } : {}) });
    }
  }
  return files.filter((f) => f.sha256 && fileMatches(f.filename, name, version)).map((f) => `sha256:${f.sha256!}`);
}
