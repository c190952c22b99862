// `fs` sources: a package already on disk (no version control). Its URL is the
// directory's name; nothing is ever cloned or updated, and it is always clean.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Source, WorkingCopy } from '../types.js';
import { checkoutError } from './tool.js';

export function fsWorkingCopy(source: Source): WorkingCopy {
  const differs = () => checkoutError(`Directory name for existing package '${source.name}' differs. Expected '${source.url}'.`, `The directory is ${source.path}: the URL of an fs source is the name of its directory.`);
  const wc: WorkingCopy = {
    source,
    async checkout(_opts, log) {
      if (!existsSync(source.path)) {
        throw checkoutError(
          `Directory '${source.path}' for package '${source.name}' doesn't exist.`,
          "Check whether you need to add or change a 'sources-dir' option in your [buildout] section or a 'path' option in [sources].",
        );
      }
      if (!(await wc.matches())) throw differs();
      log.info(`Filesystem package '${source.name}' doesn't need a checkout.`);
      return '';
    },
    async update(_opts, log) {
      if (!(await wc.matches())) throw differs();
      log.info(`Filesystem package '${source.name}' doesn't need update.`);
      return '';
    },
    async status() {
      return { status: 'clean', output: '' };
    },
    async matches() {
      return basename(source.path) === source.url;
    },
  };
  return wc;
}
