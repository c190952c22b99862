// From a part's string options to the recipe's typed options, and zc.buildout's
// warning about options no recipe reads. Works on zod schemas without importing zod.
import { BuildoutError, type Loc } from '../errors.js';
import type { Recipe } from '../recipes/types.js';
import { pyRepr } from '../pyrepr.js';

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/** Parses a part's options with its recipe's schema. Throws BuildoutError `InvalidOption` listing every problem. */
export function parseOptions<O>(recipe: Recipe<O>, part: string, raw: Readonly<Record<string, string>>, locate: (option?: string) => Loc | undefined): O {
  const schema = recipe.schema as { safeParse?: (v: unknown) => { success: boolean; data?: O; error?: { issues: ZodLikeIssue[] } } } | undefined;
  if (!schema?.safeParse) return raw as O; // a user recipe without a schema gets the strings
  const r = schema.safeParse({ ...raw });
  if (r.success) return r.data as O;
  const issues = r.error?.issues ?? [];
  const first = issues[0] && typeof issues[0].path[0] === 'string' ? issues[0].path[0] : undefined;
  const lines = issues.map((i) => `  [${part}] ${i.path.length ? i.path.map(String).join('.') : '(options)'}: ${describe(i, raw)}`);
  return failWith(
    new BuildoutError('InvalidOption', `Invalid options for part '${part}' (recipe ${recipe.name}):\n${lines.join('\n')}`, {
      loc: locate(first) ?? locate('recipe'),
      section: part,
      option: first,
    }),
  );
}

/**
 * The option names a schema reads, or undefined when it accepts anything (no
 * schema, a catch-all, or a shape we cannot see through).
 */
export function schemaKeys(schema: unknown): Set<string> | undefined {
  for (let s = schema, depth = 0; s && depth < 10; depth++) {
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def ?? (s as { _def?: Record<string, unknown> })._def;
    const shape = (s as { shape?: unknown }).shape;
    if (shape && typeof shape === 'object') {
      const catchall = (def?.catchall as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type;
      if (catchall && catchall !== 'never') return undefined;
      return new Set(Object.keys(shape));
    }
    if (!def) return undefined;
    // pipe (transform/preprocess): the input side names the options; wrappers: the inner type.
    s = def.type === 'pipe' ? ((def.in as { shape?: unknown })?.shape ? def.in : def.out) : (def.innerType ?? def.schema);
  }
  return undefined;
}

/** Options the buildout machinery itself puts in a section (never "unused"). */
export const INTERNAL_OPTION = /^(recipe|<part-dependencies>|<|_buildout_section_name_|__buildout_.*__)$/;

/**
 * zc.buildout's unused-option warning text, or undefined: options the user wrote
 * that the recipe's schema does not read (computed options never count).
 */
export function unusedOptionsWarning(part: string, written: readonly string[], keys: Set<string> | undefined): string | undefined {
  if (!keys) return undefined;
  const unused = written.filter((k) => !keys.has(k) && !INTERNAL_OPTION.test(k)).sort();
  if (!unused.length) return undefined;
  return `Section \`${part}\` contains unused option(s): ${unused.map(pyRepr).join(' ')}.\nThis may be an indication for either a typo in the option's name or a bug in the used recipe.`;
}

// --- internal ---

function describe(issue: ZodLikeIssue, raw: Readonly<Record<string, string>>): string {
  const key = issue.path[0];
  if (typeof key === 'string' && !(key in raw) && /required|undefined/i.test(issue.message)) return 'missing (this option is required)';
  // name the offending value unless the message already does
  if (typeof key !== 'string' || !(key in raw)) return issue.message;
  const shown = JSON.stringify(raw[key]);
  return issue.message.includes(shown) ? issue.message : `${issue.message} (got ${shown})`;
}

function failWith(e: BuildoutError): never {
  throw e;
}
