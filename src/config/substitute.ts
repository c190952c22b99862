// `${section:option}` substitution (spec §5): split on `$$` first so `$${a:b}`
// stays verbatim, then replace each reference with the referenced value.
import { BuildoutError } from '../errors.js';

const TEMPLATE_SPLIT = /(\$\{[^}]*\})/;
const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}$/;
const SIMPLE = /^[-a-zA-Z0-9 ._]+$/;

export interface SubstitutionHost {
  /** The substituted value of section:option, or undefined when the section lacks it. Throws MissingSection. `ref` is the reference as written. */
  get(section: string, option: string, seen: string[], ref: string): string | undefined;
  /** Throws MissingOption for a reference, with location and hint. */
  missingOption(section: string, option: string, seen: string[], ref: string): never;
  /** Error details for a malformed reference found while evaluating seen's last entry. */
  badReference(message: string, seen: string[], ref: string): never;
}

/** Substitutes every `${…}` in value, evaluated for `current` (the section that owns the value). */
export function substitute(value: string, current: string, seen: string[], host: SubstitutionHost): string {
  if (!value.includes('${')) return value;
  return value
    .split('$$')
    .map((piece) => substitutePiece(piece, current, seen, host))
    .join('$$');
}

/** Parses `${S:O}` into [section, option] or explains what is wrong with it (zc.buildout's messages). */
export function parseReference(ref: string): [string, string] | string {
  const parts = ref.slice(2, -1).split(':');
  if (!VALID.test(ref)) {
    if (parts.length < 2) return `The substitution, ${ref},\ndoesn't contain a colon.`;
    if (parts.length > 2) return `The substitution, ${ref},\nhas too many colons.`;
    if (!SIMPLE.test(parts[0]!)) return `The section name in substitution, ${ref},\nhas invalid characters.`;
    if (!SIMPLE.test(parts[1]!)) return `The option name in substitution, ${ref},\nhas invalid characters.`;
  }
  return [parts[0]!, parts[1]!];
}

function substitutePiece(template: string, current: string, seen: string[], host: SubstitutionHost): string {
  if (!template.includes('${')) return template;
  const parts = template.split(TEMPLATE_SPLIT);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const parsed = parseReference(parts[i]!);
    const ref = parts[i]!;
    if (typeof parsed === 'string') host.badReference(parsed, seen, ref);
    const section = parsed[0] || current;
    const option = parsed[1];
    let v = host.get(section, option, seen, ref);
    if (v === undefined) {
      // `${S:_buildout_section_name_}` names the section being resolved, not S
      if (option === '_buildout_section_name_') v = current;
      else host.missingOption(section, option, seen, ref);
    }
    out += v + parts[i + 1]!;
  }
  return out;
}

/** The message for a substitution cycle: zc.buildout's sentence, then the chain. */
export function circularReference(seen: readonly string[], key: string, loc: { file: string; line?: number } | undefined): BuildoutError {
  const from = seen.indexOf(key);
  const chain = [...seen.slice(from < 0 ? 0 : from), key].map((k) => '${' + k + '}');
  return new BuildoutError('CircularReference', `Circular reference in substitutions.\nThe cycle: ${chain.join(' -> ')}`, {
    loc,
    section: key.slice(0, key.indexOf(':')),
    option: key.slice(key.indexOf(':') + 1),
    hint: 'One of these options must get its value without referring back to the others.',
  });
}
