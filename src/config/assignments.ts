// Command-line assignments: zc.buildout sorts them as (section, option, value)
// tuples before merging, so for one option the greatest value wins.
import type { Assignment } from './types.js';
import { cmpStr } from './merge.js';

export function sortAssignments(list: readonly Assignment[]): Assignment[] {
  // the operator is part of the option as zc.buildout sees it (`x+`)
  const opt = (a: Assignment) => a.option + (a.op === '+=' ? '+' : a.op === '-=' ? '-' : '');
  return [...list].sort((a, b) => cmpStr(a.section, b.section) || cmpStr(opt(a), opt(b)) || cmpStr(a.value, b.value));
}
