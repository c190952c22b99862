// Which installer runs: uv (on PATH, cached, or fetched), pip when uv cannot be had,
// when BUILDOUT_TS_INSTALLER=pip forces it, or with include-site-packages (uv does
// not count the base interpreter's packages as installed).
import type { Logger } from '../log.js';
import type { Installer } from './installer.js';
import type { Settings } from './settings.js';
import type { PythonFacts } from './types.js';

export async function chooseInstaller(settings: Settings, log: Logger, facts?: PythonFacts): Promise<Installer> {
  const { pipInstaller } = await import('./pip.js');
  if (settings.installer === 'pip') {
    log.debug('Installer: pip (BUILDOUT_TS_INSTALLER=pip)');
    return pipInstaller(facts);
  }
  if (settings.includeSitePackages) {
    log.debug("Installer: pip (include-site-packages = true: uv does not use the base interpreter's packages)");
    return pipInstaller(facts);
  }
  const { findUv } = await import('./uv-program.js');
  const { toolCacheDir } = await import('./cache.js');
  const found = await findUv({
    toolCache: toolCacheDir(),
    python: settings.executable.path,
    offline: settings.offline,
    ...(settings.index ? { index: settings.index } : {}),
    findLinks: settings.findLinks.filter((f) => !/^[a-z+]+:\/\//i.test(f)),
    ...(settings.timeout !== undefined ? { timeoutSec: settings.timeout } : {}),
  });
  if ('reason' in found) {
    const pip = pipInstaller(facts);
    log.debug(`Installer: ${pip.description}; uv could not be had: ${found.reason}`);
    return pip;
  }
  const { uvInstaller } = await import('./uv.js');
  const uv = uvInstaller(found);
  log.debug(`Installer: ${uv.description}`);
  return uv;
}
