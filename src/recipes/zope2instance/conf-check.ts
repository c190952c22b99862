// Checks the written zope.conf and wsgi.ini against the installed Zope with one short
// Python run (python -m buildout_ts_wsgi.confcheck), so that a configuration Zope or
// PasteDeploy would refuse at start is a build error naming the option that wrote the
// offending line. Runs only when the part is (re)installed: a no-op rebuild starts nothing.
import { readFileSync } from 'node:fs';
import { BuildoutError } from '../../errors.js';
import { runPython } from '../../python/spawn.js';
import type { PythonEnv } from '../../python/types.js';
import type { ZopeConfView } from './context.js';
import { alreadyChecked, confCheckMemo, rememberChecked } from './conf-check-memo.js';

export interface CheckResult {
  status: 'ok' | 'skipped' | 'error';
  reason?: string;
  message?: string;
  line?: number | null;
  file?: string | null;
  section?: string;
  use?: string;
  missing?: string[];
}

export interface ConfCheckInput {
  part: string;
  env: PythonEnv;
  cwd: string;
  extraPaths: string[];
  /** the zope.conf Zope will load; `sources` maps its lines to view fields when we wrote it */
  zopeConf?: { path: string; sources?: Array<keyof ZopeConfView | undefined>; option?: string };
  wsgiIni?: { path: string; option: string; template?: string };
  /** packages etc/package-includes includes (from the zcml option) */
  zcmlPackages?: string[];
  options: Readonly<Record<string, string | undefined>>;
}

/** Returns the debug-level notes (skips); throws a BuildoutError for the first problem. */
export async function checkWithZope(input: ConfCheckInput): Promise<string[]> {
  const memo = confCheckMemo(input);
  if (memo && alreadyChecked(memo)) return [`[${input.part}] zope.conf and wsgi.ini not checked again: only the addresses changed since the last check`];
  const args = ['-m', 'buildout_ts_wsgi.confcheck'];
  if (input.zopeConf) args.push('--zope-conf', input.zopeConf.path);
  if (input.wsgiIni) args.push('--wsgi-ini', input.wsgiIni.path);
  for (const p of input.extraPaths) args.push('--path', p);
  for (const p of input.zcmlPackages ?? []) args.push('--zcml-package', p);
  const r = await runPython(input.env.python, args, { cwd: input.cwd, timeoutMs: 120_000, env: { PYTHONDONTWRITEBYTECODE: '1' } });
  let out: { zope_conf?: CheckResult; wsgi_ini?: CheckResult; zcml?: CheckResult };
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    // the checker itself failed (a broken environment): say so, do not block the build on our tool
    return [`[${input.part}] could not check zope.conf/wsgi.ini with the installed Zope: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`];
  }
  const notes: string[] = [];
  for (const [key, res] of [['zope.conf', out.zope_conf], ['wsgi.ini', out.wsgi_ini]] as const) {
    if (res?.status === 'skipped') notes.push(`[${input.part}] ${key} not checked: ${res.reason}`);
  }
  if (out.zope_conf?.status === 'error') throw zopeConfError(input, out.zope_conf);
  if (out.wsgi_ini?.status === 'error') throw wsgiIniError(input, out.wsgi_ini);
  if (out.zcml?.status === 'error') {
    const missing = out.zcml.missing ?? [];
    throw new BuildoutError('UserError', `zcml names ${missing.length > 1 ? 'packages' : 'a package'} that cannot be imported: ${missing.join(', ')}; Zope would fail loading etc/package-includes at start`, {
      section: input.part,
      option: 'zcml',
      hint: `add the distribution${missing.length > 1 ? 's' : ''} providing ${missing.join(', ')} to eggs in [${input.part}] (or a develop egg), or remove ${missing.length > 1 ? 'them' : 'it'} from zcml`,
    });
  }
  if (memo) rememberChecked(memo);
  return notes;
}

// --- internal ---

