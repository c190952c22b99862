// The plugin of plone.recipe.zope2instance, loaded at resolve time: the
// options the recipe sets on its section (as the Python recipe does in its
// constructor) and the template files its output depends on. No zod, no
// handlebars here.
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';
import { formatAddress } from '../net.js';
import { declaresInstances, instanceMembers } from './members.js';
import { pyJoin } from './paths.js';
import { formatMapping, PyFormatError } from './pyformat.js';

/** How the recipe stores its default pipeline (a stripped, indented literal). */
export const DEFAULT_PIPELINE_VALUE = 'translogger\n                egg:Zope#httpexceptions\n                zope';

export function computeInstanceOptions({ part, options, buildout }: ComputeOptionsInput): Record<string, string> {
  const b = buildout.options;
  const location = pyJoin(b['parts-directory'] ?? pyJoin(b.directory ?? '', 'parts'), part);
  const out: Record<string, string> = { location, 'bin-directory': b['bin-directory'] ?? pyJoin(b.directory ?? '', 'bin') };
  const relative = options['relative-paths'] ?? b['relative-paths'] ?? 'false';
  if (relative === 'true') out['buildout-directory'] = b.directory ?? '';
  // the recipe %-interpolates initialization with the part's options (so %(user)s works)
  const init = options.initialization ?? '';
  try {
    out.initialization = init ? formatMapping(init, { ...options, ...out }) : '';
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    throw new BuildoutError('UserError', `initialization: ${e.message}`, { section: part, option: 'initialization', hint: 'initialization is %-interpolated with the part options: %(user)s inserts an option, write %% for a literal %' });
  }
  if (options.pipeline === undefined) out.pipeline = DEFAULT_PIPELINE_VALUE;
  out['zope-conf'] = options['zope-conf'] ?? pyJoin(location, 'etc', 'zope.conf');
  if (declaresInstances(options)) Object.assign(out, computeMembers(part, { ...options, ...out }, buildout));
  return out;
}

/** `instances = N | addresses` (ours): the instances' names and addresses, for the balancer and the site. */
function computeMembers(part: string, options: Record<string, string>, buildout: ComputeOptionsInput['buildout']): Record<string, string> {
  const members = instanceMembers(part, options, buildout.options);
  for (const m of members) {
    if (buildout.hasSection(m.name)) {
      throw new BuildoutError('UserError', `instances = ${options.instances!.trim()} names this part's instances ${members[0]!.name}…${members.at(-1)!.name}, but [${m.name}] is a section of its own`, {
        section: part,
        option: 'instances',
        hint: `rename the part or the section [${m.name}]: their files (parts/${m.name}, bin/${m.name}, var/${m.name}.pid) would be the same`,
      });
    }
  }
  return { 'instance-names': members.map((m) => m.name).join(' '), 'instance-addresses': members.map((m) => formatAddress(m.address)).join(' ') };
}

/** wsgi-ini-template / wsgi-logging-ini-template, absolute (relative ones are taken from the buildout directory). */
export function templateInputFiles({ options, buildout }: ComputeOptionsInput): string[] {
  const dir = buildout.options.directory ?? process.cwd();
  return ['wsgi-ini-template', 'wsgi-logging-ini-template']
    .map((k) => options[k])
    .filter((p): p is string => !!p)
    .map((p) => (isAbsolute(p) ? p : join(dir, p)));
}

const hooks = {
  name: 'plone.recipe.zope2instance',
  load: async () => (await import('./index.js')).default,
  computeOptions: computeInstanceOptions,
  inputFiles: templateInputFiles,
  buildoutOptions: ['relative-paths', 'include-site-packages'],
} satisfies RecipePlugin;
export default hooks;
