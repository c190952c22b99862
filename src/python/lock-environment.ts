// `buildout lock` for one environment: the whole set of distributions its spec asks for,
// each with its exact version and the hashes of all its files, resolved without changing
// the environment. uv resolves universally (every platform and every Python from the
// interpreter's version on, markers kept); pip resolves for this interpreter's platform.
// Versions already locked (or, for a first lock, those last installed) are kept where the
// pins allow, unless `upgrade`.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LockedEnvironment, LockedPackage } from '../lock/lock-file.js';
import type { EnvironmentSpec } from './ensure-environment.js';
import { checkRequest, envRequest, failureContext, pickedError } from './environment-checks.js';
import { preferenceLines } from './locked-output.js';
import { RESOLVED_FILE } from './uv.js';

export interface LockOptions {
  /** this environment's table of the lock file being replaced */
  previous?: LockedEnvironment;
  /** resolve afresh, ignoring the versions locked or installed before */
  upgrade?: boolean;
  /** paths in the lock are relative to this folder (the lock file's) */
  relativeTo: string;
}

export async function lockEnvironment(spec: EnvironmentSpec, o: LockOptions): Promise<LockedEnvironment> {
  const { settings, log } = spec;
  const req = envRequest(spec.requirements, spec.versions, spec.develop);
  for (const line of req.invalid) log.warn(`Ignoring [versions] entry that is neither a version nor a specifier: ${line}`);
  checkRequest(req, settings.allowPicked);
  const locked: LockedEnvironment = {
    path: relative(o.relativeTo, spec.prefix),
    resolution: 'universal',
    requirements: req.requirements,
    develop: req.develop.map((d) => relative(o.relativeTo, d) || '.'),
    packages: [],
  };
  if (req.requirements.length === 0 && req.develop.length === 0) return locked;

  const { getPythonFacts } = await import('./facts.js');
  const facts = await getPythonFacts(settings.executable.path);
  const { chooseInstaller } = await import('./choose-installer.js');
  const installer = await chooseInstaller(settings, log, facts);
  const workDir = join(spec.workDir, 'lock');
  mkdirSync(workDir, { recursive: true });
  const { createRun, writeInputs } = await import('./install-run.js');
  const run = createRun(workDir, installer.name, () => {}, spec.onProgress ?? (() => {}), log);
  // uv only reads the interpreter; pip resolves in an environment: the buildout's, else a scratch one
  const python = installer.name === 'uv' ? settings.executable.path : await pipPython(spec, workDir, installer, run.plan.onLine);
  const plan = run.planFor({ python, settings, requirements: req.requirements, develop: req.develop, constraints: req.constraints });
  writeInputs(plan);
  const preferences = o.upgrade ? '' : o.previous ? preferenceLines(o.previous.packages) : lastInstalled(spec.workDir);
  log.info(`Locking ${locked.path} (${installer.name}${installer.name === 'uv' ? ', every platform' : ', this platform only'})`);
  const out = await installer.lock(plan, preferences);
  const { installFailure } = await import('./install-failure.js');
  if (!out.ok) throw installFailure(out.problems, failureContext(installer.name, settings, run.logFile));
  if (!settings.allowPicked) {
    const { pickedVersions } = await import('./picked.js');
    const picked = pickedVersions(out.value.dists, req.pins, req.developKeys, req.requirements);
    if (picked.length > 0) throw pickedError(picked);
  }
  const packages: LockedPackage[] = out.value.packages.filter((p) => !req.developKeys.has(p.name));
  const missing = packages.filter((p) => p.hashes.length === 0).map((p) => `${p.name}==${p.version}`);
  if (missing.length) log.warn(`No file hash could be learnt for ${missing.join(', ')}: --frozen will refuse ${missing.length === 1 ? 'it' : 'them'}.`);
  return {
    ...locked,
    resolution: out.value.resolution,
    ...(out.value.resolution === 'universal' ? { requiresPython: `>=${facts.versionInfo[0]}.${facts.versionInfo[1]}` } : {}),
    packages,
  };
}

// --- internal ---

// The versions of the environment's last install, as preferences (`name==version` lines).
function lastInstalled(workDir: string): string {
  try {
    return readFileSync(join(workDir, RESOLVED_FILE), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==\S+/.test(l))
      .map((l) => l.replace(/\s*\\$/, '') + '\n')
      .join('');
  } catch {
    return '';
  }
}

async function pipPython(spec: EnvironmentSpec, workDir: string, installer: { createVenv(base: string, prefix: string, site: boolean, onLine?: (l: string) => void): Promise<void> }, onLine: (l: string) => void): Promise<string> {
  const own = join(spec.prefix, 'bin', 'python');
  if (existsSync(own)) return own;
  const scratch = join(workDir, 'venv');
  if (!existsSync(join(scratch, 'bin', 'python'))) await installer.createVenv(spec.settings.executable.path, scratch, spec.settings.includeSitePackages, onLine);
  return join(scratch, 'bin', 'python');
}
