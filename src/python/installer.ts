// The contract of the two installers (uv first, pip as fallback): create an
// environment, resolve the whole set of distributions without changing anything,
// then install exactly that set. Both report failures as Problems (install-failure.ts).
import type { Problem } from './install-failure.js';
import type { HashedResolution } from './locked-output.js';

export interface InstallPlan {
  /** the environment's interpreter */
  python: string;
  /** named requirements (develop eggs excluded) */
  requirements: string[];
  /** develop folders, installed editable (`dir` or `dir[extra]`) */
  develop: string[];
  /** constraint lines (`name==1.0`, `name>=2`) */
  constraints: string[];
  findLinks: string[];
  index?: string;
  /** no index at all (allow-hosts excluded it) */
  noIndex: boolean;
  offline: boolean;
  /** zc.buildout's newest: look for newer versions of what is not pinned */
  newest: boolean;
  /** prefer-final = false allows pre-releases */
  preferFinal: boolean;
  timeoutSec?: number;
  /** the installer's download and build cache */
  cacheDir: string;
  /** folder for the installer's files (inputs, resolution, log) */
  workDir: string;
  onLine?: (line: string) => void;
  /** pid of each child started (recorded for the next run after a kill) */
  onSpawn?: (pid: number) => void;
}

/** One distribution of a resolution. */
export interface ResolvedDist {
  /** as the installer printed it (uv: normalised) */
  name: string;
  version: string;
  /** a develop egg or another path/URL requirement: never "picked" */
  direct: boolean;
  /** normalised names of the distributions that require it ('' entries dropped) */
  requiredBy: string[];
  /** named by the buildout itself */
  requested: boolean;
}

export interface Resolution {
  dists: ResolvedDist[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[]; output: string };

export interface Installer {
  readonly name: 'uv' | 'pip';
  /** for -v: which installer, which version, from where */
  readonly description: string;
  createVenv(baseExecutable: string, prefix: string, includeSitePackages: boolean, onLine?: (line: string) => void): Promise<void>;
  /** the full set the plan needs; changes nothing in the environment */
  resolve(plan: InstallPlan): Promise<Outcome<Resolution>>;
  /** installs the resolved set; `repair` reinstalls even what looks installed (after a kill) */
  install(plan: InstallPlan, resolution: Resolution, repair: boolean): Promise<Outcome<void>>;
  uninstall(python: string, names: string[]): Promise<void>;
  /**
   * The full set for a lock file, with the hash of every file of each version; changes
   * nothing. `preferences` (`name==version` lines) are kept where the pins allow (uv).
   */
  lock(plan: InstallPlan, preferences: string): Promise<Outcome<LockedResolution>>;
  /** Installs exactly the packages of the hashed requirements `file` (hash-checked), then the plan's develop eggs, all without dependencies. */
  installLocked(plan: InstallPlan, file: string, repair: boolean): Promise<Outcome<void>>;
}

export interface LockedResolution extends HashedResolution {
  /** `universal` (every platform, markers kept) or the one platform resolved for */
  resolution: string;
}
