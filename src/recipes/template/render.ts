// Rendering a collective.recipe.template source: `${option}` means an option of
// the part itself, `${section:option}` any buildout option, and `$${` a literal `${`.
//
// The Python recipe hands the whole text to zc.buildout's substitution, which
// does not treat `$$` specially there, so `$${a:b}` would come out as `$` plus
// the value of a:b. That is a trap, not a feature anyone relies on: here `$${`
// is the escape it looks like (and what older buildouts did), and any other `$$`
// (e.g. a shell's `$$`) is left alone.
import { BuildoutError } from '../../errors.js';
import { parseReference } from '../../config/substitute.js';
import type { BuildoutView } from '../types.js';

const OWN_OPTION = /\$\{([^:]+?)\}/g;
const REFERENCE = /\$\{[^}]*\}/g;

export interface RenderInput {
  text: string;
  part: string;
  /** the part's own options (computed ones included) */
  own: Readonly<Record<string, string>>;
  buildout: BuildoutView;
  /** for messages: the input file, or `inline` */
  source: string;
}

export function renderTemplate(input: RenderInput): string {
  return input.text
    .split('$${')
    .map((piece) => substitutePiece(piece, input))
    .join('${');
}

// --- internal ---

function substitutePiece(piece: string, input: RenderInput): string {
  if (!piece.includes('${')) return piece;
  return piece
    .replace(OWN_OPTION, (_m, name: string) => '${' + input.part + ':' + name + '}')
    .replace(REFERENCE, (ref) => {
      const parsed = parseReference(ref);
      if (typeof parsed === 'string') throw templateError(`${parsed}`, input);
      const section = parsed[0] || input.part;
      const option = parsed[1];
      const values = section === input.part ? input.own : lookupSection(section, input);
      const v = values[option];
      if (v !== undefined) return v;
      if (option === '_buildout_section_name_') return input.part;
      throw templateError(`Referenced option does not exist: ${section} ${option}`, input);
    });
}

function lookupSection(section: string, input: RenderInput): Readonly<Record<string, string>> {
  if (!input.buildout.hasSection(section)) throw templateError(`The referenced section, '${section}', was not defined.`, input);
  return input.buildout.section(section);
}

function templateError(message: string, input: RenderInput): BuildoutError {
  return new BuildoutError('TemplateError', `${message}\n  in the template ${input.source}`, { section: input.part, option: input.source === 'inline' ? 'inline' : 'input' });
}
