// What went wrong in an installer run, whichever installer ran: parsed from its
// output into problems, then turned into one BuildoutError that names every
// distribution that could not be had and the real cause.
import { BuildoutError } from '../errors.js';
import { normaliseName } from './requirements.js';

export type Problem =
  /** the index (or a find-links URL) could not be reached: DNS, connection, TLS, HTTP */
  | { kind: 'network'; url?: string; cause: string }
  /** no distribution of that name where we looked */
  | { kind: 'not-found'; name: string; transitive: boolean }
  /** the name exists, but no version matches (`spec` as the installer printed it; `available` a phrase) */
  | { kind: 'no-version'; name: string; spec: string; available?: string }
  /** building a distribution from source failed */
  | { kind: 'build'; dist: string; error: string; missingHeader?: string }
  | { kind: 'conflict'; detail: string[] }
  /** a downloaded file's SHA-256 is none of those required (--frozen: the lock's) */
  | { kind: 'hash'; dist: string; got?: string }
  /** offline, no file with a required hash is in the download cache */
  | { kind: 'not-cached'; dist: string }
  | { kind: 'other'; detail: string[] };

export interface FailureContext {
  installer: string;
  offline: boolean;
  index?: string;
  logFile: string;
  /** --frozen: the lock file the hashes come from */
  lockFile?: string;
}

// C headers whose absence has a well-known fix (the system package that provides them).
const HEADER_PACKAGES: Record<string, { what: string; debian: string; fedora: string; brew: string }> = {
  'ev.h': { what: 'libev', debian: 'libev-dev', fedora: 'libev-devel', brew: 'libev' },
  'Python.h': { what: "the Python interpreter's C headers", debian: 'python3-dev', fedora: 'python3-devel', brew: 'python' },
  'ffi.h': { what: 'libffi', debian: 'libffi-dev', fedora: 'libffi-devel', brew: 'libffi' },
  'libpq-fe.h': { what: 'PostgreSQL client library', debian: 'libpq-dev', fedora: 'libpq-devel', brew: 'libpq' },
  'libxml/xmlversion.h': { what: 'libxml2', debian: 'libxml2-dev libxslt1-dev', fedora: 'libxml2-devel libxslt-devel', brew: 'libxml2 libxslt' },
  'ldap.h': { what: 'OpenLDAP client library', debian: 'libldap2-dev libsasl2-dev', fedora: 'openldap-devel', brew: 'openldap' },
};

/** One error for all problems of a failed run. */
export function installFailure(problems: Problem[], ctx: FailureContext): BuildoutError {
  const where = `The installer's full output (${ctx.installer}) is in ${ctx.logFile}.`;
  const build = problems.find((p): p is Extract<Problem, { kind: 'build' }> => p.kind === 'build');
  if (build?.missingHeader) {
    const pkg = HEADER_PACKAGES[build.missingHeader];
    if (pkg) {
      return new BuildoutError('BuildError', `Building ${build.dist} failed: the C header ${build.missingHeader} of ${pkg.what} is missing.\n${where}`, {
        hint: `Install ${pkg.what} with its headers, then run buildout again: Debian/Ubuntu \`apt install ${pkg.debian}\`, Fedora \`dnf install ${pkg.fedora}\`, macOS \`brew install ${pkg.brew}\`.`,
      });
    }
  }
  const hashes = problems.filter((p): p is Extract<Problem, { kind: 'hash' }> => p.kind === 'hash');
  if (hashes.length) {
    return new BuildoutError('HashMismatch', `The files downloaded for ${hashes.map((h) => `${h.dist}${h.got ? ` (sha256:${h.got})` : ''}`).join(', ')} match none of the hashes ${ctx.lockFile ? `the lock file ${ctx.lockFile} records` : 'required'}. Nothing was installed.\n${where}`, {
      hint: 'Either the lock file was changed by hand, or the index serves other files than when the lock was written: check where the files come from; `buildout lock` records the hashes again.',
    });
  }
  const uncached = problems.filter((p): p is Extract<Problem, { kind: 'not-cached' }> => p.kind === 'not-cached');
  if (uncached.length) {
    return new BuildoutError('DistributionNotFound', `Running offline, the download cache has no file of ${uncached.map((u) => u.dist).join(', ')} with a hash ${ctx.lockFile ? `the lock file ${ctx.lockFile} records` : 'that is required'}.\n${where}`, {
      hint: 'Run once online to fill the cache. If the cache was filled from this lock, the lock file may have been changed by hand: `buildout lock` records the hashes again.',
    });
  }
  const network = problems.find((p): p is Extract<Problem, { kind: 'network' }> => p.kind === 'network');
  const missing = problems.filter((p): p is Extract<Problem, { kind: 'not-found' | 'no-version' }> => p.kind === 'not-found' || p.kind === 'no-version').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (network) {
    // the distribution being fetched when the network failed, from the index page's URL
    const fetched = network.url ? /\/([A-Za-z0-9][A-Za-z0-9._-]*)\/?$/.exec(network.url)?.[1] : undefined;
    const names = missing.length ? missing.map((m) => m.name) : fetched && !/^simple$/i.test(fetched) ? [fetched] : [];
    return new BuildoutError('NetworkError', `Couldn't reach the package index${names.length ? ` for ${quoteList(names)}` : ''}: ${network.cause}${network.url ? `\n  (fetching ${network.url})` : ''}\n${where}`, {
      hint: `Check the network and [buildout] index (${ctx.index ?? 'PyPI'}); run offline (-o) to install from the download cache and find-links only.`,
    });
  }
  if (missing.length > 0) {
    const lines = missing.map((m) =>
      m.kind === 'not-found'
        ? `  ${m.name}: no distribution of that name${ctx.offline ? ' in the download cache or find-links' : ''}${m.transitive ? ' (a dependency of another distribution)' : ''}`
        : `  ${m.name}${m.spec}: no such version${m.available ? ` (${m.available})` : ''}`,
    );
    const hint = ctx.offline
      ? 'Running offline (-o / offline = true): only the download cache and find-links are used. Run once without -o to fill the cache, or add the distributions to find-links.'
      : 'Check the names and their [versions] pins; a distribution that is not on the index can be put in a folder named in [buildout] find-links.';
    return new BuildoutError('DistributionNotFound', `Couldn't find ${missing.length === 1 ? 'a distribution' : 'distributions'} for:\n${lines.join('\n')}\n${where}`, { hint });
  }
  if (build) {
    return new BuildoutError('BuildError', `Building ${build.dist} failed: ${build.error}\n${where}`, {
      hint: 'The build output is in the log above; a C library or its headers may be missing, or the project needs a newer build back-end.',
    });
  }
  const conflict = problems.find((p): p is Extract<Problem, { kind: 'conflict' }> => p.kind === 'conflict');
  if (conflict) {
    return new BuildoutError('VersionConflict', `The requirements conflict:\n${conflict.detail.map((l) => `  ${l}`).join('\n')}\n${where}`, { hint: 'Loosen or change the [versions] pins named above.' });
  }
  const other = problems.flatMap((p) => (p.kind === 'other' ? p.detail : []));
  return new BuildoutError('InstallError', `Installing the Python requirements failed:\n${other.slice(0, 8).map((l) => `  ${l}`).join('\n')}\n${where}`, {
    ...(ctx.offline ? { hint: 'Running offline: a build back-end or a dependency may be missing from the download cache.' } : {}),
  });
}

