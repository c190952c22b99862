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

// --- shape validators: a message for a bad value, undefined for a good one ---
// Pure, so that recipes' cross-option checks (superRefine) and their schemas share them.

/** A problem with a value: the message names the value; the hint says what would be right. */
export interface ShapeProblem {
  message: string;
  hint?: string;
}

/** A TCP port, 1–65535 (`99999` would wrap around in some servers and listen elsewhere). */
export function checkPort(text: string): ShapeProblem | undefined {
  if (!/^\d+$/.test(text)) return { message: `port ${JSON.stringify(text)} is not a number`, hint: 'a port is a number between 1 and 65535' };
  const n = Number(text);
  if (n < 1 || n > 65535) return { message: `port ${text} is out of range`, hint: 'a port is a number between 1 and 65535' };
  return undefined;
}

export interface AddressRules {
  /** a bare port (`8080`) is allowed (the host defaults) */
  portOnly?: boolean;
  /** a path with a `/` is a unix socket (ZEO) */
  unixSocket?: boolean;
  /** `*:port` binds every interface (waitress) */
  wildcard?: boolean;
}

/** One `host:port`, `[v6]:port`, bare port or unix socket path. */
export function checkAddress(item: string, rules: AddressRules = {}): ShapeProblem | undefined {
  const example = `e.g. 127.0.0.1:8080, [::1]:8080${rules.portOnly ? ' or 8080' : ''}${rules.unixSocket ? ' or /path/to/socket' : ''}`;
  if (rules.unixSocket && item.includes('/')) return undefined;
  const colon = item.lastIndexOf(':');
  if (colon < 0) {
    if (!rules.portOnly) return { message: `address ${JSON.stringify(item)} has no port`, hint: `write host:port (${example})` };
    if (/^\d+$/.test(item)) return checkPort(item);
    return { message: `address ${JSON.stringify(item)} is neither a port nor host:port`, hint: example };
  }
  const host = item.slice(0, colon);
  const port = item.slice(colon + 1);
  // an IPv6 address needs brackets, or its last group would be taken as the port
  if (host.includes(':') && !(host.startsWith('[') && host.endsWith(']'))) return { message: `address ${JSON.stringify(item)}: an IPv6 host must be in brackets`, hint: 'e.g. [::1]:8080' };
  const hostProblem = checkHost(host, rules);
  if (hostProblem) return { message: `address ${JSON.stringify(item)}: ${hostProblem}`, hint: example };
  const p = checkPort(port);
  return p ? { message: `address ${JSON.stringify(item)}: ${p.message}`, hint: p.hint } : undefined;
}

/** Several addresses separated by whitespace; the first bad one is reported. */
export function checkAddresses(value: string, rules: AddressRules = {}): ShapeProblem | undefined {
  const items = value.split(/\s+/).filter(Boolean);
  if (!items.length) return { message: 'no address given', hint: rules.portOnly ? 'e.g. 8080 or 127.0.0.1:8080' : 'e.g. 127.0.0.1:8080' };
  for (const item of items) {
    const p = checkAddress(item, rules);
    if (p) return p;
  }
  return undefined;
}

/** `name:password` (the password may contain colons; the name may not be empty). */
export function checkUserPassword(value: string): ShapeProblem | undefined {
  const i = value.indexOf(':');
  if (i < 0) return { message: 'expected name:password, but there is no ":"', hint: 'e.g. user = admin:secret' };
  if (value.slice(0, i).trim() === '') return { message: 'the user name before ":" is empty', hint: 'e.g. user = admin:secret' };
  return undefined;
}

/** A byte size as ZConfig reads it: a whole number, optionally followed by KB, MB or GB (any case). */
export function checkByteSize(value: string): ShapeProblem | undefined {
  if (/^\s*\d+\s*([kmg]b)?\s*$/i.test(value)) return undefined;
  return { message: `${JSON.stringify(value)} is not a size`, hint: 'a whole number of bytes, optionally with KB, MB or GB: e.g. 128MB' };
}

/** A whole number, optionally bounded. */
export function checkInteger(value: string, bounds: { min?: number; max?: number } = {}): ShapeProblem | undefined {
  const t = value.trim();
  const range = bounds.max !== undefined ? `between ${bounds.min ?? 0} and ${bounds.max}` : bounds.min !== undefined ? `of at least ${bounds.min}` : '';
  if (!/^[-+]?\d+$/.test(t)) return { message: `${JSON.stringify(value)} is not a whole number`, hint: range ? `a whole number ${range}` : undefined };
  const n = Number(t);
  if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) return { message: `${n} is out of range`, hint: `a whole number ${range}` };
  return undefined;
}

/** Spellings of a boolean that a given reader accepts. */
export const BOOLEAN_WORDS = {
  /** buildout's and most recipes' (parseBool) */
  buildout: [...TRUE, ...FALSE],
  /** ZConfig's `boolean` datatype (zope.conf, zeo.conf): no 1/0 */
  zconfig: ['true', 'yes', 'on', 'false', 'no', 'off'],
} as const;

/** A boolean among `words` (compared case-insensitively). */
export function checkBoolean(value: string, words: readonly string[] = BOOLEAN_WORDS.buildout): ShapeProblem | undefined {
  if (words.includes(value.trim().toLowerCase())) return undefined;
  return { message: `${JSON.stringify(value)} is not a boolean`, hint: `use one of ${words.join(', ')}` };
}

function checkHost(host: string, rules: AddressRules): string | undefined {
  if (host === '') return 'the host before ":" is empty (write 0.0.0.0:PORT for every interface)';
  if (host === '*') return rules.wildcard ? undefined : '"*" is not a host here';
  if (host.startsWith('[')) return /^\[[0-9a-fA-F:.]+(%[\w.-]+)?\]$/.test(host) && host.includes(':') ? undefined : `${host} is not an IPv6 address`;
  if (/^[\d.]+$/.test(host)) return /^(\d{1,3})(\.\d{1,3}){3}$/.test(host) && host.split('.').every((o) => Number(o) <= 255) ? undefined : `${host} is not an IPv4 address`;
  return /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$/.test(host) ? undefined : `${JSON.stringify(host)} is not a host name`;
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
