// Python recipes in one run: their plugins (src/recipes/types.ts RecipePlugin) and, on
// install only, the Python host that constructs and runs them (host.ts), started at most
// once and only when a constructor must really run or a part really changes.
//
// A Python part's options come from its constructor: from `recipes-constructed.json`
// while what the constructor read is unchanged (constructed.ts), else (install) from the
// host — the engine is told to wait with PendingWork. Commands that only resolve (annotate,
// query, check) never start the host: a part never constructed has no computed options
// there.
import { PendingWork } from '../../config/pending.js';
import type { InitializedOptions, SectionReader } from '../../config/types.js';
import type { Logger } from '../../log.js';
import type { RecipePlugin } from '../../recipes/types.js';
import { readConstructed, recipeEnvKey, stillValid, currentValue, writeConstructed, type Constructed, type ConstructedFile, type Read } from './constructed.js';
import type { RecipeHost } from './host.js';
import { asRecipeError } from './host-errors.js';
import { BuildoutError, isBuildoutError } from '../../errors.js';
import { normaliseName } from '../../python/requirements.js';
import { recipeDist } from './recipe-env.js';
import { isModuleSpec, unknownRecipeHint } from '../recipes.js';
import { findBuiltinRecipe } from '../../recipes/registry.js';
import { readFileSync } from 'node:fs';

export interface InstallHooks {
  log: Logger;
  /** called once, before the host is started (install takes the buildout lock here) */
  beforeHost?: () => Promise<void>;
  /** the installer's output while the recipe environment is built */
  onProgress?: (line: string) => void;
  /** wraps a long step (a spinner; interruptible) */
  around?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
}

export class PythonRecipes {
  /** recipe values of Python parts seen in this run (the recipe environment's contents) */
  readonly specs = new Set<string>();
  /** parts whose constructor has not run (resolve commands: their options are unknown) */
  readonly unconstructed = new Set<string>();
  private file: ConstructedFile | undefined;
  private envKey: string | undefined;
  private directory: string | undefined;
  private readonly fresh = new Map<string, Constructed>();
  private host: Promise<RecipeHost> | undefined;
  /** parts whose constructor is running (a section it reads refers back to the part) */
  private readonly constructing = new Set<string>();
  /** parts whose recipe object lives in the running host */
  private readonly inHost = new Set<string>();
  /** what the Python extensions read of the sections when they were loaded */
  private readonly extensionReads: Read[] = [];

  constructor(private readonly install?: InstallHooks) {}

  plugin(spec: string): RecipePlugin {
    this.specs.add(spec);
    return {
      name: spec,
      // the engine hands every plugin a full SectionReader (BuildoutView is its read-only face)
      computeOptions: ({ part, options, buildout }) => this.construct(part, spec, options, buildout as SectionReader),
      signature: ({ part }) => this.entry(part)?.signature,
      alwaysUpdate: (options) => updatesOnEveryRun(spec, options),
      load: async () => (await import('./recipe.js')).pythonRecipe(spec, this),
    };
  }

  /** Whether the host may be started in this run (install) or not (annotate, query, check). */
  get canRun(): boolean {
    return this.install !== undefined;
  }

  /** What the constructor of `part` gave in this run (fresh) or last time (recorded). */
  entry(part: string): Constructed | undefined {
    return this.fresh.get(part) ?? this.file?.parts[part];
  }

