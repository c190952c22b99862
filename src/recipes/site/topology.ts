// What a site is made of, read from the resolved parts at resolve time (light: no zod): its ZEO
// servers, its Zope instances (a part that is one instance, or one with `instances = N`), its
// balancers; and the check that no two of them listen on the same address. Used by the hooks
// of buildout-ts:haproxy and buildout-ts:site, so a clash is an error of `buildout`, `buildout
// check` and `buildout annotate`, before anything is installed.
import { BuildoutError } from '../../errors.js';
import { addressesClash, formatAddress, parseTcpAddress, type TcpAddress } from '../net.js';
import type { ComputeOptionsInput } from '../types.js';
import { instanceMembers, type InstanceMember } from '../zope2instance/members.js';
import { pyJoin } from '../zope2instance/paths.js';

export const ZOPE2INSTANCE = 'plone.recipe.zope2instance';
export const ZEOSERVER = 'plone.recipe.zeoserver';
export const HAPROXY = 'buildout-ts:haproxy';

type View = ComputeOptionsInput['buildout'];

/**
 * The parts named by `option` (each must use `recipe`), or — when the option is not given and
 * `discover` is set — every part of `buildout:parts` that uses it. Reading a part makes it
 * install first: only a part that nothing else reads may discover (buildout-ts:site), or two
 * parts that discover would read each other.
 */
export function partsOf(input: ComputeOptionsInput, option: string, recipe: string, what: string, discover: boolean): string[] {
  const { part, options, buildout } = input;
  const given = options[option];
  if (given === undefined && !discover) {
    throw new BuildoutError('UserError', `the option ${option} is missing: name the ${what} parts`, { section: part, hint: `e.g. ${option} = instance (a part with instances = 3), or ${option} = instance1 instance2` });
  }
  if (given !== undefined) {
    const names = given.split(/\s+/).filter(Boolean);
    for (const name of names) {
      if (!buildout.hasSection(name)) {
        throw new BuildoutError('UserError', `${option} names [${name}], which is not a section of this buildout`, { section: part, option, hint: `list the ${what} parts by their section names` });
      }
      const r = buildout.section(name).recipe;
      if (r !== recipe) {
        throw new BuildoutError('UserError', `${option}: [${name}] is not a ${what} part (its recipe is ${r ? JSON.stringify(r) : 'not set'}, expected ${recipe})`, { section: part, option });
      }
    }
    return names;
  }
  const parts = (buildout.options.parts ?? '').split(/\s+/).filter(Boolean);
  return parts.filter((name) => name !== part && buildout.hasSection(name) && buildout.section(name).recipe === recipe);
}

/** Every Zope instance of the given zope2instance parts, in order. */
export function membersOf(buildout: View, parts: readonly string[]): InstanceMember[] {
  return parts.flatMap((name) => instanceMembers(name, buildout.section(name), buildout.options));
}

/** A ZEO server part: its control script and its TCP address (undefined for a unix socket). */
export interface ZeoServer {
  name: string;
  controlScript: string;
  address: TcpAddress | undefined;
  pidFile: string;
}

export function zeoServersOf(buildout: View, parts: readonly string[]): ZeoServer[] {
  return parts.map((name) => {
    const o = buildout.section(name);
    const bd = buildout.options.directory ?? '';
    const varDir = o.var ?? pyJoin(bd, 'var');
    return {
      name,
      controlScript: pyJoin(o['bin-directory'] ?? buildout.options['bin-directory'] ?? pyJoin(bd, 'bin'), name),
      address: parseTcpAddress(o['zeo-address'] ?? '8100', ''),
      pidFile: o['pid-file'] ?? pyJoin(varDir, `${name}.pid`),
    };
  });
}

/** Something that listens: who, and the option that sets its address. */
export interface Listener {
  /** e.g. `instance2 of [instance]`, `[balancer] bind` */
  who: string;
  section: string;
  option: string;
  address: TcpAddress;
}

export function memberListener(m: InstanceMember): Listener {
  return { who: m.index ? `${m.name} of [${m.part}]` : `[${m.part}]`, section: m.part, option: m.addressOption, address: m.address };
}

/** Fails naming both when two listeners would bind the same address (the error points at the second). */
export function assertNoClash(listeners: readonly Listener[]): void {
  for (let i = 0; i < listeners.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = listeners[j]!;
      const b = listeners[i]!;
      if (!addressesClash(a.address, b.address)) continue;
      throw new BuildoutError('UserError', `${a.who} (${a.option} ${formatAddress(a.address)}) and ${b.who} (${b.option} ${formatAddress(b.address)}) would listen on the same port`, {
        section: b.section,
        option: b.option,
        hint: 'every server of the site needs a port of its own: change one of them',
      });
    }
  }
}
