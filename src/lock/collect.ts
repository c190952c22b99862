// What a configuration asks of its environments, found as install finds it but without
// installing anything: the configuration resolved with the recipes wired in (built-in
// extensions too), each part's recipe asked for its requirements, the develop eggs and
// [versions]. The buildout's environment (`venv`) always; the Python recipes'
// (`recipes`) when there are Python recipes or extensions.
import type { Buildout, LoadOptions } from '../config/types.js';
import type { Logger } from '../log.js';
import type { EnvironmentSpec } from '../python/ensure-environment.js';

export interface LockTarget {
  /** the environment's table in the lock file */
  table: 'venv' | 'recipes';
  spec: EnvironmentSpec;
}

export interface CollectedTargets {
  buildout: Buildout;
  targets: LockTarget[];
}

export async function collectLockTargets(load: LoadOptions, log: Logger): Promise<CollectedTargets> {
  const [{ resolveInstall }, { resolvePythonPlugins }, { parseOptions }, { environmentDevelop }, { buildoutEnvironmentSpec }, { recipeEnvSpec }, { findBuiltinExtension }] = await Promise.all([
    import('../install/resolve-parts.js'),
    import('../install/python-recipes/plugin-factory.js'),
    import('../install/options.js'),
    import('../install/python-env.js'),
    import('../python/environment.js'),
    import('../install/python-recipes/recipe-env.js'),
    import('../extensions/registry.js'),
  ]);
  const resolved = await resolveInstall(load, [], {
    python: resolvePythonPlugins(load.cwd),
    extensions: async (b) => {
      if (!(b.buildout.extensions ?? '').trim()) return { names: [], unload: async () => {} };
      const { loadExtensions } = await import('../extensions/loader.js');
      // built-in extensions change the configuration as for install (mr.developer's develop list)
      return loadExtensions(b, { command: 'check', log });
    },
  });
  const bo = resolved.buildout;
  const requirements: string[] = [];
  const pythonSpecs: string[] = [];
  for (const info of resolved.parts) {
    const recipe = await info.recipe.plugin.load();
    const options = parseOptions(recipe, info.name, info.raw, (opt) => bo.locate(info.name, opt));
    const reqs = recipe.requirements?.({
      part: info.name,
      options,
      raw: info.raw,
      buildout: bo.reader(info.name),
      created: () => {
        throw new TypeError('buildout lock installs nothing');
      },
      log,
      interactive: false,
      offline: bo.buildout.offline === 'true',
    });
    requirements.push(...(reqs ?? []));
    if (info.recipe.kind === 'python') {
      pythonSpecs.push(info.recipe.name);
      if (!reqs?.length) log.warn(`The part ${info.name} (a Python recipe, ${info.recipe.name}) has not been installed yet: the eggs it asks for while installing are not locked. Run buildout, then buildout lock.`);
    }
  }
  const extensions = (bo.buildout.extensions ?? '').split(/\s+/).filter((e) => e && !findBuiltinExtension(e));
  const versionsName = (bo.buildout.versions ?? 'versions').trim();
  const versions = versionsName && bo.hasSection(versionsName) ? bo.section(versionsName) : {};
  const targets: LockTarget[] = [
    {
      table: 'venv',
      spec: buildoutEnvironmentSpec({ buildout: bo.buildout, versions, requirements, develop: environmentDevelop(resolved, log), log, section: (n) => bo.section(n) }),
    },
  ];
  if (pythonSpecs.length || extensions.length) {
    targets.push({ table: 'recipes', spec: await recipeEnvSpec({ buildout: bo.reader('buildout'), specs: [...pythonSpecs, ...extensions], log }) });
  }
  return { buildout: bo, targets };
}
