// The shapes mr.developer's logic works on: a source (one line of `[sources]`),
// its working copy (one kind of version control), and the settings read from
// `[buildout]`. Shared by the extension (src/extensions/mr-developer) and the
// `develop` command (src/cli/commands/develop.ts).
import type { Logger } from '../log.js';

/** One package of the `[sources]` section, as mr.developer reads it. */
export interface Source {
  name: string;
  /** git, fs, hg, svn, … */
  kind: string;
  url: string;
  /** the absolute checkout directory */
  path: string;
  /** the `key=value` words of the line (`branch`, `rev`, `pushurl`, `depth`, `update`, `submodules`, …), after rewrites */
  options: Record<string, string>;
  /** false with `egg=false`: checked out, never a develop egg */
  egg: boolean;
}

/** `clean`, `ahead` (committed, not pushed) or `dirty` (changes or untracked files). */
export type WorkingCopyStatus = 'clean' | 'ahead' | 'dirty';

/** What a checkout or an update may do, from `[buildout]` and the command line. */
export interface ActionOptions {
  /** update existing checkouts (always-checkout, `update=true`) */
  update: boolean;
  /** update even a dirty working copy (always-checkout = force, `develop update -f`) */
  force: boolean;
  /** git submodules: always, checkout or never */
  submodules: 'always' | 'checkout' | 'never';
  offline: boolean;
  verbose: boolean;
  /** svn: accept an invalid server certificate */
  acceptCertificate: boolean;
}

/** One version-control kind. Each method logs what mr.developer logs for it. */
export interface WorkingCopy {
  readonly source: Source;
  /**
   * mr.developer's checkout: clones a missing directory; for an existing one, updates it
   * when `opts.update` (or the source's `update`) asks, else keeps it (saying whether it
   * matches the URL). Returns the tool's output, shown with -v.
   */
  checkout(opts: ActionOptions, log: Logger): Promise<string>;
  /** Brings an existing checkout up to date; refuses a dirty one unless `opts.force`. */
  update(opts: ActionOptions, log: Logger): Promise<string>;
  status(): Promise<{ status: WorkingCopyStatus; output: string }>;
  /** true when the existing checkout is of `source.url` (git, hg and fs read the checkout's files: no process) */
  matches(): Promise<boolean>;
}

/** mr.developer's `[buildout]` options, read and checked once. */
export interface DevelopSettings {
  directory: string;
  /** absolute `sources-dir` (default `src`) */
  sourcesDir: string;
  /** the name of the sources section (`sources`, default `sources`) */
  sourcesSection: string;
  /** `auto-checkout` words (`*` kept as written) */
  autoCheckout: string[];
  /** `always-checkout`: false, true or force */
  alwaysCheckout: false | true | 'force';
  submodules: 'always' | 'checkout' | 'never';
  /** `git-clone-depth` (a number as text), '' when unset */
  gitCloneDepth: string;
  /** `mr.developer-threads`, when set */
  threads?: number;
  verbose: boolean;
  acceptCertificate: boolean;
  /** `[buildout] develop`, as written */
  develop: string;
  /** the name of the versions section ('' when versions are off) */
  versionsSection: string;
}
