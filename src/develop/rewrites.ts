// mr.developer's URL rewrites (`[rewrites]` in ~/.buildout/mr.developer.cfg or
// .mr.developer-options.cfg, and the legacy `[mr.developer] rewrites` lines):
// `option = exact`, `option ~= regex` limit a rule; `option ~ regex` followed by a
// substitute line rewrites the option when every condition of the rule holds.
import { BuildoutError } from '../errors.js';

type Operation = { op: '='; value: string } | { op: '~='; re: RegExp } | { op: '~'; re: RegExp; substitute: string };

export interface Rewrite {
  /** the operations on each source field (`url`, `kind`, …) */
  readonly rules: ReadonlyMap<string, Operation[]>;
}

/** Parses one rewrite program; `where` names its file for errors. */
export function parseRewrite(program: string, where: string): Rewrite {
  const rules = new Map<string, Operation[]>();
  const lines = program.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\w+) ([~=]{1,2}) (.+)$/.exec(lines[i]!);
    if (!m) throw bad(`Invalid rewrite line '${lines[i]}'`, program, where);
    const [, option, op, value] = m as unknown as [string, string, string, string];
    if (option === 'name' || option === 'path') throw bad(`Option '${option}' not allowed in rewrite`, program, where);
    const ops = rules.get(option) ?? [];
    rules.set(option, ops);
    if (op === '~') {
      const substitute = lines[++i];
      if (substitute === undefined) throw bad(`Missing substitution for option '${option}' in rewrite`, program, where);
      ops.push({ op, re: pyRegex(value, program, where), substitute: pySubstitute(substitute) });
    } else if (op === '=') ops.push({ op, value });
    else if (op === '~=') ops.push({ op, re: pyRegex(value, program, where) });
    else throw bad(`Invalid operator '${op}' in rewrite`, program, where);
  }
  return { rules };
}

/** The legacy form: `prefix substitution` (a rewrite of the url's start). */
export function legacyRewrite(prefix: string, substitution: string, where: string): Rewrite {
  return parseRewrite(`url ~ ^${prefix}\n${substitution}`, where);
}

/** Applies a rewrite to a source's fields (in place) when all its conditions hold. */
export function applyRewrite(rewrite: Rewrite, fields: Record<string, string>): void {
  for (const [option, ops] of rewrite.rules) {
    for (const o of ops) {
      const value = fields[option] ?? '';
      if (o.op === '=' ? o.value !== value : !o.re.test(value)) return;
    }
  }
  for (const [option, ops] of rewrite.rules) {
    // re.sub replaces every match
    for (const o of ops) if (o.op === '~') fields[option] = (fields[option] ?? '').replace(new RegExp(o.re.source, 'g'), o.substitute);
  }
}

// --- internal ---

// Python's re and JavaScript's RegExp agree on the patterns rewrites use; `(?P<n>` is Python only.
function pyRegex(pattern: string, program: string, where: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
  } catch (e) {
    throw bad(`Invalid regular expression '${pattern}' (${(e as Error).message})`, program, where);
  }
}

// re.sub's `\1` and `\g<name>` become `$1` and `$<name>`; a literal `$` stays literal.
function pySubstitute(s: string): string {
  return s
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d)/g, '$$$1');
}

function bad(message: string, program: string, where: string): BuildoutError {
  return new BuildoutError('UserError', `${message}:\n${program}`, { loc: { file: where }, hint: 'See mr.developer\'s documentation of [rewrites].' });
}
