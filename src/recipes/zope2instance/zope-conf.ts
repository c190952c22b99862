// View model → etc/zope.conf text: the WSGI template of the recipe, then every
// empty or whitespace-only line removed and no trailing newline (as the
// recipe writes it).
import { renderTemplate } from '../../templates/render.js';
import type { ZopeConfView } from './context.js';
import { pySplitlines } from './paths.js';

export async function renderZopeConf(view: ZopeConfView): Promise<string> {
  return dropEmptyLines(await renderTemplate('zope-conf', view));
}

/** `"\n".join(l for l in text.splitlines() if l.rstrip())` */
export function dropEmptyLines(text: string): string {
  return pySplitlines(text)
    .filter((l) => l.replace(/[\s\x1c-\x1f\x85]+$/, '') !== '')
    .join('\n');
}