/** Parses uv's error output (`error:` / `cause:` lines, or the boxed form on a terminal). */
export function uvProblems(output: string): Problem[] {
  const lines = output.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd());
  const text = lines.join('\n');
  const problems: Problem[] = [];
  const causes = lines.map((l) => /^\s*(?:cause:|(?:├|╰)─▶|Caused by:)\s*(.*)$/.exec(l)?.[1]).filter((c): c is string => !!c);
  for (const m of text.matchAll(/Hash mismatch for `([^`]+)`[\s\S]*?Computed:\s*sha256:([0-9a-f]{64})/g)) problems.push({ kind: 'hash', dist: m[1]!, got: m[2]! });
  const offlineMiss = /Failed to download `([^`]+)`\s*\n\s*cause: Network connectivity is disabled, but the requested data wasn't found in the cache/.exec(text);
  if (offlineMiss && problems.length === 0) problems.push({ kind: 'not-cached', dist: offlineMiss[1]! });
  if (problems.length) return problems;
  const build = /Failed to build `([^`]+)`/.exec(text);
  if (build) {
    const header = /fatal error: ([\w/.+-]+\.h): No such file or directory/.exec(text)?.[1];
    const errs = lines.map((l) => /^\s*(?:\w+\.\w+:\d+:\d+: )?(?:fatal )?error: (.*)$/.exec(l)?.[1]).filter((e): e is string => !!e && !/^Failed to build/.test(e));
    problems.push({ kind: 'build', dist: build[1]!.replace(/ @ file:\/\//, ' at '), error: errs.at(-1) ?? causes.at(-1) ?? 'see the log', ...(header ? { missingHeader: header } : {}) });
    return problems;
  }
  for (const m of text.matchAll(/(?:Because |and |, )([A-Za-z0-9][A-Za-z0-9._-]*) was not found in the (?:package registry|cache|provided package locations)(?: and (you require|\S+ depends on))?/g)) {
    if (!problems.some((p) => 'name' in p && p.name === m[1])) problems.push({ kind: 'not-found', name: m[1]!, transitive: !!m[2] && m[2] !== 'you require' });
  }
  for (const m of text.matchAll(/there is no version of ([A-Za-z0-9][A-Za-z0-9._-]*?)((?:===|==|~=|!=|<=|>=|<|>)[^\s,]+(?:,[^\s,]+)*)/g)) problems.push({ kind: 'no-version', name: m[1]!, spec: m[2]! });
  for (const m of text.matchAll(/only ([A-Za-z0-9][A-Za-z0-9._-]*?)((?:<=|==|>=|<|>)[^\s,]+) (?:is|are) available and you require ([A-Za-z0-9][A-Za-z0-9._-]*?)((?:===|==|~=|!=|<=|>=|<|>)[^\s,]+)/g)) {
    problems.push({ kind: 'no-version', name: m[3]!, spec: m[4]!, available: `only ${m[1]}${m[2]} is available` });
  }
  if (problems.length > 0) return problems;
  const fetchFail = /Failed to fetch: `?([^`\s]+)`?/.exec(text) ?? /error sending request for url \(([^)]+)\)/.exec(text);
  if (fetchFail || /dns error|Connect|timed out|certificate|tls/i.test(causes.join('\n'))) {
    return [{ kind: 'network', ...(fetchFail ? { url: fetchFail[1]! } : {}), cause: causes.at(-1) ?? lines.find((l) => l.startsWith('error:'))?.slice(7) ?? 'unknown network error' }];
  }
  if (/No solution found/.test(text)) return [{ kind: 'conflict', detail: causes.length ? causes : lines.filter((l) => l.trim()).slice(-6) }];
  const err = lines.filter((l) => /^(error|\s*cause):/.test(l)).map((l) => l.trim());
  return [{ kind: 'other', detail: err.length ? err : lines.filter((l) => l.trim()).slice(-6) }];
}

/** Matches a problem to a requirement or constraint by normalised name. */
export function problemKey(p: Problem): string | undefined {
  return 'name' in p ? normaliseName(p.name) : undefined;
}

function quoteList(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
