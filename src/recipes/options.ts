// Shared zod helpers for buildout-style option strings, and turning zod
// issues into `[section] option: message` errors. Recipes' schemas take the
// substituted string options; every helper accepts `undefined` (option absent).
import { z } from 'zod';
import { BuildoutError } from '../errors.js';

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

/** Parses true/false, yes/no, on/off, 1/0 (any case); undefined for other text. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  return undefined;
}

/** A boolean option; absent or empty → `dflt`. */
export function bool(dflt: boolean) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return dflt;
      const b = parseBool(v);
      if (b === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected true or false (also yes/no, on/off, 1/0), got '${v}'` });
        return z.NEVER;
      }
      return b;
    });
}

/** Splits on whitespace (spaces and newlines): `parts`, `eggs`-like lists of words. */
export function splitWords(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

/** Splits on newlines, trimming and dropping blank lines. */
export function splitLines(value: string | undefined): string[] {
  return (value ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** A whitespace-separated list; absent → []. */
export function words() {
  return z.string().optional().transform(splitWords);
}

/** A list with one entry per line; absent → []. */
export function lines() {
  return z.string().optional().transform(splitLines);
}

/** An octal file mode such as `755` or `0644`; absent → undefined. */
export function octalMode() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const t = v.trim().replace(/^0o/i, '');
      if (!/^[0-7]{1,4}$/.test(t)) {
        ctx.addIssue({ code: 'custom', message: `expected an octal file mode such as 755 or 0644, got '${v}'` });
        return z.NEVER;
      }
      return parseInt(t, 8);
    });
}

/** An integer (optionally bounded); absent → `dflt`. */
export function int(dflt?: number, bounds: { min?: number; max?: number } = {}) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return dflt;
      const t = v.trim();
      if (!/^[-+]?\d+$/.test(t)) {
        ctx.addIssue({ code: 'custom', message: `expected an integer, got '${v}'` });
        return z.NEVER;
      }
      const n = Number(t);
      if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
        ctx.addIssue({ code: 'custom', message: `expected an integer between ${bounds.min ?? '-∞'} and ${bounds.max ?? '∞'}, got ${n}` });
        return z.NEVER;
      }
      return n;
    });
}

/** A required non-empty string. */
export function required(what = 'a value') {
  return z.string({ error: (iss) => (iss.input === undefined ? 'required option is missing' : `expected ${what}`) }).refine((v) => v.trim() !== '', { message: `must not be empty (expected ${what})` });
}

/** `[section] option: message` lines for a zod error. */
export function formatIssues(section: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const option = i.path.map(String).join('.');
    return option ? `[${section}] ${option}: ${i.message}` : `[${section}] ${i.message}`;
  });
}

/** Parses a part's options with a recipe schema; throws one BuildoutError listing every problem. */
export function parseOptions<O>(schema: z.ZodType<O>, section: string, raw: Readonly<Record<string, string>>): O {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const problems = formatIssues(section, r.error);
  const first = r.error.issues[0]?.path.map(String).join('.');
  return fail(problems, section, first);
}

// --- internal ---

function fail(problems: string[], section: string, option: string | undefined): never {
  throw new BuildoutError('InvalidOption', problems.length === 1 ? problems[0]! : `Invalid options:\n  ${problems.join('\n  ')}`, {
    section,
    ...(option ? { option } : {}),
  });
}
