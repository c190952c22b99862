// Cross-option checks of plone.recipe.zope2instance. Where the Python recipe
// raises (ValueError/UserError) we report the same condition, but with the
// section and option named and a hint. Used by schema.ts (zod issues) and
// context.ts (BuildoutError), so both paths say the same thing.
import { BuildoutError } from '../../errors.js';
import { checkShapes } from './shapes.js';

export interface RuleProblem {
  option: string;
  message: string;
  hint?: string;
}

type Opts = Readonly<Record<string, string | undefined>>;

export const ON_VALUES_ZEO = ['yes', 'true', 'on', '1'];

export function isZeoClient(o: Opts): boolean {
  return ON_VALUES_ZEO.includes((o['zeo-client'] ?? '').toLowerCase());
}

export function isDemoStorage(o: Opts): boolean {
  return !['off', 'disable', 'false'].includes(o['demo-storage'] ?? 'off');
}

/** A ZCML item: `pkg[-suffix][:file]` with `pkg` a dotted identifier, or `*`. */
export const ZCML_PACKAGE = /^\w+(\.\w+)*$/u;

/** Returns every problem found (empty when the options are consistent). */
export function checkOptions(o: Opts): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const zeo = isZeoClient(o);
  const rel = !!o['rel-storage'];

  const zlib = o['zlib-storage'];
  if (zlib !== undefined && !rel && zlib !== 'active' && zlib !== 'passive') {
    problems.push({ option: 'zlib-storage', message: `zlib-storage must be "active" (compress) or "passive" (read compressed records, write plain), got ${JSON.stringify(zlib)}` });
  }
  if (zeo && rel) {
    problems.push({ option: 'rel-storage', message: 'zeo-client and rel-storage cannot be used at the same time', hint: 'use either a ZEO client (zeo-client = on) or RelStorage (rel-storage = ...), not both' });
  }
  if (zeo && o['zeo-username'] && !o['zeo-password']) {
    problems.push({ option: 'zeo-password', message: 'No ZEO password specified: zeo-username is set but zeo-password is empty', hint: 'add zeo-password = ... or remove zeo-username' });
  }
  if (o['wsgi-ini-template'] && o['wsgi-logging-ini-template']) {
    problems.push({ option: 'wsgi-logging-ini-template', message: 'wsgi-ini-template and wsgi-logging-ini-template cannot be used together', hint: 'a wsgi-ini-template replaces the whole wsgi.ini: put the logging sections into it and drop wsgi-logging-ini-template' });
  }
  if (isDemoStorage(o) && o['blob-storage'] !== undefined && !o['demo-file-storage'] && !o['demo-blob-storage']) {
    problems.push({ option: 'blob-storage', message: 'blob-storage and demo-storage cannot be used at the same time', hint: 'use before-storage, or demo-file-storage/demo-blob-storage for the changes' });
  }
  if (rel) problems.push(...checkRelStorage(o['rel-storage']!));
  const umask = o['zopectl-umask'];
  if (umask && !/^[0-7]+$/.test(umask)) problems.push({ option: 'zopectl-umask', message: `zopectl-umask must be an octal number such as 002, got ${JSON.stringify(umask)}` });
  problems.push(...checkShapes(o));
  const clf = o['content-length-filter'];
  if (clf !== undefined && !['auto', 'on', 'off'].includes(clf.trim().toLowerCase())) {
    problems.push({ option: 'content-length-filter', message: `content-length-filter must be auto, on or off, got ${JSON.stringify(clf)}` });
  }
  if (o.zcml && !o['site-zcml']) {
    for (const item of splitNoComments(o.zcml)) {
      if (item === '*') continue;
      const pkg = zcmlPackage(item);
      if (!ZCML_PACKAGE.test(pkg)) problems.push({ option: 'zcml', message: `invalid zcml item ${JSON.stringify(item)}: ${JSON.stringify(pkg)} is not a dotted package name`, hint: 'items look like package, package-meta, package-overrides or package:file.zcml' });
    }
  }
  return problems;
}

/** Throws the first problem as a BuildoutError naming the part and option. */
export function assertOptions(part: string, o: Opts): void {
  const [p] = checkOptions(o);
  if (p) throw new BuildoutError('UserError', p.message, { section: part, option: p.option, hint: p.hint });
}

/** The recipe's nocomments_split: whitespace-separated words, `#` starts a comment. */
export function splitNoComments(s: string): string[] {
  const out: string[] = [];
  for (const raw of s.split(/\r\n|\r|\n/)) {
    const line = raw.includes('#') ? raw.slice(0, raw.indexOf('#')) : raw;
    out.push(...line.split(/\s+/).filter(Boolean));
  }
  return out;
}

/** The package part of a zcml item (`pkg-meta:file.zcml` → `pkg`). */
export function zcmlPackage(item: string): string {
  let pkg = item.includes(':') ? item.slice(0, item.indexOf(':')) : item;
  if (pkg.includes('-')) pkg = pkg.slice(0, pkg.indexOf('-'));
  return pkg;
}

function checkRelStorage(value: string): RuleProblem[] {
  const entries = relStorageEntries(value);
  const type = entries.get('type') ?? 'postgresql';
  if (type !== 'postgresql' || entries.has('dsn')) return [];
  const missing = ['dbname', 'user', 'host', 'password'].filter((k) => !entries.has(k));
  if (!missing.length) return [];
  return [{ option: 'rel-storage', message: `rel-storage for postgresql needs either dsn or all of dbname, user, host, password (missing: ${missing.join(', ')})` }];
}

/** `key value` lines of rel-storage, in first-seen order (a repeated key keeps its first position, last value). */
export function relStorageEntries(value: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of value.split(/\r\n|\r|\n/)) {
    // like Python's str.split(None, 1): leading whitespace dropped, the rest kept
    const t = line.trimStart();
    const sp = t.search(/\s/);
    if (sp < 0 || t.slice(sp).trim() === '') continue;
    m.set(t.slice(0, sp), t.slice(sp).trimStart());
  }
  return m;
}
