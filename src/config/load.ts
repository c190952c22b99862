// Reads config files and follows `extends`/`optional-extends` (spec §3.3):
// each file yields a flat, ordered list of per-file layers (its extends first,
// then its optional extends, then the file itself).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { Opt, ParsedBlock, RawConfig } from './model.js';
import { assembleFile, lexConfig } from './parse.js';
import type { LexedFile } from './parse.js';
import { mergeConfig } from './merge.js';

export interface DownloadPolicy {
  offline: boolean;
  newest: boolean;
  cacheDir?: string;
  /** `socket-timeout` (seconds), when numeric: how long a download may wait */
  timeoutSeconds?: number;
}

export interface Layer {
  file: string;
  config: RawConfig;
}

export interface LoadContext {
  /** optional-extends existence is checked relative to it (as zc.buildout does) */
  cwd: string;
  /** the interpreter conditions describe; only called when a file has conditional headers */
  executable: () => Promise<string>;
  /** every file read, in load order */
  files: string[];
  /** evaluated files by path (a diamond reads a file once, applies it twice) */
  parsed: Map<string, ParsedFile>;
  /** URL extends: download policy (from the command line and the root file) */
  urls?: DownloadPolicy;
  /** command-line download settings: they win over the root file's */
  urlsOverride?: Partial<DownloadPolicy>;
  /**
   * The user defaults, merged under the first file loaded that extends nothing, then
   * consumed (`config` set to undefined). Each top-level load gets a fresh holder.
   */
  userDefaults?: { config: RawConfig | undefined };
  /** things zc.buildout prints while loading (e.g. a skipped optional-extends) */
  notices: string[];
}

/** A top-level load (main file, a command-line extends, the user defaults): its layers folded from empty. */
export async function loadMerged(ctx: LoadContext, file: string, from?: { file: string; line?: number }): Promise<RawConfig> {
  const merged: RawConfig = new Map();
  for (const layer of await loadLayers(ctx, file, [], from)) mergeConfig(merged, layer.config);
  return merged;
}

/** Loads one file and everything it extends, flattened. `from` says who asked, for errors. */
export async function loadLayers(ctx: LoadContext, file: string, stack: string[] = [], from?: { file: string; line?: number }): Promise<Layer[]> {
  if (stack.includes(file)) {
    throw new BuildoutError('RecursiveInclude', `Recursive file include: ${[...stack, file].join(' -> ')}`, {
      loc: from,
      hint: 'A file extends itself, directly or through other files; remove one of the extends.',
    });
  }
  let parsed = ctx.parsed.get(file);
  if (!parsed) {
    const blocks = await readBlocks(ctx, file, from);
    parsed = splitExtends(await evaluateFile(ctx, blocks, file), file);
    ctx.parsed.set(file, parsed);
  }
  const { ext, opt } = parsed;
  let config = parsed.config;
  const layers: Layer[] = [];
  const inner = [...stack, file];
  if (stack.length === 0) ctx = withDownloadPolicy(ctx, config, file);
  const base = isUrl(file) ? file : dirname(file);
  if (ext && ext.value) {
    for (const name of ext.value.split(/\s+/).filter(Boolean)) {
      layers.push(...(await loadLayers(ctx, resolveRef(base, name), inner, ext.loc)));
    }
  } else if (ctx.userDefaults?.config) {
    // the first file that extends nothing carries the user defaults under it
    const under: RawConfig = new Map(ctx.userDefaults.config);
    mergeConfig(under, config);
    config = under;
    ctx.userDefaults.config = undefined;
  }
  if (opt) {
    for (const name of opt.value.split(/\s+/).filter(Boolean)) {
      // zc.buildout checks existence relative to the cwd but loads relative to the file
      if (isUrl(name) || !existsSync(resolve(ctx.cwd, name))) {
        ctx.notices.push(`optional-extends file not found: ${name}`);
        continue;
      }
      layers.push(...(await loadLayers(ctx, resolveRef(base, name), inner, opt.loc)));
    }
  }
  layers.push({ file, config });
  return layers;
}

/** `http://…`, `file://…` (not a Windows drive letter). */
export function isUrl(name: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(name);
}

