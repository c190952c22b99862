// Options of a plone.recipe.zope2instance part → the view model that the
// file renderers (zope-conf.ts, wsgi-ini.ts, zcml.ts) turn into text. Pure:
// no file system access; directories to create are listed, not made.
import { BuildoutError } from '../../errors.js';
import { pyAbspath, pyDirname, pyJoin, pySplit } from './paths.js';
import { instancePaths } from './members.js';
import { assertOptions } from './rules.js';
import { buildStorageSnippet, type DirToCreate } from './storage.js';

export interface ZopeInstanceInput {
  part: string;
  /** substituted options of the part, computed ones (location, pipeline, ...) included */
  options: Readonly<Record<string, string | undefined>>;
  /** absolute [buildout] directory */
  buildoutDirectory: string;
  /** absolute [buildout] bin-directory */
  binDirectory: string;
  /** absolute [buildout] parts-directory */
  partsDirectory: string;
  /** Products.CMFPlone is in the part's working set (decides the temporary storage default) */
  hasCMFPlone: boolean;
  /**
   * the tempstorage distribution is installed: Zope's schema knows `<temporarystorage>` only
   * then. undefined (not known) follows the Python recipe.
   */
  hasTempstorage?: boolean;
}

/** The fragments of zope.conf, each already a line (or empty). */
export interface ZopeConfView {
  importsLines: string;
  instanceHome: string;
  clientHome: string;
  productsLines: string;
  debugMode: string;
  debugExceptions: string;
  securityImplementation: string;
  verboseSecurity: string;
  defaultZpublisherEncoding: string;
  portBase: string;
  environmentVars: string;
  mailingloggerImport: string;
  zodbCacheSize: string;
  zodbCacheSizeBytes: string;
  storageSnippet: string;
  zodbTmpStorage: string;
  pythonCheckInterval: string;
  zopeConfAdditional: string;
}

export interface ZopeInstanceView {
  part: string;
  location: string;
  varDir: string;
  clientHome: string;
  /** zope.conf the control script uses: the generated one or the `zope-conf` option */
  zopeConfPath: string;
  /** undefined when `zope-conf` points at an existing file (nothing generated) */
  zopeConf: ZopeConfView | undefined;
  /** wsgi.ini the control script serves */
  wsgiIniPath: string;
  controlScript: string;
  pidFile: string;
  /** absolute event log file, or undefined when disabled */
  eventLog: string | undefined;
  umask: number | undefined;
  /** directories to create (in order); blob dirs with mode 0700 */
  dirs: DirToCreate[];
}

export const TEMPORARY_STORAGE = `<zodb_db temporary>
    # Temporary storage database (for sessions)
    <temporarystorage>
      name temporary storage for sessioning
    </temporarystorage>
    mount-point /temp_folder
    container-class Products.TemporaryFolder.TemporaryContainer
</zodb_db>`;

/** Builds the view model; throws BuildoutError for inconsistent options. */
export function buildInstanceView(input: ZopeInstanceInput): ZopeInstanceView {
  const { part, options: o, buildoutDirectory: bd } = input;
  assertOptions(part, o);
  const location = o.location ?? pyJoin(input.partsDirectory, part);
  // the same defaults as members.ts gives the balancer and the site control
  const { varDir, clientHome, pidFile, lockFile } = instancePaths(part, o, bd);
  const dirs: DirToCreate[] = [{ path: varDir }, { path: clientHome }, { path: o['import-directory'] ?? pyJoin(clientHome, 'import') }];

  const chameleon = chameleonCache(o, varDir);
  if (chameleon) dirs.push({ path: chameleon });

  // the (ZServer-era) log directories are still created, as the recipe does
  const eventLogName = o['event-log'] ?? `log/${part}.log`;
  if (eventLogName.toLowerCase() !== 'disable' && !o['event-log-custom']) dirs.push({ path: pyDirname(pyJoin(varDir, eventLogName)) });
  const zLogName = o['z2-log'] ?? o['access-log'] ?? `log/${part}-Z2.log`;
  if (zLogName.toLowerCase() !== 'disable') dirs.push({ path: pyDirname(pyJoin(varDir, zLogName)) });

  let zopeConf: ZopeConfView | undefined;
  if (o['zope-conf'] === undefined || o['zope-conf'] === pyJoin(location, 'etc', 'zope.conf')) {
    const storage = buildStorageSnippet({ part, options: o, buildoutDirectory: bd, varDir });
    dirs.push(...storage.dirs);
    zopeConf = {
      importsLines: lines(o['zope-conf-imports']).map((i) => `%import ${i}`).join('\n'),
      instanceHome: location,
      clientHome,
      productsLines: lines(o.products).map((p) => `products ${pyAbspath(p, bd)}`).join('\n'),
      debugMode: o['debug-mode'] ?? 'off',
      debugExceptions: o['debug-exceptions'] ? `debug-exceptions ${o['debug-exceptions']}\n` : '',
      securityImplementation: (o['verbose-security'] ?? 'off') === 'on' ? 'python' : 'C',
      verboseSecurity: o['verbose-security'] ?? 'off',
      defaultZpublisherEncoding: withKey('default-zpublisher-encoding', o['default-zpublisher-encoding'] ?? 'utf-8'),
      portBase: withKey('port-base', o['port-base'] ?? ''),
      environmentVars: environmentBlock(o['environment-vars'] ?? '', chameleon),
      mailingloggerImport: o.mailinglogger ? '%import mailinglogger' : '',
      zodbCacheSize: withKey('cache-size', o['zodb-cache-size'] ?? '30000'),
      zodbCacheSizeBytes: withKey('cache-size-bytes', o['zodb-cache-size-bytes'] ?? ''),
      storageSnippet: storage.snippet,
      zodbTmpStorage: temporaryStorage(part, o['zodb-temporary-storage'], input.hasCMFPlone, input.hasTempstorage),
      pythonCheckInterval: withKey('python-check-interval', o['python-check-interval'] ?? '1000'),
      zopeConfAdditional: o['zope-conf-additional'] ?? '',
    };
  }
  dirs.push({ path: pyDirname(pidFile) }, { path: pyDirname(lockFile) });

  const wsgiOpt = o.wsgi ?? 'on';
  const wsgiIniPath = ['on', 'true', '1'].includes(wsgiOpt.toLowerCase()) ? pyJoin(location, 'etc', 'wsgi.ini') : wsgiOpt;
  const eventLog = eventLogName.toLowerCase() === 'disable' ? undefined : pyAbspath(o['event-log'] ?? `${varDir}/log/${part}.log`, bd);
  const umask = o['zopectl-umask'] ? parseInt(o['zopectl-umask'], 8) : undefined;

  return {
    part,
    location,
    varDir,
    clientHome,
    zopeConfPath: o['zope-conf'] ?? pyJoin(location, 'etc', 'zope.conf'),
    zopeConf,
    wsgiIniPath,
    controlScript: o['control-script'] || part,
    pidFile,
    eventLog,
    umask,
    dirs: dedupeDirs(dirs),
  };
}

