// Options of a plone.recipe.zeoserver part → zeo.conf text and the facts the
// scripts need (pure: directories to create are listed, not made). The
// zeo.conf layout follows the Python recipe's template byte for byte,
// including its whitespace-only lines for empty optional entries.
import { BuildoutError } from '../../errors.js';

type Opts = Readonly<Record<string, string | undefined>>;

export interface ZeoInput {
  part: string;
  options: Opts;
  buildoutDirectory: string;
  partsDirectory: string;
}

export interface ZeoView {
  location: string;
  varDir: string;
  zeoConfPath: string;
  /** the text of etc/zeo.conf (a single %include when `zeo-conf` is used) */
  zeoConf: string;
  pidFile: string;
  logFile: string;
  socketName: string;
  zeoAddress: string;
  /** where zeopack connects */
  pack: { host: string | null; port: string | null; unix: string | null; days: string; username: string | null; password: string | null; realm: string | null; storage: string; blobDir: string | null };
  dirs: string[];
  warnings: string[];
}

export function buildZeoView(input: ZeoInput): ZeoView {
  const { part, options: o, buildoutDirectory: bd } = input;
  const location = o.location ?? join(input.partsDirectory, part);
  const varDir = o.var ?? join(bd, 'var');
  const dirs = [varDir];
  const warnings: string[] = [];
  const pidFile = o['pid-file'] ?? join(varDir, `${part}.pid`);
  const zeoAddress = o['zeo-address'] ?? '8100';
  const logFile = join(varDir, o['zeo-log'] ?? `log/${part}.log`);
  const socketName = o['socket-name'] ?? `${varDir}/zeo.zdsock`;
  let zeoConf: string;

  if (o['zeo-conf'] !== undefined) {
    zeoConf = `%include ${abspath(o['zeo-conf'], bd)}`;
  } else {
    const storageNumber = o['storage-number'] ?? '1';
    const monitor = o['monitor-address'] ? `monitor-address ${o['monitor-address']}` : '';
    const effectiveUser = o['effective-user'] ? `user ${o['effective-user']}` : '';
    dirs.push(dirname(socketName), dirname(logFile));
    let zLog: string;
    if (o['zeo-log-custom'] === undefined) {
      const rotate = o['zeo-log-max-size'] ? `max-size ${o['zeo-log-max-size']}\n      old-files ${o['zeo-log-old-files'] ?? '1'}` : '';
      zLog = `<logfile>\n      path ${logFile}\n      format ${o['zeo-log-format'] ?? '%(asctime)s %(message)s'}\n      ${rotate}\n    </logfile>`;
    } else zLog = o['zeo-log-custom'];
    const fileStorage = join(varDir, o['file-storage'] ?? 'filestorage/Data.fs');
    dirs.push(dirname(fileStorage));
    let auth = '';
    if (o['authentication-database']) {
      auth = `\n  authentication-protocol digest\n  authentication-database ${o['authentication-database']}\n  authentication-realm ${o['authentication-realm'] ?? 'ZEO'}\n`;
      warnings.push(`[${part}] authentication-database: ZEO 5 and later have no authentication and refuse these zeo.conf keys; use a firewall or TLS instead`);
    }
    const blob = o['blob-storage'] ?? 'blobstorage';
    // the recipe writes any other pack-gc/pack-keep-old value as a bare line, which ZEO rejects: we only write the `false` case
    const packGc = (o['pack-gc'] ?? '').toLowerCase() === 'false' ? 'pack-gc false' : '';
    const packKeepOld = (o['pack-keep-old'] ?? '').toLowerCase() === 'false' ? 'pack-keep-old false' : '';
    let storage = `<filestorage ${storageNumber}>\n  path ${fileStorage}\n${blob ? `  blob-dir ${join(varDir, blob)}\n` : ''}  ${packGc}\n  ${packKeepOld}\n</filestorage>`;
    const rfrom = o['replicate-from'];
    const rto = o['replicate-to'];
    if (rfrom || rto) {
      const replicate = (rfrom ? `\nreplicate-from ${rfrom}` : '') + (rto ? `\nreplicate-to ${rto}` : '');
      storage = `%import zc.zrs\n\n<zrs ${storageNumber}>\n ${replicate}\n keep-alive-delay ${o['keep-alive-delay'] ?? '60'}\n ${storage}\n</zrs>`;
    }
    zeoConf = `%define INSTANCE ${location}

<zeo>
  address ${zeoAddress}
  read-only ${o['read-only'] ?? 'false'}
  invalidation-queue-size ${o['invalidation-queue-size'] ?? '100'}
  pid-filename ${pidFile}
  ${auth}
  ${monitor}
</zeo>

${storage}

<eventlog>
  level ${o['zeo-log-level'] ?? 'info'}
  ${zLog}
</eventlog>

<runner>
  program $INSTANCE/bin/runzeo
  socket-name ${socketName}
  daemon true
  forever false
  backoff-limit 10
  exit-codes 0, 2
  directory $INSTANCE
  default-to-interactive true
  ${effectiveUser}

  # This logfile should match the one in the zeo.conf file.
  # It is used by zdctl's logtail command, zdrun/zdctl doesn't write it.
  logfile ${logFile}
</runner>

${o['zeo-conf-additional'] ?? ''}
`;
  }
  return {
    location,
    varDir,
    zeoConfPath: join(location, 'etc/zeo.conf'),
    zeoConf,
    pidFile,
    logFile,
    socketName,
    zeoAddress,
    pack: packTarget(part, o, zeoAddress),
    dirs: [...new Set(dirs.filter(Boolean))],
    warnings,
  };
}

/** How zeopack reaches the server: a port (on 127.0.0.1), host:port, or a Unix socket path. */
function packTarget(part: string, o: Opts, address: string): ZeoView['pack'] {
  let host: string | null = null;
  let port: string | null = null;
  let unix: string | null = null;
  const parts = address.split(':');
  if (parts.length === 1) {
    if (/^\s*[-+]?\d+\s*$/.test(address)) [host, port] = ['127.0.0.1', address];
    else unix = address;
  } else if (parts.length === 2) [host, port] = parts as [string, string];
  else throw new BuildoutError('UserError', `zeo-address ${JSON.stringify(address)} is neither a port, host:port nor a socket path`, { section: part, option: 'zeo-address' });
  const username = o['pack-user'] ?? null;
  return {
    host,
    port,
    unix,
    days: o['pack-days'] ?? '1',
    username,
    password: o['pack-password'] ?? null,
    realm: username !== null ? (o['authentication-realm'] ?? 'ZEO') : null,
    storage: o['storage-number'] ?? '1',
    blobDir: o['blob-storage'] ?? null,
  };
}

function join(a: string, b: string): string {
  return b.startsWith('/') ? b : a.endsWith('/') ? a + b : `${a}/${b}`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '') : p.slice(0, i);
}

function abspath(p: string, cwd: string): string {
  return p.startsWith('/') ? p : join(cwd, p);
}
