// Macros (`<= a b`, spec §5): a section inherits the merged raw options of its
// sources, then its own options are merged on top (so its `+=`/`-=` apply to the
// inherited values). Values stay raw: `${:x}` resolves against the inheriting section.
import { BuildoutError } from '../errors.js';
import type { Opt, RawConfig } from './model.js';
import { applyOps } from './merge.js';
import { suggestion } from './hints.js';

/** The expanded raw options of `name` (its own options when it uses no macro). */
export function expandMacros(name: string, opts: ReadonlyMap<string, Opt>, raw: RawConfig, doing: string[] = []): Map<string, Opt> {
  const spec = opts.get('<');
  if (name === 'buildout' || !spec) return new Map(opts);
  if (doing.includes(name)) {
    throw new BuildoutError('UserError', `Infinite extending loop '${name}'`, {
      loc: spec.loc,
      section: name,
      // shown as the user writes it (zc.buildout keeps it as the option `<`)
      option: '<=',
      hint: `The chain: ${[...doing, name].join(' <= ')}`,
    });
  }
  doing.push(name);
  try {
    const result = new Map<string, Opt>();
    for (const src of spec.value.split(/\s+/).filter(Boolean)) {
      const sec = raw.get(src);
      if (!sec) {
        throw new BuildoutError('MissingSection', `No section named '${src}'`, {
          loc: spec.loc,
          section: name,
          option: '<=',
          hint: suggestion('section', src, raw.keys()) ?? `<= copies the options of the sections it names into [${name}]: each must exist.`,
        });
      }
      // later sources win, option by option
      for (const [k, v] of expandMacros(src, sec.opts, raw, doing)) result.set(k, v);
    }
    const merged = applyOps(result, opts, false);
    merged.delete('<');
    return merged;
  } finally {
    doing.pop();
  }
}
