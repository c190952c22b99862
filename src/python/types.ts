// The contract between the Python-environment module (src/python) and its
// users (the install lifecycle and recipes).
import type { Logger } from '../log.js';

/** Facts about a Python interpreter, learnt once and cached (src/python/facts.ts). */
export interface PythonFacts {
  executable: string;
  /** e.g. "3.11.2" */
  version: string;
  /** [major, minor, micro] */
  versionInfo: [number, number, number];
  /** sys.implementation.name: cpython, pypy, ... */
  implementation: string;
  /** sys.platform: linux, darwin, win32, cygwin */
  platform: string;
  /** os.name: posix, nt */
  osName: string;
  /** platform.system(): Linux, Darwin, Windows */
  system: string;
  /** platform.machine(): x86_64, aarch64 */
  machine: string;
  /** platform.release() */
  release: string;
  /** platform.version() */
  platformVersion: string;
  /** platform.python_implementation(): CPython, PyPy */
  pythonImplementation: string;
  byteorder: 'little' | 'big';
  /** 32 or 64 */
  pointerBits: number;
  /** sys.version, e.g. "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]" (optional: added for conditions) */
  sysVersion?: string;
  /** sys.version_info.releaselevel: alpha, beta, candidate, final */
  releaseLevel?: string;
  /** sys.version_info.serial */
  serial?: number;
  /** PEP 508 implementation_version, e.g. "3.11.2" or PyPy's own version */
  implementationVersion?: string;
}

/** The buildout's own virtual environment, ready to use. */
export interface PythonEnv {
  /** the base interpreter the environment was created from (`[buildout] executable`) */
  baseExecutable: string;
  /** the environment's root directory */
  prefix: string;
  /** <prefix>/bin/python */
  python: string;
  /** <prefix>/bin */
  binDir: string;
  /** the environment's site-packages directory */
  sitePackages: string;
  facts: PythonFacts;
  /**
   * Hash of everything the environment was built from (see environment.ts);
   * changes whenever pip ran. Caches keyed on the environment use it.
   */
  stateKey?: string;
}

/** What the install lifecycle asks of the environment before running recipes. */
export interface PythonEnvRequest {
  /** the materialised [buildout] section */
  buildout: Readonly<Record<string, string>>;
  /** the materialised versions section (pins), may be empty */
  versions: Readonly<Record<string, string>>;
  /** union of the requirement strings of all parts to install, e.g. `Zope[wsgi]`, `waitress>=2` */
  requirements: string[];
  /** absolute paths of local source folders (`[buildout] develop`) */
  develop: string[];
  log: Logger;
  /**
   * Materialised options of another section, used when `[buildout] python`
   * names a section other than `buildout` (its `executable` is the interpreter).
   */
  section?(name: string): Readonly<Record<string, string>>;
  /** called with each line of installer output while it runs (the lifecycle shows a spinner) */
  onProgress?(line: string): void;
}
