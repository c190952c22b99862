// The recipe contract. A recipe is a plain object (no classes with side
// effects); `defineRecipe` only exists so TypeScript infers the option type.
import type { z } from 'zod';
import type { Logger } from '../log.js';
import type { PythonEnv } from '../python/types.js';

/** What a recipe may read of the buildout as a whole. */
export interface BuildoutView {
  /** the materialised [buildout] section (directory, bin-directory, parts-directory, ...) */
  readonly options: Readonly<Record<string, string>>;
  /** materialised options of any section (throws BuildoutError for a missing one) */
  section(name: string): Readonly<Record<string, string>>;
  hasSection(name: string): boolean;
}

/** Input of `computeOptions`, run when the part's section is materialised. */
export interface ComputeOptionsInput {
  part: string;
  /** the substituted options as written by the user */
  options: Readonly<Record<string, string>>;
  buildout: BuildoutView;
}

export interface RecipeContext<O> {
  /** the part (section) name */
  part: string;
  /** the options after the recipe's zod schema */
  options: O;
  /** the substituted string options, computed ones included (these make the change signature) */
  raw: Readonly<Record<string, string>>;
  buildout: BuildoutView;
  /** the buildout's Python environment, already holding this part's requirements */
  python(): Promise<PythonEnv>;
  /** registers paths this install created: removed on failure, recorded in .installed.cfg */
  created(...paths: string[]): void;
  log: Logger;
  /** true when a person can answer a prompt (stdin and stderr are terminals, not CI) */
  interactive: boolean;
  /** true with `-o` / `offline = true` */
  offline: boolean;
}

export interface Recipe<O = Record<string, unknown>> {
  /** the `recipe = ...` name, e.g. `plone.recipe.zope2instance` */
  name: string;
  /** turns the substituted string options into O; its keys are the options the recipe uses */
  schema: z.ZodType<O>;
  /** Python requirement strings this part needs in the buildout's environment. */
  requirements?(ctx: Omit<RecipeContext<O>, 'python'>): string[];
  /** Runs on a fresh install or when options changed. Returns every path it created. */
  install(ctx: RecipeContext<O>): Promise<string[]>;
  /**
   * Runs when the part is unchanged (same options, same input files, recorded
   * paths present) and its hooks ask for it (`alwaysUpdate`). Returns paths it
   * created anew. Without `alwaysUpdate` an unchanged part is left alone, which
   * keeps a no-op run free of recipe imports.
   */
  update?(ctx: RecipeContext<O>): Promise<string[] | void>;
  /** Runs before the part's recorded paths are removed (part removed or options changed). */
  uninstall?(ctx: { part: string; raw: Readonly<Record<string, string>>; buildout: BuildoutView; log: Logger }): Promise<void>;
}

export function defineRecipe<O>(recipe: Recipe<O>): Recipe<O> {
  return recipe;
}

/**
 * Light hooks of a recipe, loaded at resolve time (before anything is
 * installed), so they must not import zod, handlebars or execa.
 */
export interface RecipeHooks {
  /**
   * Runs when the part's section is materialised, before other sections can
   * reference it. Returns the options the recipe adds (e.g. `location`), as the
   * Python recipes do in their constructors. Must be pure and cheap.
   */
  computeOptions?(input: ComputeOptionsInput): Record<string, string>;
  /** Files (absolute) whose content the part's output depends on, e.g. a `wsgi-ini-template`. A change reinstalls the part. */
  inputFiles?(input: ComputeOptionsInput): string[];
  /** true when `update` must run even for an unchanged part (e.g. plone.recipe.command's update-command) */
  alwaysUpdate?: boolean | ((options: Readonly<Record<string, string>>) => boolean);
}
