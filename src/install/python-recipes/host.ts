// The Python host (python/buildout_ts_recipes/): one process per run, started from the
// recipe environment's interpreter, speaking JSON lines over fds 3 (to it) and 4 (from it).
// What it asks of us: sections (materialised, with the options other recipes computed),
// changes recipes make to other sections, distributions in the buildout's environment
// (`easy_install.install`), console scripts (`easy_install.scripts`: written by
// src/python/scripts.ts, exactly as our built-in zc.recipe.egg writes them).
import { settle } from '../../config/pending.js';
import type { SectionReader } from '../../config/types.js';
import { BuildoutError } from '../../errors.js';
import { LEVELS, type Logger } from '../../log.js';
import { PYTHON_SOURCE_DIR } from '../../python/bundled.js';
import type { PythonEnv } from '../../python/types.js';
import { Channel, HostCallError, type Handler } from './rpc.js';
import { ensureRecipeEnv } from './recipe-env.js';
import type { Read } from './constructed.js';

export interface HostStart {
  buildout: SectionReader;
  specs: readonly string[];
  log: Logger;
  onProgress?: (line: string) => void;
  around?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
}

export interface ConstructResult {
  set: Record<string, string | null>;
  reads: Read[];
  signature: string;
}

export interface RunResult {
  /** null: the recipe returned None */
  paths: string[] | null;
  /** options of the part the recipe never read (zc.buildout's unused-option warning) */
  unused: string[];
}

/** What the host needs from the install run once parts are installed. */
export interface InstallServices {
  /** the buildout's environment holding `extra` too (zc.buildout's easy_install.install) */
  python(extra: readonly string[], part: string | undefined): Promise<PythonEnv>;
  /** an editable install of `path` into the buildout's environment (easy_install.develop) */
  develop?(path: string): Promise<void>;
}

export class RecipeHost {
  private readonly readers = new Map<string, SectionReader>();
  /** distributions the recipe environment was built with */
  private specs = new Set<string>();
  private start: HostStart | undefined;
  private services: InstallServices | undefined;
  private channel!: Channel;

  constructor(
    private readonly base: SectionReader,
    private readonly log: Logger,
    private readonly stopProcess: () => Promise<void>,
  ) {}

  /** @internal wires the channel (startHost) */
  attach(channel: Channel, start: HostStart): void {
    this.channel = channel;
    this.start = start;
    this.specs = new Set(start.specs);
  }

  /** Makes the recipe environment hold these recipes too (a recipe named by substitution, an old part's). */
  async ensure(specs: readonly string[]): Promise<void> {
    const missing = specs.filter((sp) => !this.specs.has(sp));
    if (!missing.length || !this.start) return;
    for (const sp of missing) this.specs.add(sp);
    const s = this.start;
    const around = s.around ?? ((_label, fn) => fn());
    await around('Preparing the recipe environment', () => ensureRecipeEnv({ buildout: s.buildout, specs: [...this.specs], log: s.log, ...(s.onProgress ? { onProgress: s.onProgress } : {}) }));
  }

  /** From now on the host may install distributions and write scripts. */
  provide(services: InstallServices): void {
    this.services = services;
  }

  async construct(part: string, recipe: string, options: Readonly<Record<string, string>>, reader: SectionReader): Promise<ConstructResult> {
    this.readers.set(part, reader);
    return this.channel.call<ConstructResult>('construct', { part, recipe, options });
  }

  install(part: string): Promise<RunResult> {
    return this.channel.call<RunResult>('install', { part });
  }

  update(part: string): Promise<RunResult> {
    return this.channel.call<RunResult>('update', { part });
  }

  /** Runs the recipe's `zc.buildout.uninstall` entry point; false when it has none. */
  async uninstall(part: string, recipe: string, options: Readonly<Record<string, string>>): Promise<boolean> {
    return (await this.channel.call<{ ran: boolean }>('uninstall', { part, recipe, options })).ran;
  }

  /** Runs the extensions' entry points; answers which ran and what they read of the sections. */
  loadExtensions(specs: readonly string[]): Promise<{ ran: string[]; reads: Read[] }> {
    return this.channel.call<{ ran: string[]; reads: Read[] }>('load_extensions', { specs });
  }

  unloadExtensions(specs: readonly string[]): Promise<string[]> {
    return this.channel.call<string[]>('unload_extensions', { specs });
  }

  /** Asks the host to exit; a host still busy in a recipe (Ctrl-C) is stopped after 2 s. */
  async stop(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.channel.call('shutdown').catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    await this.stopProcess();
  }