function zopeConfError(input: ConfCheckInput, res: CheckResult): BuildoutError {
  const zc = input.zopeConf!;
  // ZConfig gives no line for a failed %import: find it
  const pkg = importedPackage(res.message ?? '');
  const line = res.line ?? (pkg && !res.file ? lineNumberOf(zc.path, `%import ${pkg}`) : undefined);
  const text = line !== undefined && !res.file ? lineOf(zc.path, line) : undefined;
  const option = res.file ? zc.option : line !== undefined && zc.sources ? optionOfLine(zc.sources[line - 1], text ?? '', input.options) : zc.option;
  const where = res.file ? res.file.replace(/^file:\/\//, '') + (line !== undefined ? `:${line}` : '') : `${zc.path}${line !== undefined ? `:${line}` : ''}`;
  const shown = text !== undefined ? ` (${where}: ${text.trim()})` : ` (${where})`;
  return new BuildoutError('UserError', `Zope cannot load the generated zope.conf: ${res.message}${shown}`, {
    section: input.part,
    option,
    hint: zopeConfHint(res.message ?? '', option, input.part),
  });
}

function wsgiIniError(input: ConfCheckInput, res: CheckResult): BuildoutError {
  const wi = input.wsgiIni!;
  const fromPipeline = res.section === 'pipeline:main' || (res.section?.startsWith('filter:') ?? false);
  const option = wi.template ? wi.option : fromPipeline && input.options.pipeline !== undefined && res.use && input.options.pipeline.includes(res.use) ? 'pipeline' : res.missing ? 'eggs' : wi.option;
  const useLine = wi.template && res.use ? lineNumberOf(wi.template, res.use) : undefined;
  const where = wi.template ? ` (${wi.template}${useLine ? `:${useLine}` : ''})` : '';
  const missing = res.missing?.length ? `add ${res.missing.join(' and ')} to eggs in [${input.part}]` : undefined;
  return new BuildoutError('UserError', `the generated wsgi.ini cannot be loaded: [${res.section ?? '?'}]${res.use ? ` use = ${res.use}` : ''}: ${res.message}${where}`, {
    section: input.part,
    option,
    hint:
      missing ??
      (/No section/.test(res.message ?? '')
        ? 'each pipeline member is a [filter:NAME] section of the wsgi.ini (the last one an [app:NAME]) or an egg:distribution#name: add the section, or drop the member from the pipeline'
        : 'check the `use = egg:distribution#entry-point` values of the wsgi.ini: each names an entry point of an installed distribution'),
  });
}

// zope.conf keys written inside the storage snippet → the option that wrote them
const STORAGE_KEYS: Record<string, string> = {
  server: 'zeo-address',
  'blob-dir': 'blob-storage',
  path: 'file-storage',
  'cache-size': 'zeo-client-cache-size',
  'read-only': 'read-only',
  'read-only-fallback': 'zeo-client-read-only-fallback',
  'shared-blob-dir': 'shared-blob',
  storage: 'zeo-storage',
  'blob-cache-size': 'zeo-client-blob-cache-size',
  'blob-cache-size-check': 'zeo-client-blob-cache-size-check',
  realm: 'zeo-realm',
  username: 'zeo-username',
  password: 'zeo-password',
  var: 'zeo-var',
  client: 'zeo-client-client',
  'min-disconnect-poll': 'min-disconnect-poll',
  'max-disconnect-poll': 'max-disconnect-poll',
  'drop-cache-rather-verify': 'zeo-client-drop-cache-rather-verify',
  before: 'before-storage',
  compress: 'zlib-storage',
};

const FIELD_OPTIONS: Partial<Record<keyof ZopeConfView, string>> = {
  importsLines: 'zope-conf-imports',
  instanceHome: 'location',
  clientHome: 'client-home',
  productsLines: 'products',
  debugMode: 'debug-mode',
  debugExceptions: 'debug-exceptions',
  securityImplementation: 'verbose-security',
  verboseSecurity: 'verbose-security',
  defaultZpublisherEncoding: 'default-zpublisher-encoding',
  portBase: 'port-base',
  environmentVars: 'environment-vars',
  mailingloggerImport: 'mailinglogger',
  zodbCacheSize: 'zodb-cache-size',
  zodbCacheSizeBytes: 'zodb-cache-size-bytes',
  zodbTmpStorage: 'zodb-temporary-storage',
  pythonCheckInterval: 'python-check-interval',
  zopeConfAdditional: 'zope-conf-additional',
};

/** The option behind one line of the zope.conf we wrote. Exported for tests. */
export function optionOfLine(field: keyof ZopeConfView | undefined, text: string, o: Readonly<Record<string, string | undefined>>): string | undefined {
  if (field === undefined) return undefined;
  const t = text.trim();
  if (field === 'environmentVars' && t.startsWith('CHAMELEON_CACHE') && !(o['environment-vars'] ?? '').includes('CHAMELEON_CACHE')) return 'template-cache';
  if (field !== 'storageSnippet') return FIELD_OPTIONS[field];
  if (o['storage-wrapper'] && !isInnerStorageLine(t)) return 'storage-wrapper';
  if (t.includes('relstorage') || (o['rel-storage'] && !t.startsWith('#'))) return 'rel-storage';
  if (/zc\.beforestorage|<\/?before>/.test(t)) return 'before-storage';
  if (/zc\.zlibstorage|<\/?zlibstorage>/.test(t)) return 'zlib-storage';
  if (/<\/?demostorage/.test(t)) return 'demo-storage';
  const key = t.split(/\s+/)[0] ?? '';
  if (STORAGE_KEYS[key]) return STORAGE_KEYS[key];
  if (/<\/?zeoclient>/.test(t)) return 'zeo-client';
  return o['storage-wrapper'] ? 'storage-wrapper' : undefined;
}

function isInnerStorageLine(t: string): boolean {
  const key = t.split(/\s+/)[0] ?? '';
  return key in STORAGE_KEYS || /^<\/?(zeoclient|filestorage|blobstorage|demostorage|relstorage|before|zlibstorage)\b/.test(t) || t.startsWith('%import') || t.startsWith('#');
}

function zopeConfHint(message: string, option: string | undefined, part: string): string {
  if (/temporarystorage/.test(message)) return `Zope knows <temporarystorage> only when the tempstorage distribution is installed: add tempstorage (or Products.TemporaryFolder) to eggs in [${part}], or set zodb-temporary-storage = off`;
  const pkg = importedPackage(message);
  if (pkg) return `%import ${pkg} needs the distribution that provides ${pkg}: add it to eggs in [${part}]`;
  if (/'products' is not a known key/.test(message)) return "Zope's WSGI configuration has no products directories (the recipe still writes them, and Zope refuses them at start): install the products as distributions (eggs or develop), and remove products";
  if (/'port-base' is not a known key/.test(message)) return "port-base only meant something to ZServer: remove it (Zope's WSGI configuration refuses it; the port is http-address)";
  if (/not a known key name/.test(message)) return `Zope's WSGI configuration has no such key${option ? `: remove ${option} or fix its value` : ''}`;
  return option ? `the value of ${option} ends up in zope.conf as shown; fix it so that Zope accepts it` : 'fix the zope.conf options of the part so that Zope accepts them';
}

function importedPackage(message: string): string | undefined {
  return /could(?:n't| not) (?:load|import|find) package ([\w.]+)/i.exec(message)?.[1];
}

function lineOf(path: string, line: number): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[line - 1];
  } catch {
    return undefined;
  }
}

function lineNumberOf(path: string, needle: string): number | undefined {
  try {
    const i = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(needle));
    return i >= 0 ? i + 1 : undefined;
  } catch {
    return undefined;
  }
}
