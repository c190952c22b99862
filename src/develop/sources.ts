// The `[sources]` section, read as mr.developer reads it: `name = kind url
// [path] [key=value ...]`. `path=` is a base directory (the name is appended),
// `full-path=` the checkout directory itself; relative ones are taken from the
// buildout directory; without either, the checkout goes to `sources-dir/name`.
// As mr.developer 3.0 (the newest), whose 2.1 let a later option override an earlier one.
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { applyRewrite, type Rewrite } from './rewrites.js';
import { parseFlag } from './settings.js';
import type { DevelopSettings, Source } from './types.js';

/** The kinds mr.developer knows (vcs/index.ts says which buildout-ts runs). */
export const KNOWN_KINDS = ['git', 'fs', 'hg', 'svn', 'bzr', 'darcs', 'cvs', 'gitsvn'] as const;

/** mr.developer's key=value words: a name of letters, digits and dashes, then `=`. */
const OPTION_WORD = /^[a-zA-Z0-9-]+=/;

/**
 * Every source of the section, by name, in the section's order. `section` is
 * undefined when the configuration has no such section (no sources, as mr.developer).
 */
export function parseSources(section: Readonly<Record<string, string>> | undefined, settings: DevelopSettings, rewrites: readonly Rewrite[] = [], log?: Logger): Map<string, Source> {
  const sources = new Map<string, Source>();
  for (const [name, line] of Object.entries(section ?? {})) sources.set(name, parseSource(name, line, settings, rewrites, log));
  return sources;
}

/** Source names that may go into a develop path's place (mr.developer's safe_name). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9.]+/g, '-');
}

// --- internal ---

function parseSource(name: string, line: string, settings: DevelopSettings, rewrites: readonly Rewrite[], log: Logger | undefined): Source {
  const fail = (message: string, hint?: string) => new BuildoutError('InvalidOption', message, { section: settings.sourcesSection, option: name, hint });
  const info = line.split(/\s+/).filter(Boolean);
  // the key=value words are taken from the end of the line, as mr.developer does
  const options: string[] = [];
  for (let i = info.length - 1; i >= 0; i--) {
    if (OPTION_WORD.test(info[i]!)) options.unshift(...info.splice(i, 1));
  }
  if (info.length < 2) throw fail(`The source definition of '${name}' needs at least the repository kind and URL.`, `Write \`${name} = git https://…/${name}.git\` (kind, URL, then key=value options).`);
  const kind = info[0]!;
  if (!(KNOWN_KINDS as readonly string[]).includes(kind)) throw fail(`Unknown repository type '${kind}' for source '${name}'.`, `The kinds are ${KNOWN_KINDS.join(', ')}.`);
  const url = info[1]!;
  const directory = settings.directory;
  const abs = (p: string) => (isAbsolute(p) ? p : join(directory, p));
  const fields: Record<string, string> = { kind, name, url };
  let path: string | undefined;
  if (info.length > 2) {
    if (!info[2]!.includes('=')) {
      // mr.developer warns and takes it: a base directory, like path=
      log?.warn(`You should use 'path=${info[2]}' to set the path.`);
      path = abs(join(info[2]!, name));
      options.unshift(...info.slice(3));
    } else options.unshift(...info.slice(2));
  }
  if (path !== undefined) fields.path = path;
  for (const option of options) {
    const i = option.indexOf('=');
    if (i < 0) throw fail(`The word '${option}' of source '${name}' is not an option (key=value).`, 'Only the kind, the URL and a path may stand without a key.');
    const key = option.slice(0, i);
    let value = option.slice(i + 1);
    if (!key) throw fail(`Option with no name '${option}'.`);
    // mr.developer ≥ 2.1: a later option wins (`pkg += branch=x` refines an extended definition)
    if (key in fields) log?.info(`Overriding '${key}' for source '${name}'.`);
    if (key === 'path') value = abs(join(value, name));
    if (key === 'full-path') value = abs(value);
    if (key === 'depth' && !/^\s*[+-]?\d+\s*$/.test(value)) throw fail('depth value needs to be a number.');
    fields[key] = value;
  }
  fields.path ??= fields['full-path'] ?? join(settings.sourcesDir, name);
  if (fields.depth === undefined && settings.gitCloneDepth) fields.depth = settings.gitCloneDepth;
  for (const rewrite of rewrites) applyRewrite(rewrite, fields);
  const { kind: k, name: _n, url: u, path: p, ...rest } = fields;
  return { name, kind: k!, url: u!, path: p!, options: rest, egg: rest.egg === undefined || parseFlag(rest.egg) !== false };
}
