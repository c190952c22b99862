// `buildout check [--json]`: resolves every section (not only the installed ones),
// validates every part's options with its recipe, and reports every problem with
// file:line, section and option. Exit 1 when there is an error. Nothing is written,
// installed or run: meant for CI and pre-commit hooks.
import type { CommandContext } from '../context.js';
import { isBuildoutError } from '../../errors.js';
import type { Buildout, LoadOptions } from '../../config/types.js';
import { collectConfigProblems, unique } from '../../config/problems.js';
import { loadResolvedWith } from '../recipe-wiring.js';
import type { RecipeSeam } from '../../install/recipe-seam.js';
import { silentLogger, type Logger } from '../../log.js';
import { problemOf, problemsJson, problemsText, type Problem } from '../check/problem.js';
import { recipeProblems } from '../check/recipe-problems.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { problems, directory } = await checkConfiguration(ctx.load, ctx.log);
  if (ctx.flags.json) ctx.out(problemsJson(problems));
  else ctx.out(problemsText(problems, directory));
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

export interface CheckResult {
  problems: Problem[];
  /** the buildout directory ('' when the configuration could not be loaded) */
  directory: string;
}

function hasRecipe(b: Buildout, section: string): boolean {
  try {
    return Boolean(b.section(section).recipe);
  } catch {
    return false; // its resolution problems are reported with the configuration's
  }
}

/** Every problem of the configuration `load` describes (config problems first, then the parts' recipes). */
export async function checkConfiguration(load: LoadOptions, log: Logger = silentLogger): Promise<CheckResult> {
  let b: Buildout;
  let seam: RecipeSeam;
  try {
    ({ buildout: b, seam } = await loadResolvedWith(load, undefined, { command: 'check', log }));
  } catch (e) {
    // a file that cannot be read or parsed, or a broken [buildout]: nothing more can be resolved
    if (!isBuildoutError(e)) throw e;
    return { problems: [problemOf(e, 'config')], directory: '' };
  }
  const problems: Problem[] = (b.warnings ?? []).map((w) => ({ severity: 'warning', stage: 'config', code: 'UserError', message: w, section: 'buildout' }));
  const config = collectConfigProblems(b);
  problems.push(...unique(config.problems).map((e) => problemOf(e, 'config')));
  // sections with a recipe that no run installs are checked too (macro bases aside: they
  // may leave out what the sections built on them add)
  const bases = b.macroSources();
  const uninstalled = b.sectionNames().filter((s) => s !== 'buildout' && !config.parts.includes(s) && !bases.has(s) && hasRecipe(b, s));
  problems.push(...(await recipeProblems({ buildout: b, catalog: seam.catalog, computed: seam.computed, parts: [...config.parts, ...uninstalled] })));
  return { problems, directory: b.buildout.directory ?? '' };
}
