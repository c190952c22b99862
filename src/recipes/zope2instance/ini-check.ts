// Reads a rendered wsgi.ini the way Python's configparser.ConfigParser (strict
// mode, its defaults: `=`/`:` delimiters, full-line `#`/`;` comments, empty
// lines allowed inside values) reads it. The recipe parses the rendered text
// purely as a sanity check; we do the same and also return the sections, so
// the recipe can look at `[server:main]`.

export interface IniProblem {
  line: number;
  message: string;
}

export type IniSections = Map<string, Map<string, string>>;

export class IniParseError extends Error {
  constructor(readonly problems: IniProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.message}`).join('\n'));
  }
}

const SECTION = /^\[(.+)\]/s;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/s;

/** Parses like configparser in strict mode; throws IniParseError listing every problem. */
export function parseIniStrict(text: string): IniSections {
  const sections: IniSections = new Map();
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  const problems: IniProblem[] = [];
  let current: Map<string, string> | undefined;
  let sectionName = '';
  let option: string | undefined;
  let indentLevel = 0;
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, idx) => {
    const lineno = idx + 1;
    const stripped = raw.trim();
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = isComment ? '' : stripped;
    if (!value) {
      // configparser keeps empty lines inside a value (not comment lines)
      if (!isComment && current && option !== undefined) current.set(option, current.get(option)! + '\n');
      return;
    }
    const curIndent = raw.length - raw.trimStart().length;
    if (current && option !== undefined && curIndent > indentLevel) {
      current.set(option, current.get(option)! + '\n' + value);
      return;
    }
    indentLevel = curIndent;
    const sect = SECTION.exec(value);
    if (sect) {
      sectionName = sect[1]!;
      if (sectionName !== 'DEFAULT' && seenSections.has(sectionName)) problems.push({ line: lineno, message: `section [${sectionName}] already exists (duplicate section)` });
      seenSections.add(sectionName);
      current = sections.get(sectionName) ?? new Map();
      sections.set(sectionName, current);
      option = undefined;
      return;
    }
    if (!current) {
      problems.push({ line: lineno, message: `text before the first [section] header: ${JSON.stringify(raw)}` });
      // configparser stops at this error
      throw new IniParseError(problems);
    }
    const opt = OPTION.exec(value);
    if (!opt || !opt[1]) {
      problems.push({ line: lineno, message: `not a "key = value" line: ${JSON.stringify(raw)}` });
      option = undefined;
      return;
    }
    option = opt[1].trimEnd().toLowerCase();
    const id = `${sectionName}\u0000${option}`;
    if (seenOptions.has(id)) problems.push({ line: lineno, message: `option "${option}" in section [${sectionName}] already exists (duplicate key)` });
    seenOptions.add(id);
    current.set(option, opt[3]!.trim());
  });
  if (problems.length) throw new IniParseError(problems);
  // configparser strips trailing empty lines of multi-line values
  for (const sect of sections.values()) for (const [k, v] of sect) sect.set(k, v.replace(/\n+$/, ''));
  return sections;
}
