// The plugin of buildout-ts:site, loaded at resolve time (no zod, handlebars or execa): which
// ZEO servers, Zope instances and balancers make the site (named, or every such part of
// `buildout:parts`), checked for listeners that would clash, and described in one option
// (`components`, JSON) that the control script and the systemd units are made from.
import { BuildoutError } from '../../errors.js';
import { parseTcpAddress } from '../net.js';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';
import { pyJoin } from '../zope2instance/paths.js';
import { assertNoClash, HAPROXY, memberListener, membersOf, partsOf, ZEOSERVER, ZOPE2INSTANCE, zeoServersOf, type Listener } from './topology.js';

export const SITE = 'buildout-ts:site';

/** What the control script and the units are made of (the `components` option, as JSON). */
export interface SiteComponents {
  zeo: { name: string; script: string; address: string | null }[];
  instances: { name: string; part: string; script: string; connect: string; pidFile: string; balancer: string | null }[];
  balancers: { name: string; script: string; config: string; adminSocket: string; pidFile: string; backend: string; servers: string[]; haproxy: string | null }[];
}

export function computeSiteOptions(input: ComputeOptionsInput): Record<string, string> {
  const { part, options: o, buildout } = input;
  const b = buildout.options;
  const bd = b.directory ?? '';
  const binDir = b['bin-directory'] ?? pyJoin(bd, 'bin');
  const zeo = zeoServersOf(buildout, partsOf(input, 'zeo', ZEOSERVER, 'plone.recipe.zeoserver', true));
  const instanceParts = partsOf(input, 'instances', ZOPE2INSTANCE, 'plone.recipe.zope2instance', true);
  const members = membersOf(buildout, instanceParts);
  const balancerParts = partsOf(input, 'balancers', HAPROXY, HAPROXY, true);
  if (!zeo.length && !members.length && !balancerParts.length) {
    throw new BuildoutError('UserError', 'the site has nothing to control: no ZEO server, Zope instance or balancer part', {
      section: part,
      hint: 'add the parts to buildout:parts, or name them: zeo = zeo, instances = instance, balancers = balancer',
    });
  }
  const listeners: Listener[] = [];
  for (const z of zeo) if (z.address) listeners.push({ who: `[${z.name}]`, section: z.name, option: 'zeo-address', address: z.address });
  listeners.push(...members.map(memberListener));
  const balancers = balancerParts.map((name) => {
    const s = buildout.section(name);
    for (const option of ['bind', 'stats-bind']) {
      const a = s[option] ? parseTcpAddress(s[option]!, '') : undefined;
      if (a) listeners.push({ who: `[${name}]${option === 'stats-bind' ? ' stats page' : ''}`, section: name, option, address: a });
    }
    const servers = (s.servers ?? '').split('\n').map((l) => l.trim().split(/\s+/)[0]!).filter(Boolean);
    return { name, script: pyJoin(s['bin-directory'] ?? binDir, s['control-script'] || name), config: s.config!, adminSocket: s['admin-socket']!, pidFile: s['pid-file']!, backend: s.backend!, servers, haproxy: s.haproxy ?? null };
  });
  assertNoClash(listeners);
  const components: SiteComponents = {
    zeo: zeo.map((z) => ({ name: z.name, script: z.controlScript, address: z.address ? `${z.address.host || '127.0.0.1'}:${z.address.port}` : null })),
    instances: members.map((m) => ({
      name: m.name,
      part: m.part,
      script: m.controlScript,
      connect: m.connect,
      pidFile: m.pidFile,
      balancer: balancers.find((bal) => bal.servers.includes(m.name))?.name ?? null,
    })),
    balancers,
  };
  return {
    location: pyJoin(b['parts-directory'] ?? pyJoin(bd, 'parts'), part),
    'bin-directory': binDir,
    'control-script': o['control-script'] || part,
    components: JSON.stringify(components),
  };
}

const hooks = {
  name: SITE,
  load: async () => (await import('./index.js')).default,
  computeOptions: computeSiteOptions,
} satisfies RecipePlugin;
export default hooks;
