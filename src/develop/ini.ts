// The INI dialect of Python's configparser (RawConfigParser with case-sensitive
// keys), in which mr.developer keeps `.mr.developer.cfg`: read several files into
// one ordered map, and write it back in exactly configparser's layout
// (`key = value`, continuation lines indented by a tab, a blank line after each
// section), so that the Python mr.developer and we read each other's file.

/** sections in order, each an ordered map of keys to (multi-line) values */
export type Ini = Map<string, Map<string, string>>;

/** Reads `text` into `into` (later files override earlier keys, as configparser.read does). */
export function parseIni(text: string, into: Ini = new Map()): Ini {
  let section: Map<string, string> | undefined;
  let key: string | undefined;
  let keyIndent = 0;
  let lines: string[] = [];
  const flush = () => {
    if (section && key !== undefined) {
      while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
      section.set(key, lines.join('\n'));
    }
    key = undefined;
    lines = [];
  };
  for (const raw of text.replace(/^\ufeff/, '').split(/\r?\n/)) {
    const indent = /^[ \t]*/.exec(raw)![0].length;
    const stripped = raw.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) continue;
    // a more indented line continues the current value (blank lines inside it are kept)
    if (key !== undefined && (stripped === '' || indent > keyIndent)) {
      lines.push(stripped);
      continue;
    }
    if (stripped === '') continue;
    flush();
    const header = /^\[([^\]]+)\]/.exec(stripped);
    if (header && indent === 0) {
      const name = header[1]!;
      section = into.get(name) ?? new Map<string, string>();
      into.set(name, section);
      continue;
    }
    const m = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (!section || !m) continue; // configparser would refuse the file; mr.developer never writes one
    key = m[1]!;
    keyIndent = indent;
    lines = [m[2]!];
  }
  flush();
  return into;
}

/** configparser.write's layout. */
export function formatIni(ini: Ini): string {
  let out = '';
  for (const [name, options] of ini) {
    out += `[${name}]\n`;
    for (const [key, value] of options) out += `${key} = ${value.replace(/\n/g, '\n\t')}\n`;
    out += '\n';
  }
  return out;
}

/** mr.developer's reading of one stored argument: the quotes dropped, an escaped quote unescaped. */
export function unquoteArg(arg: string): string {
  const a = arg.trim();
  if (a.length >= 2 && a.startsWith("'") && a.endsWith("'")) return a.slice(1, -1).replace(/\\'/g, "'");
  if (a.length >= 2 && a.startsWith('"') && a.endsWith('"')) return a.slice(1, -1).replace(/\\"/g, '"');
  return a;
}
