// PEP 440 versions and single version specifiers, as far as environment markers need them
// (`python_version >= "3.8"`, `python_full_version == "3.11.*"`). Mirrors the rules of
// the `packaging` library (26.x): ordering, pre/post/dev/local handling, wildcards, `~=`.

export interface Version {
  epoch: number;
  release: number[];
  pre: [string, number] | undefined;
  post: number | undefined;
  dev: number | undefined;
  local: string[] | undefined;
}

const VERSION_RE =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** Parses a PEP 440 version; undefined when the text is not one. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
  return {
    epoch: epoch ? Number(epoch) : 0,
    release: release!.split('.').map(Number),
    pre: preL ? [normalizePreLabel(preL), Number(preN ?? 0)] : undefined,
    post: postN1 !== undefined ? Number(postN1) : postL ? Number(postN2 ?? 0) : undefined,
    dev: devL ? Number(devN ?? 0) : undefined,
    local: local ? local.toLowerCase().split(/[-_.]/) : undefined,
  };
}

/** Total order of PEP 440 (negative, zero, positive). */
export function compareVersions(a: Version, b: Version): number {
  return compareKeys(cmpKey(a), cmpKey(b));
}

export type SpecOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~=' | '===';

/** A parsed specifier like `>=3.8`; undefined when `packaging` would call it invalid. */
export interface Specifier {
  op: SpecOp;
  version: string;
}

const SPEC_RES: Record<SpecOp, RegExp> = {
  '===': /^\s*===\s*([^\s;)]*)\s*$/,
  '==': /^\s*==\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:\.\*|(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?))\s*$/i,
  '!=': /^\s*!=\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:\.\*|(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?))\s*$/i,
  '~=': /^\s*~=\s*(v?(?:\d+!)?\d+(?:\.\d+)+(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?)\s*$/i,
  '<=': /^\s*<=\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?)\s*$/i,
  '>=': /^\s*>=\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?)\s*$/i,
  '<': /^\s*<\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?)\s*$/i,
  '>': /^\s*>\s*(v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?)\s*$/i,
};

export function parseSpecifier(op: SpecOp, rhs: string): Specifier | undefined {
  const m = SPEC_RES[op].exec(`${op}${rhs}`);
  return m ? { op, version: m[1]! } : undefined;
}

/** `Specifier.contains(item, prereleases=True)`: an invalid item matches only `===`. */
export function specifierContains(spec: Specifier, item: string): boolean {
  if (spec.op === '===') return item.toLowerCase() === spec.version.toLowerCase();
  const v = parseVersion(item);
  if (!v) return false;
  switch (spec.op) {
    case '==':
      return equalTo(v, spec.version);
    case '!=':
      return !equalTo(v, spec.version);
    case '<=':
      return compareVersions(publicOf(v), parseVersion(spec.version)!) <= 0;
    case '>=':
      return compareVersions(publicOf(v), parseVersion(spec.version)!) >= 0;
    case '<':
      return lessThan(v, parseVersion(spec.version)!);
    case '>':
      return greaterThan(v, parseVersion(spec.version)!);
    case '~=':
      return compatible(v, parseVersion(spec.version)!);
  }
}

// --- internal ---

function normalizePreLabel(l: string): string {
  const s = l.toLowerCase();
  if (s === 'alpha') return 'a';
  if (s === 'beta') return 'b';
  if (s === 'c' || s === 'pre' || s === 'preview') return 'rc';
  return s;
}

const NEG = -Infinity;
const PRE_RANK: Record<string, number> = { a: 0, b: 1, rc: 2 };
const POS = Infinity;
type Key = (number | string | Key)[];

// The sort key of packaging's Version._key, with infinities for absent parts.
function cmpKey(v: Version): Key {
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const pre: Key = v.pre === undefined && v.post === undefined && v.dev !== undefined ? [NEG] : v.pre === undefined ? [POS] : [PRE_RANK[v.pre[0]]!, v.pre[1]];
  const post: Key = [v.post === undefined ? NEG : v.post];
  const dev: Key = [v.dev === undefined ? POS : v.dev];
  // local parts: numbers sort after strings, strings lexicographically
  const local: Key = v.local === undefined ? [NEG] : v.local.map((p) => (/^\d+$/.test(p) ? [1, Number(p), ''] : [0, 0, p]));
  return [v.epoch, release, pre, post, dev, local];
}

function compareKeys(a: Key, b: Key): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    let c: number;
    if (Array.isArray(x) && Array.isArray(y)) c = compareKeys(x, y);
    else if (typeof x === 'number' && typeof y === 'number') c = x < y ? -1 : x > y ? 1 : 0;
    else c = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function publicOf(v: Version): Version {
  return { ...v, local: undefined };
}

function baseOf(v: Version): Version {
  return { epoch: v.epoch, release: v.release, pre: undefined, post: undefined, dev: undefined, local: undefined };
}

function equalTo(v: Version, specVersion: string): boolean {
  if (specVersion.endsWith('.*')) {
    const spec = parseVersion(specVersion.slice(0, -2))!;
    if (spec.epoch !== v.epoch) return false;
    return spec.release.every((n, i) => (v.release[i] ?? 0) === n);
  }
  const spec = parseVersion(specVersion)!;
  return compareVersions(spec.local ? v : publicOf(v), spec) === 0;
}

function lessThan(v: Version, spec: Version): boolean {
  if (!(compareVersions(v, spec) < 0)) return false;
  const isPre = (x: Version) => x.pre !== undefined || x.dev !== undefined;
  if (!isPre(spec) && isPre(v) && compareVersions(baseOf(v), baseOf(spec)) === 0) return false;
  return true;
}

function greaterThan(v: Version, spec: Version): boolean {
  if (!(compareVersions(v, spec) > 0)) return false;
  if (spec.post === undefined && v.post !== undefined && compareVersions(baseOf(v), baseOf(spec)) === 0) return false;
  if (v.local !== undefined && compareVersions(baseOf(v), baseOf(spec)) === 0) return false;
  return true;
}

function compatible(v: Version, spec: Version): boolean {
  if (compareVersions(publicOf(v), spec) < 0) return false;
  const prefix = spec.release.slice(0, -1);
  return v.epoch === spec.epoch && prefix.every((n, i) => (v.release[i] ?? 0) === n);
}
