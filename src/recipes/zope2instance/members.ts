// The Zope instances one plone.recipe.zope2instance part stands for: the part itself, or, with
// our option `instances`, N instances declared once — a count (`instances = 3`: ports counted up
// from `http-address`) or a list of addresses (`instances = 127.0.0.1:8081 127.0.0.1:8082`).
// Member i of part P is named P<i> and gets exactly what a part of that name would get (the
// `[instance2] <= instance1` layout): parts/P<i>, bin/P<i>, var/P<i>, var/P<i>.pid,
// var/log/P<i>.log. Light (no zod): hooks, the balancer and the site recipes read it too.
import { BuildoutError } from '../../errors.js';
import { addressesClash, connectHost, formatAddress, parseTcpAddress, type TcpAddress } from '../net.js';
import { pyAbspath, pyJoin, pySplit } from './paths.js';

type Opts = Readonly<Record<string, string | undefined>>;

export interface InstanceMember {
  /** the instance's name: the part's, or <part><i> */
  name: string;
  /** the part that declares it */
  part: string;
  /** 1-based position in a part with `instances`; 0 for a part that is one instance */
  index: number;
  /** what it listens on (its http-address, first item), parsed */
  address: TcpAddress;
  /** the option that sets that address (`http-address` or `instances`) */
  addressOption: string;
  /** `host:port` a client on this machine connects to */
  connect: string;
  location: string;
  controlScript: string;
  varDir: string;
  clientHome: string;
  pidFile: string;
  lockFile: string;
  /** absolute event log, undefined when disabled */
  eventLog: string | undefined;
  /** absolute access log, undefined when disabled */
  accessLog: string | undefined;
  /** the options this instance is built with (the part's, with its own address and names) */
  options: Record<string, string>;
}

/** Options that name one file or directory: in a part with `instances` each instance needs its own. */
export const PER_INSTANCE_PATHS = ['pid-file', 'lock-file', 'client-home', 'import-directory', 'event-log', 'z2-log', 'access-log', 'zope-conf', 'wsgi'] as const;

export const MAX_INSTANCES = 100;

interface BuildoutDirs {
  directory?: string;
  'bin-directory'?: string;
  'parts-directory'?: string;
}

/** The defaults of context.ts for an instance named `name` (var, client home, pid and lock files). */
export function instancePaths(name: string, o: Opts, buildoutDirectory: string): { varDir: string; clientHome: string; pidFile: string; lockFile: string } {
  const varDir = o.var ?? pyJoin(buildoutDirectory, 'var');
  return {
    varDir,
    clientHome: o['client-home'] ?? pyJoin(varDir, name),
    pidFile: o['pid-file'] ?? pyJoin(varDir, `${name}.pid`),
    lockFile: o['lock-file'] ?? pyJoin(varDir, `${name}.lock`),
  };
}

/** Whether the part declares several instances. */
export function declaresInstances(o: Opts): boolean {
  return o.instances !== undefined && o.instances.trim() !== '';
}

/**
 * The instances of a zope2instance part, from its options (computed ones included or not).
 * Throws a BuildoutError naming the option for an inconsistent declaration.
 */
export function instanceMembers(part: string, o: Opts, b: BuildoutDirs): InstanceMember[] {
  const bd = b.directory ?? '';
  const binDir = b['bin-directory'] ?? pyJoin(bd, 'bin');
  const partsDir = b['parts-directory'] ?? pyJoin(bd, 'parts');
  if (!declaresInstances(o)) {
    const http = pySplit(o['http-address'] ?? '0.0.0.0:8080')[0] ?? '0.0.0.0:8080';
    return [member(part, part, 0, http, 'http-address', o, { ...o } as Record<string, string>, bd, binDir, partsDir)];
  }
  const addresses = declaredAddresses(part, o);
  const location = pyJoin(partsDir, part);
  checkNoSharedPaths(part, o, location);
  const defaultZopeConf = o['zope-conf'] === undefined || o['zope-conf'] === pyJoin(location, 'etc', 'zope.conf');
  return addresses.map((http, i) => {
    const index = i + 1;
    const name = `${part}${index}`;
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'instances' && k !== 'instance-names' && k !== 'instance-addresses') own[k] = v;
    own['http-address'] = http;
    // zc.recipe.egg's default `eggs` is the part's name, not the instance's
    own.eggs ??= part;
    own.location = pyJoin(partsDir, name);
    if (defaultZopeConf) own['zope-conf'] = pyJoin(own.location, 'etc', 'zope.conf');
    own['control-script'] = `${o['control-script'] || part}${index}`;
    // ZEO's persistent cache file is named after the client: one file per instance
    if (o['zeo-client-client']) own['zeo-client-client'] = `${o['zeo-client-client']}-${index}`;
    return member(name, part, index, http, o.instances!.trim().match(/^\d+$/) ? 'http-address' : 'instances', own, own, bd, binDir, partsDir);
  });
}