/** A name in `extends`, relative to the directory (or URL) of the file naming it. */
export function resolveRef(base: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(base)) return new URL(name, base).href;
  return isAbsolute(name) ? name : join(base, name);
}

/** extends-cache, offline and newest of the root file apply to what it extends (zc.buildout's download options). */
export function withDownloadPolicy(ctx: LoadContext, config: RawConfig, file: string): LoadContext {
  const opts = config.get('buildout')?.opts;
  const cache = opts?.get('extends-cache')?.value;
  const offline = opts?.get('offline')?.value;
  const newest = opts?.get('newest')?.value;
  const timeout = socketTimeout(opts?.get('socket-timeout')?.value);
  if (!cache && offline === undefined && newest === undefined && timeout === undefined) return ctx;
  const urls = { ...(ctx.urls ?? { offline: false, newest: true }) };
  if (cache && !cache.includes('${') && !isUrl(file)) {
    const home = process.env.HOME ?? '';
    const expanded = cache === '~' || cache.startsWith('~/') ? home + cache.slice(1) : cache;
    urls.cacheDir = resolve(dirname(file), expanded);
  }
  if (offline === 'true' || offline === 'false') urls.offline = offline === 'true';
  if (newest === 'true' || newest === 'false') urls.newest = newest === 'true';
  if (timeout !== undefined) urls.timeoutSeconds = timeout;
  return { ...ctx, urls: { ...urls, ...ctx.urlsOverride } };
}

/** zc.buildout's socket-timeout: whole seconds; anything else leaves the default. */
export function socketTimeout(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\+?\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

export interface ParsedFile {
  config: RawConfig;
  ext?: Opt;
  opt?: Opt;
}

/** Pops `extends` and `optional-extends` (never visible afterwards); rejects `extended-by`. */
function splitExtends(config: RawConfig, file: string): ParsedFile {
  const bo = config.get('buildout');
  if (!bo) return { config };
  if (bo.opts.has('extended-by')) {
    throw new BuildoutError('InvalidOption', `No-longer supported "extended-by" option found in ${file}.`, {
      loc: bo.opts.get('extended-by')!.loc,
      section: 'buildout',
      option: 'extended-by',
    });
  }
  const ext = bo.opts.get('extends');
  const opt = bo.opts.get('optional-extends');
  bo.opts.delete('extends');
  bo.opts.delete('optional-extends');
  return { config, ext, opt };
}

/** Reads and lexes a file's text. */
async function readBlocks(ctx: LoadContext, file: string, from?: { file: string; line?: number }): Promise<LexedFile> {
  let text: string;
  if (isUrl(file)) text = await (await import('./fetch.js')).readUrl(file, ctx.urls ?? { offline: false, newest: true }, from);
  else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(e)})`;
      throw new BuildoutError('FileNotFound', `Configuration file ${file} ${what}${from ? ` (named in ${from.file}${from.line ? ':' + from.line : ''})` : ''}.`, {
        loc: from,
        hint: from ? 'Names in extends are relative to the directory of the file that names them.' : undefined,
      });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  ctx.files.push(file);
  return lexConfig(text, file);
}

/** Evaluates conditional headers (only when the file has some) and assembles sections. */
async function evaluateFile(ctx: LoadContext, lexed: LexedFile, file: string): Promise<RawConfig> {
  const conditional = lexed.blocks.filter((b) => b.condition !== undefined);
  const results = new Map<ParsedBlock, boolean>();
  if (conditional.length) {
    const executable = await ctx.executable();
    const { evaluateCondition } = await import('./conditions/index.js');
    for (const b of conditional) {
      const expr = b.condition!;
      if (!expr.trim()) {
        throw new BuildoutError('ParsingError', `The section header [${b.name}:${expr}] has an empty condition.`, {
          loc: { file, line: b.line },
          section: b.name,
          hint: `Write [${b.name}] for an unconditional section, or put an expression after the colon.`,
        });
      }
      results.set(b, await evaluateCondition(expr.trim(), { executable, loc: { file, line: b.line }, section: b.name }));
    }
  }
  return assembleFile(lexed, file, (b) => results.get(b) === true);
}
