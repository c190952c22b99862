// The plugin of buildout-ts:haproxy, loaded at resolve time (no zod, handlebars or execa): the
// balancer's instances, resolved from the zope2instance parts it names (or every one of
// `buildout:parts`), their addresses checked against the balancer's own, and the paths it uses.
import { BuildoutError } from '../../errors.js';
import { isLoopback, parseTcpAddress, type TcpAddress } from '../net.js';
import { assertNoClash, HAPROXY, memberListener, membersOf, partsOf, ZOPE2INSTANCE, type Listener } from '../site/topology.js';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';
import { pyJoin } from '../zope2instance/paths.js';

export const DEFAULT_BIND = '127.0.0.1:8080';
export const DEFAULT_BACKEND = 'zope';
/** sun_path of a unix socket holds 107 bytes and a NUL */
const UNIX_PATH_MAX = 107;

export function computeHaproxyOptions(input: ComputeOptionsInput): Record<string, string> {
  const { part, options: o, buildout } = input;
  const b = buildout.options;
  const bd = b.directory ?? '';
  const varDir = pyJoin(bd, 'var');
  const location = pyJoin(b['parts-directory'] ?? pyJoin(bd, 'parts'), part);
  const instances = partsOf(input, 'instances', ZOPE2INSTANCE, 'plone.recipe.zope2instance', false);
  const members = membersOf(buildout, instances);
  if (!members.length) {
    throw new BuildoutError('UserError', 'the balancer has no instances to balance', {
      section: part,
      option: 'instances',
      hint: 'name the plone.recipe.zope2instance parts: instances = instance (or list them: instance1 instance2)',
    });
  }
  const bind = o.bind ?? DEFAULT_BIND;
  const listeners: Listener[] = members.map(memberListener);
  listeners.push({ who: `[${part}]`, section: part, option: 'bind', address: address(part, 'bind', bind) });
  if (o['stats-bind']) {
    const stats = address(part, 'stats-bind', o['stats-bind']);
    if (!isLoopback(stats.host)) {
      throw new BuildoutError('UserError', `stats-bind ${o['stats-bind']} is not a loopback address: the stats page would be open to the network`, {
        section: part,
        option: 'stats-bind',
        hint: 'use 127.0.0.1:PORT (reach it through an SSH tunnel or a proxy that asks for a login)',
      });
    }
    listeners.push({ who: `[${part}] stats page`, section: part, option: 'stats-bind', address: stats });
  }
  assertNoClash(listeners);
  const adminSocket = o['admin-socket'] ?? pyJoin(varDir, `${part}.sock`);
  if (Buffer.byteLength(adminSocket) > UNIX_PATH_MAX) {
    throw new BuildoutError('UserError', `admin-socket ${adminSocket} is longer than a unix socket path may be (${UNIX_PATH_MAX} bytes)`, {
      section: part,
      option: 'admin-socket',
      hint: 'set admin-socket to a shorter path, e.g. /run/<site>/haproxy.sock',
    });
  }
  const servers = members.map((m) => `${m.name} ${m.connect} maxconn ${o['server-maxconn'] ?? m.options.threads ?? '4'}`);
  return {
    location,
    'bin-directory': b['bin-directory'] ?? pyJoin(bd, 'bin'),
    bind,
    instances: instances.join(' '),
    servers: servers.join('\n'),
    backend: o.backend ?? DEFAULT_BACKEND,
    config: pyJoin(location, 'haproxy.cfg'),
    'admin-socket': adminSocket,
    'pid-file': o['pid-file'] ?? pyJoin(varDir, `${part}.pid`),
    'log-file': o['log-file'] ?? pyJoin(varDir, 'log', `${part}.log`),
    'control-script': o['control-script'] || part,
  };
}

function address(part: string, option: string, value: string): TcpAddress {
  const items = value.split(/\s+/).filter(Boolean);
  const a = items.length === 1 ? parseTcpAddress(items[0]!, '') : undefined;
  if (!a || a.port < 1 || a.port > 65535) {
    throw new BuildoutError('UserError', `${option} = ${JSON.stringify(value)} is not one address`, { section: part, option, hint: `e.g. ${option} = 127.0.0.1:8080` });
  }
  return a;
}

/** One `servers` line → name, address and maxconn. */
export function parseServerLine(line: string): { name: string; address: string; maxconn: number } {
  const [name, addr, , maxconn] = line.trim().split(/\s+/);
  return { name: name!, address: addr!, maxconn: Number(maxconn) };
}

const hooks = {
  name: HAPROXY,
  load: async () => (await import('./index.js')).default,
  computeOptions: computeHaproxyOptions,
} satisfies RecipePlugin;
export default hooks;