/** The recipe's CHAMELEON_CACHE rule: the cache directory, or undefined. */
function chameleonCache(o: Readonly<Record<string, string | undefined>>, varDir: string): string | undefined {
  // an explicit CHAMELEON_CACHE in environment-vars wins (and nothing is created)
  if ((o['environment-vars'] ?? '').includes('CHAMELEON_CACHE')) return undefined;
  const v = o['template-cache'] ?? 'on';
  if (!v) return undefined;
  if (['on', '1', 'true', 'enabled'].includes(v.toLowerCase())) return pyJoin(varDir, 'cache');
  if (['off', '0', 'false', 'disabled'].includes(v.toLowerCase())) return undefined;
  return v;
}

/** The `<environment>` block; its first line is indented 4, further lines stay at column 0 (as in the recipe). */
function environmentBlock(envVars: string, chameleon: string | undefined): string {
  let vars = envVars;
  if (chameleon) {
    const cc = `CHAMELEON_CACHE ${chameleon}`;
    if (vars && vars.includes('\n')) vars += `\n${cc}`;
    else if (vars) vars += ` ${cc}`;
    else vars = cc;
  }
  if (!vars) return '';
  if (!vars.includes('\n')) {
    // one line: odd items are names, even items values; the recipe pairs by
    // the index of the *first* equal item, so repeated words shift the pairing
    const items = pySplit(vars);
    const keys: string[] = [];
    const values: string[] = [];
    for (const item of items) ((items.indexOf(item) + 1) % 2 ? keys : values).push(item);
    const n = Math.min(keys.length, values.length);
    vars = keys
      .slice(0, n)
      .map((k, i) => `${k} ${values[i]}`)
      .join('\n');
  }
  return `\n<environment>\n    ${vars}\n</environment>\n`;
}

/**
 * The recipe's default is on unless Products.CMFPlone is in the working set; we also leave
 * it out when tempstorage is not installed, because Zope then refuses `<temporarystorage>`
 * ("unknown type name") and would not start. Asked for explicitly, it is an error instead.
 */
function temporaryStorage(part: string, value: string | undefined, hasCMFPlone: boolean, hasTempstorage: boolean | undefined): string {
  const v = value ?? (hasCMFPlone || hasTempstorage === false ? 'off' : 'on');
  if (['off', 'false', '0'].includes(v.toLowerCase())) return '';
  if (['on', 'true', '1'].includes(v.toLowerCase())) {
    if (hasTempstorage === false) {
      throw new BuildoutError('UserError', `zodb-temporary-storage = ${v}, but the tempstorage distribution is not installed: Zope would refuse the <temporarystorage> section ("unknown type name") and not start`, {
        section: part,
        option: 'zodb-temporary-storage',
        hint: `add tempstorage (or Products.TemporaryFolder) to eggs in [${part}], or remove zodb-temporary-storage (it is then left out)`,
      });
    }
    return TEMPORARY_STORAGE;
  }
  return v;
}

function withKey(key: string, value: string): string {
  return value ? `${key} ${value}` : '';
}

/** Newline-separated, empty lines dropped (the recipe does not strip the lines). */
function lines(value: string | undefined): string[] {
  return value ? value.split('\n').filter((l) => l) : [];
}

function dedupeDirs(dirs: DirToCreate[]): DirToCreate[] {
  const seen = new Map<string, DirToCreate>();
  for (const d of dirs) {
    if (!d.path) continue;
    const prev = seen.get(d.path);
    if (!prev || (d.mode !== undefined && prev.mode === undefined)) seen.set(d.path, d);
  }
  return [...seen.values()];
}