  /** @internal what the host may ask */
  handlers(): Record<string, Handler> {
    const readerOf = (part: unknown) => (typeof part === 'string' && this.readers.get(part)) || this.base;
    return {
      section: async ({ name, part }) => {
        const reader = readerOf(part);
        const n = String(name);
        if (!reader.hasSection(n)) return null;
        if (n !== 'buildout') return { ...(await settle(() => reader.section(n))) };
        // [buildout] may still be materialising (a part it references is being constructed):
        // the options that can be computed now, as zc.buildout's in-progress section gives them
        const options = reader.options;
        const out: Record<string, string> = {};
        for (const k of Object.keys(options)) {
          try {
            const v = options[k];
            if (v !== undefined) out[k] = v;
          } catch {
            // depends on what is being constructed
          }
        }
        return out;
      },
      sections: async () => this.base.sectionNames(),
      add_section: async ({ name, options }) => {
        await settle(() => this.base.addSection(String(name), options as Record<string, string>));
        return { ...(await settle(() => this.base.section(String(name)))) };
      },
      set_option: async ({ section, option, value }) => {
        if (typeof value === 'string') this.base.setOption(String(section), String(option), value);
        return null;
      },
      eggs: async ({ specs, part }) => {
        const env = await this.python(specs as string[], part as string | undefined);
        return { paths: [env.sitePackages], python: env.python };
      },
      develop: async ({ path }) => {
        if (!this.services?.develop) throw new BuildoutError('DevelopError', `A recipe asked for a develop install of ${String(path)}; add it to [buildout] develop instead.`);
        await this.services.develop(String(path));
        return [];
      },
      scripts: async (p) => {
        const env = await this.python([], p.part as string | undefined);
        const { writeConsoleScripts } = await import('../../python/scripts.js');
        const scripts = p.scripts as Record<string, string> | null;
        return writeConsoleScripts(env, {
          ...(p.part ? { part: String(p.part) } : {}),
          binDir: String(p.dest),
          eggs: p.eggs as string[],
          entryPoints: p.entryPoints as string[],
          ...(scripts ? { scripts } : {}),
          ...(p.interpreter ? { interpreter: String(p.interpreter) } : {}),
          ...(p.initialization ? { initialization: String(p.initialization) } : {}),
          ...(p.arguments ? { arguments: String(p.arguments) } : {}),
          extraPaths: p.extraPaths as string[],
          ...(p.relativePaths ? { relativePaths: String(p.relativePaths) } : {}),
          verbatim: true,
        });
      },
    };
  }

  private python(extra: readonly string[], part: string | undefined): Promise<PythonEnv> {
    if (!this.services) throw new BuildoutError('RecipeError', `A recipe constructor asked for distributions (${extra.join(', ')}); buildout-ts installs them only when parts are installed.`);
    return this.services.python(extra, part);
  }
}

/** Builds the recipe environment if needed and starts the host in it. */
export async function startHost(s: HostStart): Promise<RecipeHost> {
  const around = s.around ?? ((_label, fn) => fn());
  const env = await around('Preparing the recipe environment', () => ensureRecipeEnv({ buildout: s.buildout, specs: s.specs, log: s.log, ...(s.onProgress ? { onProgress: s.onProgress } : {}) }));
  const { startPython } = await import('../../python/spawn.js');
  const directory = s.buildout.options.directory ?? process.cwd();
  const bootstrap = `import sys; sys.path.insert(0, ${JSON.stringify(PYTHON_SOURCE_DIR)}); from buildout_ts_recipes.host import main; main()`;
  const child = await startPython(env.python, ['-c', bootstrap], { cwd: directory, extraPipes: 2, stdoutToStderr: true, env: { PYTHONUNBUFFERED: '1' } });
  const [toHost, fromHost] = child.pipes;
  let exited = false;
  const host = new RecipeHost(s.buildout, s.log, async () => {
    if (!exited) child.kill('SIGTERM');
    await child.exited;
  });
  const channel = new Channel(toHost!, fromHost!, host.handlers());
  host.attach(channel, s);
  void child.exited.then(({ code, signal }) => {
    exited = true;
    channel.close(new BuildoutError('RecipeError', `The Python recipe host exited (${signal ?? `code ${code}`}).`));
  });
  try {
    const hello = await channel.call<{ python: string; 'zc.buildout': string }>('hello', { log_level: pythonLevel(s.log), directory });
    s.log.debug(`Python recipe host: ${hello.python}, zc.buildout ${hello['zc.buildout']}`);
  } catch (e) {
    await host.stop();
    throw hostStartError(e);
  }
  return host;
}

// --- internal ---

function pythonLevel(log: Logger): number {
  return Number.isFinite(log.level) ? log.level : LEVELS.INFO;
}

function hostStartError(e: unknown): BuildoutError {
  const detail = e instanceof HostCallError ? `${e.failure.type ?? ''}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return new BuildoutError('RecipeLoadError', `The Python recipe host could not start: ${detail}`, { hint: 'The recipe environment is .buildout/recipes; remove it to have it built again.' });
}
