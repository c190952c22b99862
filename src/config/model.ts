// Internal data model of the engine: raw (unsubstituted) options with provenance.
// Option keys keep zc.buildout's spelling: `x` for `x = v`, `x +`/`x+` for a
// pending `x += v` (only macro users keep pending keys after merging).
import type { Loc } from '../errors.js';
import type { HistoryEntry, Op } from './types.js';

/** One raw option value. Immutable: merging makes new ones. */
export interface Opt {
  value: string;
  /** where it was last set */
  loc: Loc;
  history: HistoryEntry[];
}

export interface RawSection {
  opts: Map<string, Opt>;
  /** where the section was first defined */
  loc: Loc;
}

/** section name → section, in first-definition order */
export type RawConfig = Map<string, RawSection>;

export interface ParsedOption {
  /** the name as spelt before `=`, right-stripped (`x`, `x +`, `x+`) */
  key: string;
  /** the first-line value, stripped */
  value: string;
  /** continuation lines (stripped, or right-stripped in block mode) */
  cont: string[];
  line: number;
}

export interface ParsedBlock {
  name: string;
  /** the expression of `[name:EXPR]`, with \x23 and \x3b replaced */
  condition?: string;
  line: number;
  options: ParsedOption[];
}

/** `x +` → `+=`, `x-` → `-=`, otherwise `=`. */
export function opOfKey(key: string): Op {
  if (key.endsWith('+')) return '+=';
  if (key.endsWith('-')) return '-=';
  return '=';
}

/** The option name of a key: trailing spaces and +/- removed. */
export function nameOfKey(key: string): string {
  if (key.endsWith('+')) return key.replace(/[ +]+$/, '');
  if (key.endsWith('-')) return key.replace(/[ -]+$/, '');
  return key;
}

export function cloneSection(s: RawSection): RawSection {
  return { opts: new Map(s.opts), loc: s.loc };
}
