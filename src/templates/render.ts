// One Handlebars instance for all of buildout-ts's own templates (*.hbs next
// to this file in src/templates/; dist/ code finds them there too). Compiled
// with noEscape (these are config files, not HTML) and strict (a missing
// field throws instead of rendering as empty). Handlebars is imported lazily:
// the resolve path must not pay for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HelperDelegate, TemplateDelegate } from 'handlebars';
import { packageRoot } from '../package-root.js';

type HandlebarsInstance = typeof import('handlebars');

let instance: HandlebarsInstance | undefined;
const compiled = new Map<string, TemplateDelegate>();

/** The directory holding the .hbs files (src/templates, also when running from dist/). */
export function templatesDirectory(): string {
  return join(packageRoot(), 'src', 'templates');
}

/** Renders `<name>.hbs` with `view`. */
export async function renderTemplate(name: string, view: object): Promise<string> {
  const hb = await handlebars();
  let tpl = compiled.get(name);
  if (!tpl) {
    const file = join(templatesDirectory(), `${name}.hbs`);
    tpl = hb.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, tpl);
  }
  return tpl(view);
}

/** Renders an inline template string (tests, small snippets). */
export async function renderString(source: string, view: object): Promise<string> {
  const hb = await handlebars();
  return hb.compile(source, { noEscape: true, strict: true })(view);
}

async function handlebars(): Promise<HandlebarsInstance> {
  if (!instance) {
    const mod = (await import('handlebars')) as unknown as { default?: HandlebarsInstance } & HandlebarsInstance;
    instance = (mod.default ?? mod).create() as HandlebarsInstance;
    for (const [name, fn] of Object.entries(HELPERS)) instance.registerHelper(name, fn);
  }
  return instance;
}

const HELPERS: Record<string, HelperDelegate> = {
  /** `{{#each (lines x)}}` over newline-separated text */
  lines: (text: unknown) => (typeof text === 'string' && text ? text.split('\n') : []),
};
