// Python's printf-style `%` operator on strings, as the Python recipe applies it
// to wsgi.ini templates (`template % mapping`) and to `storage-wrapper`
// (`wrapper % snippet`). Values are strings; numeric conversions accept
// strings that look like numbers (the recipe's defaults for `threads` and
// `max_request_body_size` are ints, so `%(threads)d` works in Python).
// Light module: imported by hooks.ts at resolve time.

export class PyFormatError extends Error {
  constructor(
    message: string,
    /** 1-based line in the template */
    readonly line: number,
    /** the unknown key, for a did-you-mean */
    readonly key?: string,
  ) {
    super(message);
  }
}

const CONVERSIONS = 'sradiouxXeEfFgGc';

/** `template % mapping`: every conversion must be `%(name)…`. */
export function formatMapping(template: string, vars: Readonly<Record<string, string | number>>): string {
  return format(template, (key, line) => {
    if (key === undefined) throw new PyFormatError('format requires a mapping: every placeholder must be %(name)s (write %% for a literal %)', line);
    if (!Object.prototype.hasOwnProperty.call(vars, key)) throw new PyFormatError(`unknown variable %(${key})s`, line, key);
    return vars[key]!;
  });
}

/** `template % (a, b, ...)`: positional conversions only. */
export function formatPositional(template: string, args: readonly string[]): string {
  let i = 0;
  const out = format(template, (key, line) => {
    if (key !== undefined) throw new PyFormatError('format requires a mapping (%(name)s cannot be used here)', line);
    if (i >= args.length) throw new PyFormatError('not enough arguments for format string', line);
    return args[i++]!;
  });
  if (i < args.length) throw new PyFormatError('not all arguments converted during string formatting', 1);
  return out;
}

function format(template: string, lookup: (key: string | undefined, line: number) => string | number): string {
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const pct = template.indexOf('%', i);
    if (pct < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, pct);
    const line = lineAt(template, pct);
    let j = pct + 1;
    if (j >= n) throw new PyFormatError('incomplete format: a lone % at the end (write %% for a literal %)', line);
    if (template[j] === '%') {
      out += '%';
      i = j + 1;
      continue;
    }
    let key: string | undefined;
    if (template[j] === '(') {
      // Python allows nested parentheses inside the key
      let depth = 1;
      const start = ++j;
      while (j < n && depth > 0) {
        if (template[j] === '(') depth++;
        else if (template[j] === ')') depth--;
        j++;
      }
      if (depth > 0) throw new PyFormatError('incomplete format key: missing ")"', line);
      key = template.slice(start, j - 1);
    }
    const spec = /^([#0\- +]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?/.exec(template.slice(j))!;
    if (spec[2] === '*' || spec[3] === '*') throw new PyFormatError('* width/precision is not supported in templates', line);
    j += spec[0].length;
    if (j >= n) throw new PyFormatError('incomplete format', line);
    const conv = template[j]!;
    if (!CONVERSIONS.includes(conv)) {
      throw new PyFormatError(`unsupported format character ${pyRepr(conv, true)} (0x${conv.charCodeAt(0).toString(16)}) at index ${j} (write %% for a literal %)`, line);
    }
    i = j + 1;
    const value = lookup(key, line);
    out += convert(value, conv, spec[1] ?? '', spec[2], spec[3], key, line);
  }
  return out;
}

function convert(value: string | number, conv: string, flags: string, width: string | undefined, precision: string | undefined, key: string | undefined, line: number): string {
  let text: string;
  const name = key === undefined ? 'value' : `%(${key})`;
  if (conv === 's') text = String(value);
  else if (conv === 'r' || conv === 'a') text = typeof value === 'number' ? String(value) : pyRepr(value, conv === 'a');
  else if (conv === 'c') {
    const s = String(value);
    if (s.length !== 1) throw new PyFormatError(`${name}${conv} requires a single character`, line);
    text = s;
  } else {
    const num = typeof value === 'number' ? value : Number(value);
    if (typeof value !== 'number' && (value.trim() === '' || !Number.isFinite(num))) {
      throw new PyFormatError(`${name}${conv} needs a number, but the value is the string ${pyRepr(String(value), false)} (use %(…)s)`, line);
    }
    text = formatNumber(num, conv, flags, precision);
    precision = undefined;
  }
  if (precision !== undefined && 'sra'.includes(conv)) text = text.slice(0, Number(precision));
  const w = width === undefined ? 0 : Number(width);
  if (text.length < w) {
    if (flags.includes('-')) text = text.padEnd(w);
    else if (flags.includes('0') && !'srac'.includes(conv)) {
      const sign = /^[-+ ]/.test(text) ? text[0]! : '';
      text = sign + text.slice(sign.length).padStart(w - sign.length, '0');
    } else text = text.padStart(w);
  }
  return text;
}

function formatNumber(num: number, conv: string, flags: string, precision: string | undefined): string {
  const p = precision === undefined ? 6 : Number(precision);
  let body: string;
  const abs = Math.abs(num);
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      body = Math.trunc(abs).toString();
      break;
    case 'o':
      body = (flags.includes('#') ? '0o' : '') + Math.trunc(abs).toString(8);
      break;
    case 'x':
    case 'X':
      body = (flags.includes('#') ? '0x' : '') + Math.trunc(abs).toString(16);
      if (conv === 'X') body = body.toUpperCase();
      break;
    case 'e':
    case 'E':
      body = abs.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      if (conv === 'E') body = body.toUpperCase();
      break;
    case 'f':
    case 'F':
      body = abs.toFixed(p);
      break;
    default: {
      // g/G: shortest of %e/%f with p significant digits, trailing zeros removed
      const g = Number(abs.toPrecision(p || 1));
      const exp = g === 0 ? 0 : Math.floor(Math.log10(g));
      body = exp < -4 || exp >= (p || 1) ? g.toExponential(Math.max((p || 1) - 1, 0)).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2') : String(g);
      if (conv === 'G') body = body.toUpperCase();
    }
  }
  const sign = num < 0 || Object.is(num, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  return sign + body;
}

/** Python's repr() of a str (the common cases: quotes and backslash escapes). */
export function pyRepr(s: string, asciiOnly: boolean): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (asciiOnly && c > 0x7e) out += c <= 0xff ? '\\x' + c.toString(16).padStart(2, '0') : c <= 0xffff ? '\\u' + c.toString(16).padStart(4, '0') : '\\U' + c.toString(16).padStart(8, '0');
    else out += ch;
  }
  return out + quote;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < index; k = text.indexOf('\n', k + 1)) line++;
  return line;
}
