// The recipe contract, in two halves that one registry entry ties together:
//
// - `RecipePlugin`: the light object the configuration engine and the install lifecycle
//   call, in this order: `computeOptions` when the part's section is materialised
//   (zc.buildout's recipe constructor), `inputFiles` and `alwaysUpdate` when the run is
//   planned, and `load` only when the part really runs. It must not import zod,
//   handlebars or execa (the resolve path and a no-op install load it).
// - `Recipe`: what `load` returns, the part's install/update/uninstall.
//
// Built-in recipes (TypeScript) and Python recipes from PyPI (run by our Python host,
// src/install/python-recipes/) implement the same two interfaces: a built-in is one
// folder with `hooks.ts` (its plugin) and `index.ts` (its Recipe) plus one line in
// registry.ts.
import type { z } from 'zod';
import type { Logger } from '../log.js';
import type { PythonEnv } from '../python/types.js';
import type { SectionReader } from '../config/types.js';

/** What a recipe may read of the buildout as a whole (reads made while initialising order the parts). */
export type BuildoutView = Pick<SectionReader, 'options' | 'section' | 'hasSection'>;

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
  /** the buildout's Python environment holding `extra` requirements too (a Python recipe's easy_install.install) */
  pythonWith?(extra: readonly string[]): Promise<PythonEnv>;
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
 * A recipe as the engine and the lifecycle see it. Each hook is optional and says when it
 * runs; only `name` and `load` are required.
 */
export interface RecipePlugin {
  /** the `recipe = ...` value it serves, e.g. `plone.recipe.zope2instance` */
  name: string;
  /**
   * When: the part's section is materialised (its options substituted, its
   * `<part-dependencies>` materialised), before any other section — [buildout] included —
   * can read it; once per part and run, on every command that resolves (annotate --json,
   * query, check, install).
   * Result: the options the recipe sets on its section (zc.buildout's recipe constructor);
   * a `null` value removes an option. They are visible to every `${part:option}` and are
   * recorded in .installed.cfg. Sections read through `input.buildout` are installed first.
   * Must be synchronous and cheap; may throw `PendingWork` (src/config/pending.ts) when it
   * needs asynchronous work first (the Python host).
   */
  computeOptions?(input: ComputeOptionsInput): Readonly<Record<string, string | null>> | undefined;
  /**
   * When: the run is planned. Result: files (absolute) the part's output depends on, e.g. a
   * `wsgi-ini-template`: a change of their size or mtime reinstalls the part.
   */
  inputFiles?(input: ComputeOptionsInput): string[];
  /**
   * When: the run is planned and the part is unchanged. Result: true when `update` must run
   * anyway (e.g. plone.recipe.command's `update-command`); otherwise an unchanged part is
   * left alone and a no-op run loads no recipe module and starts no process.
   */
  alwaysUpdate?: boolean | ((options: Readonly<Record<string, string>>) => boolean);
  /**
   * The options recorded as the part's `__buildout_signature__` (a change reinstalls the
   * part); default: buildout-ts' version and the input files' fingerprint.
   */
  signature?(input: ComputeOptionsInput): string | undefined;
  /** When: the part is installed, updated or uninstalled. Result: the Recipe that does it. */
  load(): Promise<Recipe<any>>;
  /**
   * When: the run is planned (by install, `plan` and `lock`). Result: the folders of projects
   * the part installs in development mode (zc.recipe.egg:develop): the environment holds them
   * as it holds `[buildout] develop`, before any recipe runs. Must be cheap.
   */
  developPaths?(options: Readonly<Record<string, string>>): string[];
  /**
   * [buildout] options the real recipe's constructor reads (beyond zc.buildout's own):
   * install's unused-option warning for [buildout] counts them as used.
   */
  buildoutOptions?: readonly string[];
}

/** Ties a built-in plugin to its Recipe module, so TypeScript checks both halves. */
export function definePlugin(plugin: RecipePlugin): RecipePlugin {
  return plugin;
}

/** @deprecated the light half of a recipe is now its RecipePlugin */
export type RecipeHooks = Omit<RecipePlugin, 'name' | 'load'>;
