// The text format of `.installed.cfg`, byte-compatible with zc.buildout's
// `_save_options` / `_read_installed_part_options`, so that a buildout
// directory can be taken over from zc.buildout (and handed back).
//
// Writing: `[buildout]` first, then one section per installed part (blank line
// before each), options sorted, `name = value` lines. Whitespace that the
// buildout parser would strip (leading/trailing blanks, line ends) is quoted as
// `%(__buildout_space__)s` and friends; each newline becomes `\n\t`.
// Reading: the buildout config syntax (continuation lines, comments, repeated
// sections merging — zc.buildout appends `[buildout]` sections to update `parts`),
// then the quotes are replaced back.
import { BuildoutError } from '../errors.js';

/** Sections of an installed file, in file order; repeated sections are merged (later wins). */
export type InstalledSections = Map<string, Record<string, string>>;

const SPACE_QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['%(__buildout_space__)s', ' '],
  ['%(__buildout_space_n__)s', '\n'],
  ['%(__buildout_space_r__)s', '\r'],
  ['%(__buildout_space_f__)s', '\f'],
  ['%(__buildout_space_v__)s', '\v'],
];

// A line end with the blanks around it, or blanks at the very start or end of the value.
// Same alternatives as zc.buildout's `_spacey_nl` (tabs are not quoted there either).
const SPACEY_NL = /[ \t\r\f\v]*\n[ \t\r\f\v\n]*|^[ \t\r\f\v]+|[ \t\r\f\v]+$/g;

/**
 * Quotes one value the way zc.buildout's `_save_option` does, with one deliberate
 * difference: a lone `\r` inside a line is quoted too. zc.buildout leaves it, and
 * then cannot read its own file back (Python's universal newlines end the line there).
 */
export function quoteValue(value: string): string {
  let v = value.replace(SPACEY_NL, quoteSpaceyRun).replaceAll('\r', '%(__buildout_space_r__)s');
  if (v.startsWith('\n\t')) v = '%(__buildout_space_n__)s' + v.slice(2);
  if (v.endsWith('\n\t')) v = v.slice(0, -2) + '%(__buildout_space_n__)s';
  return v;
}

/** Replaces the `%(__buildout_space…__)s` quotes by the characters they stand for. */
export function unquoteValue(value: string): string {
  if (!value.includes('%(')) return value;
  let v = value;
  for (const [quote, ch] of SPACE_QUOTES) v = v.split(quote).join(ch);
  return v;
}

/** One `[section]` block: header, then `name = value` lines sorted by name. */
export function formatSection(name: string, options: Readonly<Record<string, string>>): string {
  const keys = Object.keys(options).sort(compareCodePoints);
  let out = `[${name}]\n`;
  for (const k of keys) out += `${k} = ${quoteValue(options[k]!)}\n`;
  return out;
}

/** The whole file: `[buildout]`, then each part of `order` separated by a blank line. */
export function formatInstalled(buildout: Readonly<Record<string, string>>, parts: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]>): string {
  let out = formatSection('buildout', buildout);
  for (const [name, options] of parts) out += '\n' + formatSection(name, options);
  return out;
}

/**
 * Parses an installed file (buildout syntax, no conditional sections) and unquotes values.
 * Throws BuildoutError `ParsingError` listing the bad lines.
 */
export function parseInstalled(text: string, file: string): InstalledSections {
  const sections: InstalledSections = new Map();
  const bad: string[] = [];
  let current: Record<string, string> | undefined;
  let option: string | undefined;
  let lines: string[] = [];
  let block = false;

  const finish = () => {
    if (current && option !== undefined) current[option] = assembleValue(lines, block);
    option = undefined;
  };

  // Python reads text files with universal newlines: \r\n, \r and \n all end a line.
  const rawLines = text.split(/\r\n|\r|\n/);
  if (rawLines.length && rawLines[rawLines.length - 1] === '') rawLines.pop();
  rawLines.forEach((line, i) => {
    const first = line[0];
    if (first === '#' || first === ';') return;
    if (line.trim() === '' || first === ' ' || first === '\t') {
      if (option !== undefined) lines.push(line);
      else if (line.trim() !== '') bad.push(`[line ${i + 1}]: ${JSON.stringify(line)}`);
      return;
    }
    const header = /^\[\s*([^\s#[\]:;{}]+)\s*\]\s*([#;].*)?$/.exec(line);
    if (header) {
      finish();
      const name = header[1]!;
      // null prototype: an option named `__proto__` must stay an option
      current = sections.get(name) ?? (Object.create(null) as Record<string, string>);
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!name || /[\s{}[\]:]/.test(name) || !current) {
      bad.push(`[line ${i + 1}]: ${JSON.stringify(line)}`);
      return;
    }
    finish();
    option = name;
    const first1 = line.slice(eq + 1).trim();
    block = first1 === '';
    lines = [first1];
  });
  finish();
  if (bad.length) {
    throw new BuildoutError('ParsingError', `File contains parsing errors: ${file}\n\t${bad.join('\n\t')}`, {
      loc: { file },
      hint: `${file} is buildout-ts' record of what is installed; remove it to reinstall every part.`,
    });
  }
  for (const options of sections.values()) for (const k of Object.keys(options)) options[k] = unquoteValue(options[k]!);
  return sections;
}

// --- internal ---

// zc.buildout's `_quote_spacey_nl`: the run is split at its first newline, each piece quoted, joined by `\n\t`.
function quoteSpaceyRun(run: string): string {
  const nl = run.indexOf('\n');
  const pieces = nl < 0 ? [run] : [run.slice(0, nl), run.slice(nl + 1)];
  return pieces
    .map((s) =>
      s
        .replaceAll(' ', '%(__buildout_space__)s')
        .replaceAll('\r', '%(__buildout_space_r__)s')
        .replaceAll('\f', '%(__buildout_space_f__)s')
        .replaceAll('\v', '%(__buildout_space_v__)s')
        .replaceAll('\n', '%(__buildout_space_n__)s'),
    )
    .join('\n\t');
}

// Buildout value assembly: normal mode strips each continuation line and drops
// blank ones; block mode (nothing after `=`) keeps them, then dedents.
function assembleValue(lines: string[], block: boolean): string {
  if (!block) return lines.map((l) => l.trim()).filter((l) => l !== '').join('\n');
  const body = lines.slice(1).map((l) => l.trimEnd());
  while (body.length && body[0] === '') body.shift();
  while (body.length && body[body.length - 1] === '') body.pop();
  const indents = body.filter((l) => l !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return body.map((l) => l.slice(cut)).join('\n');
}

// Python sorts str by code point; JS `<` compares UTF-16 units, which agrees outside astral planes.
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
