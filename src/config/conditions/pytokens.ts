// Tokenizer for the small Python expression language of condition headers
// (`sys.version_info >= (3, 8) and not windows`). One line, no indentation rules.
import { fail } from './failure.js';

export type Token =
  | { kind: 'name'; value: string; pos: number }
  | { kind: 'int'; value: bigint; pos: number }
  | { kind: 'float'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

// Longest first, so `<=` wins over `<`.
const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '<>', '<<', '>>', '->', ':=', '...', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '@', '=', '<', '>', '+', '-', '*', '/', '%', '~', '&', '|', '^'];

const NAME_RE = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const NUMBER_RE = /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][-+]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:\d(?:_?\d)*)?(?:[eE][-+]?\d(?:_?\d)*)?)[jJ]?/y;
const STRING_PREFIX_RE = /(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])?(?='|")/y;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') break; // a comment runs to the end of the line
    if (c === '\\' || c === '\n' || c === '\r') fail('SyntaxError', `unexpected character ${JSON.stringify(c)} at column ${i + 1}`);
    STRING_PREFIX_RE.lastIndex = i;
    const prefix = STRING_PREFIX_RE.exec(src);
    if (prefix) {
      const [value, end] = readString(src, i, prefix[0]);
      // adjacent literals concatenate: 'a' "b" == 'ab'
      const prev = out[out.length - 1];
      if (prev && prev.kind === 'str') prev.value += value;
      else out.push({ kind: 'str', value, pos: i });
      i = end;
      continue;
    }
    NAME_RE.lastIndex = i;
    const name = NAME_RE.exec(src);
    if (name) {
      out.push({ kind: 'name', value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(src)!;
      out.push(numberToken(m[0], i));
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) fail('SyntaxError', `invalid character ${JSON.stringify(c)} at column ${i + 1}`);
    out.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'end', pos: src.length });
  return out;
}

/** Decodes the backslash escapes of a non-raw Python string body. */
export function decodeEscapes(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (all, e: string) => {
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (e in simple) return simple[e]!;
    if (/^[xuU]/.test(e)) {
      const cp = parseInt(e.slice(1), 16);
      if (cp > 0x10ffff) fail('SyntaxError', `invalid escape ${all} in a string`);
      return String.fromCodePoint(cp);
    }
    if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    if (e.startsWith('N{')) fail('Unsupported', `the \\N{...} escape is not supported in conditions`);
    if (/^[xuUN]$/.test(e)) fail('SyntaxError', `truncated escape ${all} in a string`);
    return all; // unknown escapes stay as written, as in Python
  });
}

// --- internal ---

function readString(src: string, start: number, prefix: string): [string, number] {
  const p = prefix.toLowerCase();
  if (p.includes('f')) fail('Unsupported', `f-strings are not supported in conditions (column ${start + 1})`);
  if (p.includes('b')) fail('Unsupported', `bytes literals are not supported in conditions (column ${start + 1})`);
  let i = start + prefix.length;
  const quote = src.startsWith(src[i]!.repeat(3), i) ? src[i]!.repeat(3) : src[i]!;
  i += quote.length;
  const bodyStart = i;
  while (i < src.length && !src.startsWith(quote, i)) i += src[i] === '\\' ? 2 : 1;
  if (i >= src.length) fail('SyntaxError', `unterminated string literal at column ${start + 1}`);
  const body = src.slice(bodyStart, i);
  return [p.includes('r') ? body : decodeEscapes(body), i + quote.length];
}

function numberToken(text: string, pos: number): Token {
  if (/[jJ]$/.test(text)) fail('Unsupported', `complex numbers are not supported in conditions (${text})`);
  const t = text.replace(/_/g, '');
  if (/^0[xXoObB]/.test(t)) return { kind: 'int', value: BigInt(t.toLowerCase()), pos };
  if (/[.eE]/.test(t)) return { kind: 'float', value: Number(t), pos };
  // Python 3 rejects leading zeros in decimal ints other than 0 itself
  if (/^0+[1-9]/.test(t)) fail('SyntaxError', `leading zeros in decimal integer literals are not permitted (${text})`);
  return { kind: 'int', value: BigInt(t), pos };
}
