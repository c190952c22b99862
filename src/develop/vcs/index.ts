// The working copy of a source, by kind. mr.developer also knows bzr, darcs, cvs
// and gitsvn; buildout-ts says so clearly when a source of those kinds is needed.
import { BuildoutError } from '../../errors.js';
import type { Source, WorkingCopy } from '../types.js';
import { fsWorkingCopy } from './fs.js';
import { gitWorkingCopy } from './git.js';
import { hgWorkingCopy } from './hg.js';
import { svnWorkingCopy } from './svn.js';

const KINDS: Record<string, (s: Source) => WorkingCopy> = { git: gitWorkingCopy, fs: fsWorkingCopy, hg: hgWorkingCopy, svn: svnWorkingCopy };

export function workingCopy(source: Source): WorkingCopy {
  const make = Object.hasOwn(KINDS, source.kind) ? KINDS[source.kind] : undefined;
  if (!make) {
    throw new BuildoutError('CheckoutError', `The source '${source.name}' is a ${source.kind} repository, which buildout-ts does not support (git, hg, svn and fs are).`, {
      option: source.name,
      hint: 'Check it out by hand into its path and declare it as `fs`, or convert the repository to git.',
    });
  }
  return make(source);
}
