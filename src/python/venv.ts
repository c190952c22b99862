// Creating the buildout's virtual environment and learning its facts.
// The environment is created with the base interpreter's own `venv` module;
// nothing outside the environment's folder is ever written.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BuildoutError } from '../errors.js';
import { runPython } from './spawn.js';
import type { PythonFacts } from './types.js';

export interface VenvFacts {
  facts: PythonFacts;
  sitePackages: string;
}

/**
 * Creates the environment at `prefix` (which must not exist: the caller moves an old
 * one aside, never deletes a tree another process may write) from `baseExecutable`. pip comes from
 * the base interpreter when site-packages are included and it has pip (Debian's
 * python3-pip): that skips ensurepip, which costs ~3 s; otherwise ensurepip
 * installs the pip bundled with the interpreter (offline).
 */
export async function createVenv(baseExecutable: string, prefix: string, includeSitePackages: boolean, onLine?: (line: string) => void): Promise<void> {
  mkdirSync(dirname(prefix), { recursive: true });
  const args = ['-m', 'venv', '--without-pip', ...(includeSitePackages ? ['--system-site-packages'] : []), prefix];
  const made = await runPython(baseExecutable, args, { onLine: onLine && ((l) => onLine(l)) });
  if (made.exitCode !== 0) {
    throw new BuildoutError('VenvError', `Could not create the Python environment ${prefix} with ${baseExecutable}:\n${lastLines(made.stderr || made.stdout)}`, {
      hint: 'On Debian/Ubuntu install python3-venv for this interpreter (apt-get install python3-venv), or set [buildout] executable to another Python.',
    });
  }
  const python = venvPython(prefix);
  if (includeSitePackages && (await runPython(python, ['-c', 'import pip'])).exitCode === 0) return;
  const pip = await runPython(python, ['-Im', 'ensurepip', '--upgrade', '--default-pip'], { onLine: onLine && ((l) => onLine(l)) });
  if (pip.exitCode !== 0) {
    throw new BuildoutError('VenvError', `Could not install pip into the Python environment ${prefix}:\n${lastLines(pip.stderr || pip.stdout)}`, {
      hint: 'The interpreter lacks ensurepip (Debian: apt-get install python3-venv); or set include-site-packages = true to use its python3-pip.',
    });
  }
}

export function venvPython(prefix: string): string {
  return join(prefix, 'bin', 'python');
}

// Facts of the interpreter and the environment's site-packages, in one process.
const PROBE = `
import json, os, platform, struct, sys, sysconfig
print(json.dumps({
  "facts": {
    "executable": sys.executable,
    "version": platform.python_version(),
    "versionInfo": list(sys.version_info[:3]),
    "implementation": sys.implementation.name,
    "platform": sys.platform,
    "osName": os.name,
    "system": platform.system(),
    "machine": platform.machine(),
    "release": platform.release(),
    "platformVersion": platform.version(),
    "pythonImplementation": platform.python_implementation(),
    "byteorder": sys.byteorder,
    "pointerBits": struct.calcsize("P") * 8,
  },
  "sitePackages": sysconfig.get_paths()["purelib"],
}))
`;

export async function probeVenv(python: string): Promise<VenvFacts> {
  const r = await runPython(python, ['-I', '-c', PROBE]);
  if (r.exitCode !== 0) throw new BuildoutError('VenvError', `The Python environment's interpreter ${python} does not run:\n${lastLines(r.stderr)}`, { hint: 'Remove the folder and run buildout again.' });
  return JSON.parse(r.stdout) as VenvFacts;
}

export function lastLines(text: string, n = 8): string {
  return text.trim().split('\n').slice(-n).map((l) => `  ${l}`).join('\n');
}