function member(name: string, part: string, index: number, http: string, addressOption: string, o: Opts, options: Record<string, string>, bd: string, binDir: string, partsDir: string): InstanceMember {
  const address = parseTcpAddress(http, '') ?? { host: '', port: 8080 };
  const paths = instancePaths(name, o, bd);
  const eventName = o['event-log'] ?? `${paths.varDir}/log/${name}.log`;
  const accessName = o['z2-log'] ?? o['access-log'] ?? `${paths.varDir}/log/${name}-access.log`;
  return {
    name,
    part,
    index,
    address,
    addressOption,
    connect: formatAddress({ host: connectHost(address.host), port: address.port }),
    location: o.location ?? pyJoin(partsDir, name),
    controlScript: pyJoin(binDir, o['control-script'] || name),
    ...paths,
    eventLog: eventName.toLowerCase() === 'disable' ? undefined : pyAbspath(eventName, bd),
    accessLog: accessName.toLowerCase() === 'disable' ? undefined : pyAbspath(accessName, bd),
    options,
  };
}

/** `instances` as a list of `http-address` values, one per instance. */
function declaredAddresses(part: string, o: Opts): string[] {
  const value = o.instances!.trim();
  const fail = (message: string, hint: string, option = 'instances'): never => {
    throw new BuildoutError('UserError', message, { section: part, option, hint });
  };
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count < 1 || count > MAX_INSTANCES) fail(`instances = ${value}: a count must be between 1 and ${MAX_INSTANCES}`, 'e.g. instances = 3 (ports counted up from http-address), or a list of addresses');
    const given = pySplit(o['http-address'] ?? '0.0.0.0:8080');
    if (given.length !== 1) fail(`instances = ${value} counts ports up from http-address, which must then be one address, got ${JSON.stringify(o['http-address'])}`, 'give the first address (e.g. http-address = 127.0.0.1:8081), or list every address in instances', 'http-address');
    const first = parseTcpAddress(given[0]!.includes(':') ? given[0]! : `0.0.0.0:${given[0]}`);
    if (!first) return fail(`http-address ${JSON.stringify(given[0])} is not host:port or a port`, 'e.g. http-address = 127.0.0.1:8081', 'http-address');
    if (first.port + count - 1 > 65535) fail(`instances = ${value} from port ${first.port} would go beyond port 65535`, 'start lower (http-address) or declare fewer instances', 'http-address');
    return Array.from({ length: count }, (_, i) => formatAddress({ host: first.host, port: first.port + i }));
  }
  // a list: the port of each instance is written here and nowhere else
  if (o['http-address'] !== undefined) {
    fail(`instances lists the instances' addresses, and http-address sets one too: a port is set in one place only`, 'remove http-address (or write instances = N and let http-address give the first port)', 'http-address');
  }
  const items = pySplit(value);
  if (items.length > MAX_INSTANCES) fail(`instances lists ${items.length} addresses; at most ${MAX_INSTANCES}`, 'split the site');
  const parsed = items.map((item) => {
    const a = parseTcpAddress(item.includes(':') ? item : `0.0.0.0:${item}`);
    if (!a || a.port < 1 || a.port > 65535) return fail(`instances: ${JSON.stringify(item)} is neither a count nor an address (host:port or a port)`, 'e.g. instances = 3, or instances = 127.0.0.1:8081 127.0.0.1:8082');
    return a;
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = 0; j < i; j++) {
      if (addressesClash(parsed[i]!, parsed[j]!)) {
        fail(`instances: ${part}${j + 1} (${items[j]}) and ${part}${i + 1} (${items[i]}) would listen on the same port`, 'give every instance its own port');
      }
    }
  }
  return parsed.map(formatAddress);
}

function checkNoSharedPaths(part: string, o: Opts, location: string): void {
  for (const option of PER_INSTANCE_PATHS) {
    const v = o[option];
    if (v === undefined || v.toLowerCase() === 'disable') continue;
    if (option === 'wsgi' && ['on', 'true', '1', 'off', 'false', '0'].includes(v.toLowerCase())) continue;
    if (option === 'zope-conf' && v === pyJoin(location, 'etc', 'zope.conf')) continue;
    throw new BuildoutError('UserError', `${option} names one file for every instance of this part (instances = ${o.instances!.trim()}): they would overwrite each other's`, {
      section: part,
      option,
      hint: `remove ${option}: each instance gets its own (var/${part}1.pid, var/log/${part}1.log, ...); or declare the instances one by one ([${part}2] <= ${part}1)`,
    });
  }
}

/** Addresses of several members that clash: [first, second] of the first clash, or undefined. */
export function clashingMembers(members: readonly InstanceMember[]): [InstanceMember, InstanceMember] | undefined {
  for (let i = 0; i < members.length; i++) {
    for (let j = 0; j < i; j++) if (addressesClash(members[i]!.address, members[j]!.address)) return [members[j]!, members[i]!];
  }
  return undefined;
}
