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
}