  /** The host, started on first use (install only). */
  hostFor(buildout: SectionReader): Promise<RecipeHost> {
    const hooks = this.install;
    if (!hooks) throw new Error('the Python host is not available while only resolving');
    this.host ??= (async () => {
      await hooks.beforeHost?.();
      const { startHost } = await import('./host.js');
      // recipes of parts installed before too: their uninstall entry points may run
      for (const sp of installedRecipes(buildout)) this.specs.add(sp);
      return startHost({ buildout, specs: [...this.specs], log: hooks.log, ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}), ...(hooks.around ? { around: hooks.around } : {}) });
    })();
    return this.host;
  }

  /** Python extensions (`extensions =`), run in the host. */
  extensions(buildout: SectionReader): { load(specs: readonly string[]): Promise<string[]>; unload(specs: readonly string[]): Promise<string[]> } {
    return {
      load: async (specs) => {
        for (const sp of specs) this.specs.add(sp);
        const host = await this.hostFor(buildout);
        await host.ensure(specs);
        const r = await asRecipeError(host.loadExtensions(specs), 'buildout', specs.join(' '), 'extensions');
        this.extensionReads.push(...r.reads);
        return r.ran;
      },
      unload: async (specs) => asRecipeError((await this.hostFor(buildout)).unloadExtensions(specs), 'buildout', specs.join(' '), 'extensions'),
    };
  }

  /** The [buildout] options the Python extensions and the constructors of `parts` read (this run's, or recorded). */
  buildoutReads(parts: readonly string[]): string[] {
    const reads = [...this.extensionReads, ...parts.flatMap((p) => this.entry(p)?.reads ?? [])];
    return reads.filter(([section, option]) => section === 'buildout' && option).map(([, option]) => option);
  }

  /** The host if it was started. */
  started(): Promise<RecipeHost> | undefined {
    return this.host;
  }

  /** Records what the constructors computed in this run, for the next runs. */
  save(keep: readonly string[]): void {
    if (!this.directory || this.fresh.size === 0) return;
    const parts: Record<string, Constructed> = {};
    for (const p of keep) {
      const e = this.entry(p);
      if (e) parts[p] = e;
    }
    writeConstructed(this.directory, { version: 1, parts });
  }

  /** Requirements a part asked for in the buildout's environment (recorded with its constructor result). */
  noteRequirements(part: string, specs: readonly string[]): void {
    const e = this.entry(part);
    if (!e) return;
    const next = [...new Set([...(e.requirements ?? []), ...specs])].sort();
    if (next.join('\n') === (e.requirements ?? []).join('\n')) return;
    this.fresh.set(part, { ...e, requirements: next });
  }

  /** Every requirement Python parts asked for when they last ran. */
  requirements(parts: readonly string[]): string[] {
    return [...new Set(parts.flatMap((p) => this.entry(p)?.requirements ?? []))];
  }

  /** True when the running host holds the recipe object of `part`. */
  isConstructedInHost(part: string): boolean {
    return this.inHost.has(part);
  }

  /** Runs the constructor of `part` in the host and records what it gave. */
  async constructNow(host: RecipeHost, part: string, spec: string, options: Readonly<Record<string, string>>, buildout: SectionReader): Promise<void> {
    await host.ensure([spec]);
    this.constructing.add(part);
    let r;
    try {
      r = await asRecipeError(host.construct(part, spec, options, buildout), part, spec);
    } catch (e) {
      // the constructor runs while the section is initialised, as in zc.buildout
      if (isBuildoutError(e) && !e.doing.length) e.while(`Initializing section ${part}.`);
      throw e;
    } finally {
      this.constructing.delete(part);
    }
    this.inHost.add(part);
    this.unconstructed.delete(part);
    const recorded = this.entry(part);
    this.fresh.set(part, { recipe: spec, envKey: this.envKey ?? recipeEnvKey(buildout), options: { ...options }, reads: r.reads, set: r.set, signature: r.signature, ...(recorded?.requirements ? { requirements: recorded.requirements } : {}) });
    // what it read is a dependency of the part (install order)
    for (const [s, o] of r.reads) currentValue(buildout, s, o);
  }

  // --- internal ---

  private construct(part: string, spec: string, options: Readonly<Record<string, string>>, buildout: SectionReader): InitializedOptions | undefined {
    this.directory ??= buildout.options.directory;
    this.file ??= readConstructed(this.directory!);
    this.envKey ??= recipeEnvKey(buildout);
    const envKey = this.envKey;
    const fresh = this.fresh.get(part);
    if (fresh && fresh.recipe === spec && stillValid(fresh, spec, envKey, options, buildout)) return fresh.set;
    const recorded = this.file.parts[part];
    if (stillValid(recorded, spec, envKey, options, buildout)) return recorded.set;
    // not constructed yet (read back while its constructor runs, as in zc.buildout), or only resolving
    if (!this.install || this.constructing.has(part)) {
      this.unconstructed.add(part);
      return undefined;
    }
    const copy = { ...options };
    throw new PendingWork(part, async () => {
      const host = await this.hostFor(buildout).catch((e: unknown) => {
        throw unknownRecipe(e, part, spec);
      });
      await this.constructNow(host, part, spec, copy, buildout);
    });
  }
}

// The recipe environment could not be built because the recipe's distribution exists
// nowhere: that is zc.buildout's unknown recipe, said at the part's `recipe` line.
function unknownRecipe(e: unknown, part: string, spec: string): unknown {
  if (!isBuildoutError(e) || e.code !== 'DistributionNotFound') return e;
  const key = normaliseName(recipeDist(spec));
  const missing = [...e.message.matchAll(/^\s+(\S+): no distribution of that name/gm)].map((m) => normaliseName(m[1]!));
  if (!missing.includes(key)) return e;
  return new BuildoutError('UnknownRecipe', `Unknown recipe '${spec}' in part '${part}': no distribution ${recipeDist(spec)} on the index or in find-links`, { section: part, option: 'recipe', hint: unknownRecipeHint(spec), cause: e });
}

// The recipe values of the parts .installed.cfg records (those not built in and not modules).
function installedRecipes(buildout: SectionReader): string[] {
  const b = buildout.options;
  const file = b.installed ?? (b.directory ? `${b.directory}/.installed.cfg` : '');
  let text = '';
  try {
    text = file ? readFileSync(file, 'utf8') : '';
  } catch {
    return [];
  }
  return [...new Set([...text.matchAll(/^recipe = (.+)$/gm)].map((m) => m[1]!.trim()))].filter((sp) => !findBuiltinRecipe(sp) && !isModuleSpec(sp));
}

// Python recipes whose update() acts on something outside the part's options and the
// environment (the rule: docs/differences.md). Every other unchanged Python part is updated
// only when the buildout's environment changed.
const UPDATE_EVERY_RUN: Record<string, (options: Readonly<Record<string, string>>) => boolean> = {
  // runs `cmds` again with on_update = true
  'collective.recipe.cmd': (o) => /^(1|true)$/i.test(o.on_update ?? ''),
  'iw.recipe.cmd': (o) => /^(1|true|yes|on)$/i.test(o.on_update ?? ''),
};

function updatesOnEveryRun(spec: string, options: Readonly<Record<string, string>>): boolean {
  const rule = UPDATE_EVERY_RUN[normaliseName(recipeDist(spec)).replace(/-/g, '.')];
  return rule ? rule(options) : false;
}
