// zc.recipe.testrunner: bin/<script> runs zope.testrunner over the tests of
// the `eggs` (not of their dependencies), in a working directory (parts/<part>
// unless `working-directory` is set), with `defaults`, `environment`,
// `initialization`, `extra-paths` and `relative-paths` as the Python recipe
// (5.0) has them. The script runs the buildout environment's python, which
// already has every distribution; sys.path gets the extra paths and the develop
// eggs' source directories, as zc.buildout's script does.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BuildoutError } from '../../errors.js';
import { parseRequirement, requirementLines } from '../../python/requirements.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { extraPaths, relativePaths } from './hooks.js';
import { testrunnerSchema, type TestrunnerOptions } from './schema.js';
import { renderTestScript, type TestScript } from './script.js';
import { distLocations } from './test-paths.js';

function eggs(part: string, raw: Readonly<Record<string, string>>): string[] {
  return raw.eggs === undefined ? [part] : requirementLines(raw.eggs);
}

async function install(ctx: RecipeContext<TestrunnerOptions>): Promise<string[]> {
  const b = ctx.buildout.options;
  const o = ctx.options;
  const directory = b.directory ?? '.';
  const requested = eggs(ctx.part, ctx.raw);
  const env = await ctx.python();
  const { envMetadata, resolveDists } = await import('../../python/metadata.js');
  const meta = await envMetadata(env);
  // the working set: the eggs, zope.testrunner and everything they need
  const workingSet = resolveDists(meta, [...requested, 'zope.testrunner'], true, { section: ctx.part, option: 'eggs' });
  const where = await distLocations(env, workingSet.map((d) => d.name));

  const testPaths: TestScript['testPaths'] = [];
  const editableTests: string[] = [];
  for (const spec of requested) {
    const name = parseRequirement(spec)!.key;
    const dist = meta.dists[name];
    const loc = dist && where.dists[dist.name];
    if (!loc) throw new BuildoutError('MissingDistribution', `Requirement not found in working set: ${spec}`, { section: ctx.part, option: 'eggs' });
    for (const dir of loc.editable ?? []) {
      testPaths.push({ dir });
      editableTests.push(dir);
    }
    for (const [dir, pkg] of loc.packages ?? []) testPaths.push({ dir, package: pkg });
  }
  // zope.testrunner searches every --test-path before any --package-path: with an installed
  // distribution among the eggs, all are written as --package-path (a develop egg's with
  // the empty package), so that the tests run in the eggs' order
  const ordered = testPaths.some((p) => 'package' in p) ? testPaths.map((p) => ('package' in p ? p : { dir: p.dir, package: '' })) : testPaths;

  const created: string[] = [];
  let wd = o['working-directory'] ?? '';
  if (!wd) {
    wd = ctx.raw.location!;
    if (existsSync(wd)) {
      if (!statSync(wd).isDirectory()) throw new BuildoutError('RecipeError', `The working directory ${wd} of part ${ctx.part} exists and is not a directory.`, { section: ctx.part, hint: 'Remove the file, or set working-directory.' });
    } else mkdirSync(wd);
    created.push(wd);
    ctx.created(wd);
  }

  const environment: [string, string][] = [];
  const envSection = o.environment?.trim();
  if (envSection) for (const [k, v] of Object.entries(ctx.buildout.section(envSection))) environment.push([k, v]);

  // zc.buildout's script lists the paths of the develop eggs' .pth files (all of them, when
  // one develop egg is in the working set), then the extra paths and the test paths
  const developInWs = workingSet.some((d) => where.dists[d.name]?.editable);
  const path = unique([...(developInWs ? where.editablePth : []), ...extraPaths(ctx.raw['extra-paths'], directory), ...editableTests]).map(real);
  const script = ctx.raw.script!;
  const text = renderTestScript({
    python: env.python,
    script,
    path,
    workingDirectory: resolve(wd),
    environment,
    initialization: o.initialization ?? '',
    defaults: o.defaults ?? '',
    testPaths: ordered,
    ...(relativePaths(ctx.raw, b) === 'true' ? { relativeTo: directory } : {}),
  });
  if (read(script) !== text) {
    mkdirSync(b['bin-directory'] ?? resolve(directory, 'bin'), { recursive: true });
    writeFileAtomic(script, text, 0o755);
    ctx.log.info(`Generated script '${script}'.`);
  }
  ctx.created(script);
  created.push(script);
  return created;
}

export default defineRecipe({
  name: 'zc.recipe.testrunner',
  schema: testrunnerSchema,
  requirements: (ctx) => [...eggs(ctx.part, ctx.raw), 'zope.testrunner'],
  install,
  /** Writes the script again (the Python recipe's update is its install). */
  update: install,
});

// --- internal ---

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
