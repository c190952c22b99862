// Lexes one buildout config file into header blocks, each option with its line.
// Follows zc.buildout's configparser line by line (see spec §1); conditions of
// `[name:EXPR]` headers are kept as text and evaluated by load.ts.
import { BuildoutError } from '../errors.js';
import type { ParsedBlock, ParsedOption, RawSection } from './model.js';
import type { HistoryEntry } from './types.js';
import { opOfKey } from './model.js';

// `[` name (`:` expr)? `]` then an optional comment; as zc.buildout's regex
const SECTION_HEADER = /^\[\s*([^\s#[\]:;{}]+)\s*(?::([^#;]*))?\s*\]\s*(?:[#;].*)?$/s;
// name (+ optional spaces and +/-) `=` value; `:` is not a separator
const OPTION_START = /^([^\s{}[\]=:]+\s*[-+]?)=(.*)$/s;

/** Splits text into lines the way Python's universal-newline readline does. */
export function splitLines(text: string): string[] {
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line that is neither header, option, continuation nor comment. */
export interface BadLine {
  line: number;
  text: string;
  /** only an error when this block's condition is true (zc.buildout skips it after a false header) */
  onlyIf?: ParsedBlock;
  /** the section the line sits in */
  section: string;
}

export interface LexedFile {
  blocks: ParsedBlock[];
  bad: BadLine[];
}

/** Text → header blocks and bad lines (reported by assembleFile once conditions are known). */
export function lexConfig(text: string, file: string): LexedFile {
  const blocks: ParsedBlock[] = [];
  let block: ParsedBlock | undefined;
  let opt: ParsedOption | undefined;
  let sawOption = false;
  let blockMode = false;
  const bad: BadLine[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineno = i + 1;
    const first = line[0];
    if (first === '#' || first === ';') continue; // comment, even inside a value
    // a blank line has a "whitespace first char" (the newline) in Python
    const startsBlank = first === undefined || isPySpace(first);
    if (startsBlank && block && opt) {
      if (blockMode) opt.cont.push(pyRstrip(line));
      else {
        const s = pyStrip(line);
        if (s) opt.cont.push(s);
      }
      continue;
    }
    const header = SECTION_HEADER.exec(line);
    if (header) {
      const expr = header[2];
      block = { name: header[1]!, line: lineno, options: [] };
      // `[x:]` has an empty expression and is unconditional, as in zc.buildout
      if (expr) block.condition = expr.replace(/\\x23/g, '#').replace(/\\x3b/g, ';');
      blocks.push(block);
      opt = undefined;
      continue;
    }
    if (!block) {
      if (!pyStrip(line)) continue;
      throw new BuildoutError('MissingSectionHeaderError', `File contains no section headers.\nfile: ${file}, line: ${lineno}\n${pyRepr(line)}`, {
        loc: { file, line: lineno },
        hint: 'Every option must follow a section header such as [buildout].',
      });
    }
    // `=> a b` is shorthand for `<part-dependencies> = a b`
    const m = OPTION_START.exec(line.startsWith('=>') ? '<part-dependencies> =' + line.slice(2) : line);
    if (m) {
      const value = pyStrip(m[2]!);
      opt = { key: pyRstrip(m[1]!), value, cont: [], line: lineno };
      block.options.push(opt);
      blockMode = value === '';
      sawOption = true;
      continue;
    }
    if (!opt && !pyStrip(line)) continue; // blank line right after a header
    // after a false header zc.buildout still continues the previous option (and drops the line)
    const onlyIf = !opt && startsBlank && block.condition !== undefined && sawOption ? block : undefined;
    bad.push({ line: lineno, text: line, onlyIf, section: block.name });
  }
  return { blocks, bad };
}

/** Lex and assemble a file without conditional headers (or with all of them true). */
export function parseConfig(text: string, file: string, isTrue: (b: ParsedBlock) => boolean = () => true): Map<string, RawSection> {
  return assembleFile(lexConfig(text, file), file, isTrue);
}

/**
 * Folds the blocks of one file into sections, dropping blocks whose condition
 * is false, with zc.buildout's same-file repetition rules; then dedents
 * block-mode values.
 */
export function assembleFile(lexed: LexedFile, file: string, isTrue: (b: ParsedBlock) => boolean): Map<string, RawSection> {
  const bad = lexed.bad.filter((b) => !b.onlyIf || isTrue(b.onlyIf));
  if (bad.length) {
    // zc.buildout's lines, each followed by the section it sits in
    const entries = bad.map((b) => `\n\t[line ${String(b.line).padStart(2)}]: ${pyRepr(b.text)} in [${b.section}]`).join('');
    throw new BuildoutError('ParsingError', `File contains parsing errors: ${file}${entries}`, {
      loc: { file, line: bad[0]!.line },
      section: bad[0]!.section,
      hint: parsingHint(bad[0]!.text),
    });
  }
  const sections = new Map<string, RawSection>();
  for (const b of lexed.blocks) {
    if (b.condition !== undefined && !isTrue(b)) continue;
    let sec = sections.get(b.name);
    if (!sec) {
      sec = { opts: new Map(), loc: { file, line: b.line } };
      sections.set(b.name, sec);
    }
    for (const o of b.options) {
      const op = opOfKey(o.key);
      const prev = sec.opts.get(o.key);
      const loc = { file, line: o.line };
      const own = [o.value, ...o.cont].join('\n');
      let value: string;
      let history: HistoryEntry[];
      if (op !== '=' && prev) {
        // a repeated `x += v` with the same spelling accumulates: previous value
        // right-stripped, then the new first line (if any) and continuation lines
        value = pyRstrip(prev.value) + (o.value ? '\n' + o.value : '');
        if (o.cont.length) value += '\n' + o.cont.join('\n');
        history = [...prev.history, { op, value: own, loc }];
      } else {
        if (op === '=') {
          // `x = v` cancels pending `x +=`/`x -=`, but only the single-space spellings
          sec.opts.delete(o.key + ' +');
          sec.opts.delete(o.key + ' -');
        }
        value = own;
        history = [{ op, value: own, loc }];
      }
      sec.opts.set(o.key, { value, loc, history });
    }
  }
  for (const sec of sections.values()) {
    for (const [k, o] of sec.opts) {
      if (o.value && isPySpace(o.value[0]!)) {
        const value = dedentValue(o.value);
        const history = o.history.map((h) => (h.value && isPySpace(h.value[0]!) ? { ...h, value: dedentValue(h.value) } : h));
        sec.opts.set(k, { ...o, value, history });
      }
    }
  }
  return sections;
}

/** rstrip, textwrap.dedent, then drop leading blank lines (block-mode values). */
export function dedentValue(value: string): string {
  let text = pyRstrip(value);
  text = text.replace(/^[ \t]+$/gm, '');
  let margin: string | undefined;
  for (const m of text.matchAll(/^([ \t]*)[^ \t\n]/gm)) {
    const indent = m[1]!;
    if (margin === undefined) margin = indent;
    else if (indent.startsWith(margin)) continue;
    else if (margin.startsWith(indent)) margin = indent;
    else {
      let j = 0;
      while (j < margin.length && j < indent.length && margin[j] === indent[j]) j++;
      margin = margin.slice(0, j);
    }
  }
  if (margin) {
    const mg = margin;
    text = text
      .split('\n')
      .map((l) => (l.startsWith(mg) ? l.slice(mg.length) : l))
      .join('\n');
  }
  return text.replace(/^(\s*\n)+/, '');
}

// Python's str.isspace for one character (close enough: JS \s plus the separators Python adds)
export function isPySpace(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code === 32 || (code >= 9 && code <= 13)) return true; // the common ASCII cases, without a regex
  if (code < 28 || (code > 32 && code < 133)) return false;
  return /[\s\x1c-\x1f\x85]/.test(c);
}

export function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');
}

export function pyRstrip(s: string): string {
  return s.replace(/[\s\x1c-\x1f\x85]+$/, '');
}

/** Python's repr() of a str, for messages that quote input lines. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return q + out + q;
}

// --- internal ---

function parsingHint(line: string): string {
  if (/^\s/.test(line)) return 'An indented line continues the previous option; right after a section header there is none to continue.';
  if (/^[^=]*:/.test(line) && !line.includes('=')) return "Options are written `name = value`; ':' is not a separator in buildout files.";
  if (line.startsWith('[')) return 'A section header is `[name]` or `[name:condition]`; names cannot contain whitespace or any of # [ ] : ; { }.';
  return 'Each line must be a section header `[name]`, an option `name = value` (or `+=`/`-=`), an indented continuation, or a comment.';
}
