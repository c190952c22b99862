// View model → etc/zope.conf text: the WSGI template of the recipe, then every
// empty or whitespace-only line removed and no trailing newline (as the
// recipe writes it). `renderZopeConfSources` also says which view field wrote
// each line, so that a line Zope rejects can be traced back to its option.
import { renderTemplate } from '../../templates/render.js';
import type { ZopeConfView } from './context.js';
import { pySplitlines } from './paths.js';

export async function renderZopeConf(view: ZopeConfView): Promise<string> {
  return dropEmptyLines(await renderTemplate('zope-conf', view));
}

/** `"\n".join(l for l in text.splitlines() if l.rstrip())` */
export function dropEmptyLines(text: string): string {
  return pySplitlines(text)
    .filter((l) => !isBlank(l))
    .join('\n');
}

/** For each line of the rendered zope.conf (index 0 = line 1): the view field that wrote it, or undefined for the template's own lines. */
export async function renderZopeConfSources(view: ZopeConfView): Promise<Array<keyof ZopeConfView | undefined>> {
  const fields = Object.keys(view) as Array<keyof ZopeConfView>;
  // every non-blank line of a field's value carries an invisible tag naming the field
  const tagged = Object.fromEntries(fields.map((f, i) => [f, tagLines(view[f], i)])) as unknown as ZopeConfView;
  return dropEmptyLines(await renderTemplate('zope-conf', tagged))
    .split('\n')
    .map((line) => {
      const m = /\u0001(\d+)\u0002/.exec(line);
      return m ? fields[Number(m[1])] : undefined;
    });
}

function tagLines(value: string, index: number): string {
  const tag = `\u0001${index}\u0002`;
  return value
    .split('\n')
    .map((l) => (isBlank(l) ? l : tag + l))
    .join('\n');
}

function isBlank(line: string): boolean {
  return line.replace(/[\s\x1c-\x1f\x85]+$/, '') === '';
}
