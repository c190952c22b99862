// What every working-copy kind shares: whether a checkout is to be updated
// (mr.developer's should_update) and small file helpers.
import { lstatSync, readFileSync } from 'node:fs';
import { BuildoutError } from '../../errors.js';
import { parseFlag } from '../settings.js';
import type { ActionOptions, Source } from '../types.js';

/** Never offline; the source's own `update=` wins over always-checkout. */
export function shouldUpdate(source: Source, opts: ActionOptions): boolean {
  if (opts.offline) return false;
  const own = source.options.update;
  if (own === undefined) return opts.update;
  const flag = parseFlag(own);
  if (flag === undefined) throw new BuildoutError('InvalidOption', `Unknown value for 'update': ${own}`, { option: source.name, hint: 'Use update=true or update=false.' });
  return flag;
}

/** A symbolic link: mr.developer leaves such a checkout to the developer. */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
