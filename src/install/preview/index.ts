// The previewers of the built-in recipes whose configuration files can be computed
// without writing: zope2instance (zope.conf, wsgi.ini, site.zcml, package-includes),
// zeoserver (zeo.conf), collective.recipe.template (its output), buildout-ts:haproxy
// (haproxy.cfg), buildout-ts:site (systemd units). Others: undefined.
import type { Previewer } from './types.js';

const PREVIEWERS: Record<string, () => Promise<Previewer>> = {
  'plone.recipe.zope2instance': async () => (await import('./zope2instance.js')).previewInstance,
  'plone.recipe.zeoserver': async () => (await import('./zeoserver.js')).previewZeo,
  'collective.recipe.template': async () => (await import('./template.js')).previewTemplate,
  'buildout-ts:haproxy': async () => (await import('./scale-out.js')).previewHaproxy,
  'buildout-ts:site': async () => (await import('./scale-out.js')).previewSite,
};

export async function previewerFor(recipe: string): Promise<Previewer | undefined> {
  const load = Object.hasOwn(PREVIEWERS, recipe) ? PREVIEWERS[recipe] : undefined;
  return load ? load() : undefined;
}
