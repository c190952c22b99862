// The configuration files of the scale-out recipes, as they write them: buildout-ts:haproxy's
// haproxy.cfg and buildout-ts:site's systemd units (its control script is left out, as the
// other recipes' scripts are).
import { renderHaproxyConfig } from '../../recipes/haproxy/config.js';
import type { HaproxyOptions } from '../../recipes/haproxy/schema.js';
import { siteUnits } from '../../recipes/site/index.js';
import type { SiteOptions } from '../../recipes/site/schema.js';
import type { PreviewFile, PreviewInput } from './types.js';

export async function previewHaproxy(p: PreviewInput): Promise<PreviewFile[]> {
  const o = p.options as HaproxyOptions;
  return [{ path: o.config, content: Buffer.from(renderHaproxyConfig({ part: p.part, directory: p.buildout.options.directory!, options: o }).text, 'utf8') }];
}

export async function previewSite(p: PreviewInput): Promise<PreviewFile[]> {
  return siteUnits(p.part, p.options as SiteOptions, p.buildout.options.directory!).map((u) => ({ path: u.path, content: Buffer.from(u.text, 'utf8') }));
}
