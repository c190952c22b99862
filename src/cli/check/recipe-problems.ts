// The recipe side of `buildout check`: for every part, that its recipe can be found
// and loaded, that its options pass the recipe's schema (each issue on its own, at
// the option's file:line), that the files its hooks read exist, and which options it
// does not read (a warning with a did-you-mean). Nothing is installed or run.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isBuildoutError, type Loc } from '../../errors.js';
import type { Buildout } from '../../config/types.js';
import { didYouMean } from '../../config/hints.js';
import { unknownRecipeHint, type RecipeCatalog, type ResolvedRecipe } from '../../install/recipes.js';
import { INTERNAL_OPTION, schemaKeys } from '../../install/options.js';
import type { ComputeOptionsInput, Recipe } from '../../recipes/types.js';
import { silentLogger } from '../../log.js';
import type { Problem } from './problem.js';
import { problemOf } from './problem.js';

export interface RecipeCheckInput {
  buildout: Buildout;
  catalog: RecipeCatalog;
  /** options the recipes' computeOptions hooks set, by part (null: removed) */
  computed: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  parts: readonly string[];
}

export async function recipeProblems(x: RecipeCheckInput): Promise<Problem[]> {
  const problems: Problem[] = [];
  const referenced = referencedOptions(x.buildout);
  for (const part of x.parts) problems.push(...(await checkPart(x, part, referenced)));
  return problems;
}

// --- internal ---

async function checkPart(x: RecipeCheckInput, part: string, referenced: ReadonlySet<string>): Promise<Problem[]> {
  const b = x.buildout;
  let section: Readonly<Record<string, string>>;
  try {
    section = b.section(part);
  } catch {
    return []; // reported with the configuration's problems
  }
  const spec = section.recipe;
  if (!spec) return [];
  const locate = (option?: string): Loc | undefined => b.locate(part, option);
  const out: Problem[] = [];
  const fail = (e: unknown): Problem[] => {
    if (!isBuildoutError(e)) throw e;
    return [problemOf(e.placeAt(locate(e.option ?? 'recipe')), 'recipe')];
  };
  let recipe: Recipe<unknown>;
  let resolved: ResolvedRecipe;
  try {
    resolved = x.catalog.resolve(part, spec, locate('recipe'));
    recipe = await resolved.plugin.load();
  } catch (e) {
    return fail(e);
  }
  // a Python recipe is only found on the index when installing; a name close to a built-in one is worth a word
  if (resolved.kind === 'python') {
    const hint = unknownRecipeHint(spec);
    if (hint.startsWith('Did you mean')) {
      out.push({ severity: 'warning', stage: 'recipe', code: 'UnknownRecipe', message: `The recipe '${spec}' of part ${part} is not built in: install will look for a Python distribution ${spec.split(':')[0]}.`, loc: locate('recipe'), section: part, option: 'recipe', hint });
    }
  }
  const computed = x.computed.get(part) ?? {};
  const raw = { ...section };
  const hooksInput: ComputeOptionsInput = { part, options: raw, buildout: b.reader(part) };

  // the schema: every issue separately, at its option
  const schema = recipe.schema as { safeParse?: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } } | undefined;
  const parsed = schema?.safeParse?.({ ...raw });
  for (const issue of parsed && !parsed.success ? (parsed.error?.issues ?? []) : []) {
    const option = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const missing = option !== undefined && !(option in raw) && /required|undefined/i.test(issue.message);
    const message = missing ? `Missing option: ${part}:${option} (the ${recipe.name} recipe needs it)` : `Invalid value for ${option ?? 'the options'}: ${issue.message}${option && option in raw && !issue.message.includes(JSON.stringify(raw[option])) ? ` (got ${JSON.stringify(raw[option])})` : ''}`;
    const close = missing ? didYouMean(option, Object.keys(section)) : undefined;
    out.push({
      severity: 'error',
      stage: 'recipe',
      code: missing ? 'MissingOption' : 'InvalidOption',
      message,
      loc: option && !missing ? locate(option) : locate(),
      section: part,
      option,
      hint: close ? `The section sets '${close}': a misspelling of '${option}'?` : undefined,
    });
  }

  // files the part reads (templates): they must exist now
  const hooks = resolved.plugin;
  try {
    for (const file of hooks?.inputFiles?.(hooksInput) ?? []) {
      if (existsSync(file)) continue;
      const option = optionNaming(file, section, b.buildout.directory ?? '');
      out.push({
        severity: 'error',
        stage: 'recipe',
        code: 'MissingFile',
        message: `The file ${file}${option ? ` named by ${option}` : ''} does not exist.`,
        loc: locate(option),
        section: part,
        option,
        hint: option && !isAbsolute(section[option]!.trim()) ? `A relative ${option} is taken from the buildout directory (${b.buildout.directory}).` : undefined,
      });
    }
  } catch (e) {
    out.push(...fail(e));
  }

  // the requirements a part names (e.g. eggs) must be well-formed
  if (parsed?.success && recipe.requirements) {
    try {
      recipe.requirements({ part, options: (parsed as { data?: unknown }).data, raw, buildout: b.reader(part), created: () => {}, log: silentLogger, interactive: false, offline: true });
    } catch (e) {
      if (isBuildoutError(e)) out.push(...fail(e));
      else out.push({ severity: 'error', stage: 'recipe', code: 'InvalidOption', message: `The ${recipe.name} recipe cannot work out the requirements of part ${part}: ${(e as Error).message}`, loc: locate(), section: part });
    }
  }

  // options nobody reads: zc.buildout's warning, with the option the user probably meant
  const keys = schemaKeys(recipe.schema);
  if (keys) {
    for (const option of Object.keys(section).sort()) {
      if (keys.has(option) || INTERNAL_OPTION.test(option) || Object.hasOwn(computed, option) || referenced.has(`${part}:${option}`)) continue;
      const close = didYouMean(option, keys);
      out.push({
        severity: 'warning',
        stage: 'recipe',
        code: 'UnusedOption',
        message: `The ${recipe.name} recipe does not use the option '${option}' of part ${part}.`,
        loc: locate(option),
        section: part,
        option,
        hint: close ? `Did you mean '${close}'?` : 'Remove it, or check its name in the documentation of the recipe.',
      });
    }
  }
  return out;
}

// Every `section:option` some raw value refers to with ${...}: zc.buildout counts an
// option read through a reference as used.
function referencedOptions(b: Buildout): Set<string> {
  const out = new Set<string>();
  for (const name of b.sectionNames()) {
    for (const opt of Object.values(b.annotated(name) ?? {})) {
      for (const m of opt.value.matchAll(/\$\{([^}:]*):([^}]*)\}/g)) out.add(`${m[1] || name}:${m[2]}`);
    }
  }
  return out;
}

// The option of the section whose value is `file` (absolute, or relative to the buildout directory).
function optionNaming(file: string, section: Readonly<Record<string, string>>, directory: string): string | undefined {
  for (const [k, v] of Object.entries(section)) {
    const p = v.trim();
    if (p && (isAbsolute(p) ? p : join(directory, p)) === file) return k;
  }
  return undefined;
}
