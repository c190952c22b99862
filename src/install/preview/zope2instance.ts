// plone.recipe.zope2instance's generated files, as src/recipes/zope2instance/index.ts
// writes them (install-preview tests compare the two after a real install).
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import { buildInstanceView } from '../../recipes/zope2instance/context.js';
import { eggsOf } from '../../recipes/zope2instance/index.js';
import { declaresInstances, instanceMembers } from '../../recipes/zope2instance/members.js';
import type { InstanceOptions } from '../../recipes/zope2instance/schema.js';
import { renderWsgiIni, type TemplateFile } from '../../recipes/zope2instance/wsgi-ini.js';
import { buildWsgiVars } from '../../recipes/zope2instance/wsgi-vars.js';
import { planZcml, SITE_ZCML } from '../../recipes/zope2instance/zcml.js';
import { renderZopeConf } from '../../recipes/zope2instance/zope-conf.js';
import type { PreviewFile, PreviewInput } from './types.js';

export async function previewInstance(p: PreviewInput): Promise<PreviewFile[]> {
  const o = { ...p.raw, ...(p.options as InstanceOptions) } as InstanceOptions;
  if (!declaresInstances(o)) return previewOne(p, o);
  // `instances = N`: each instance's files, as index.ts writes them (members.ts)
  const files: PreviewFile[] = [];
  for (const m of instanceMembers(p.part, o, p.buildout.options)) files.push(...(await previewOne({ ...p, part: m.name }, m.options)));
  return files;
}

async function previewOne(p: PreviewInput, o: InstanceOptions): Promise<PreviewFile[]> {
  const bd = p.buildout.options;
  const directory = bd.directory!;
  const view = buildInstanceView({
    part: p.part,
    options: o,
    buildoutDirectory: directory,
    binDirectory: bd['bin-directory']!,
    partsDirectory: bd['parts-directory']!,
    hasCMFPlone: await p.env.hasCMFPlone(eggsOf(p.part, o)),
    ...(await tempstorage(p)),
  });
  const etc = join(view.location, 'etc');
  const files: PreviewFile[] = [];
  const text = (path: string, content: string) => files.push({ path, content: Buffer.from(content, 'utf8') });
  if (view.zopeConf) text(join(etc, 'zope.conf'), await renderZopeConf(view.zopeConf));
  const { vars, pipeline } = buildWsgiVars({ part: p.part, options: o, location: view.location, varDir: view.varDir });
  const wsgi = await renderWsgiIni({
    part: p.part,
    options: o,
    vars,
    pipeline,
    template: readTemplate(p.part, 'wsgi-ini-template', o['wsgi-ini-template'], directory),
    loggingTemplate: readTemplate(p.part, 'wsgi-logging-ini-template', o['wsgi-logging-ini-template'], directory),
    platform: p.env.platform,
  });
  text(join(etc, 'wsgi.ini'), wsgi.text);
  const zcml = planZcml(p.part, o);
  text(join(etc, 'site.zcml'), zcml.siteZcml ?? SITE_ZCML);
  if (zcml.siteZcml === undefined) for (const f of zcml.files) text(join(etc, 'package-includes', f.name), f.content);
  return files;
}

// --- internal ---

async function tempstorage(p: PreviewInput): Promise<{ hasTempstorage?: boolean }> {
  const has = await p.env.hasTempstorage();
  return has === undefined ? {} : { hasTempstorage: has };
}

function readTemplate(part: string, option: string, path: string | undefined, directory: string): TemplateFile | undefined {
  if (!path) return undefined;
  const file = isAbsolute(path) ? path : join(directory, path);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BuildoutError('UserError', missing ? `the ${option} ${file} does not exist` : `cannot read the ${option} ${file}: ${(e as Error).message}`, { section: part, option, cause: e });
  }
}
