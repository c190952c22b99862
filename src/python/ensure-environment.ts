// One virtual environment holding a set of requirements under [versions]-style pins:
// the reusable core (the buildout's environment is one user, a separate environment
// for Python recipes can be another). See src/python/README.md.
//
// Transactional: the installer resolves (and downloads and builds) before it changes
// anything, so a failed run keeps the environment it had; an environment whose
// interpreter changed is built at the final path while the old one waits beside it
// (<prefix>.previous) and comes back if the new one fails; an installer left running
// by a killed run is stopped before anything is touched (children.ts); an install
// interrupted by a kill is repaired by reinstalling the resolved set.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { developDistKey } from './develop.js';
import { checkRequest, envInputs, envRequest, failureContext, lockDigest, pickedError } from './environment-checks.js';
import { hashedRequirements } from './locked-output.js';
import type { Settings } from './settings.js';
import { hashInputs, readState, writeState, type EnvState } from './state.js';
import type { PythonEnv } from './types.js';
import type { Picked } from './picked.js';
import type { Resolution } from './installer.js';

export { unpinnedRequirements } from './environment-checks.js';
export { chooseInstaller } from './choose-installer.js';

export interface EnvironmentSpec {
  /** the environment's folder (created when missing) */
  prefix: string;
  /** a folder of its own for the installer's files: inputs, resolution, log, pid of a running child */
  workDir: string;
  /** requirement strings, e.g. `Plone`, `Zope[wsgi]`, `waitress>=2` */
  requirements: readonly string[];
  /** [versions]-style pins: name → `1.0` (exact) or a specifier (`>=2`) */
  versions: Readonly<Record<string, string>>;
  /** absolute paths of develop eggs (installed editable) */
  develop: readonly string[];
  settings: Settings;
  log: Logger;
  onProgress?: (line: string) => void;
  /** its table in the lock file (default: the prefix's folder name, `venv` or `recipes`) */
  lockTable?: string;
}

/** Makes the environment at spec.prefix hold what the spec asks; starts no process when nothing changed. */
export async function ensureEnvironment(spec: EnvironmentSpec): Promise<PythonEnv> {
  const { prefix, settings, log } = spec;
  const { pins, develop, developKeys, requirements, constraints, key, baseKey, request: req } = environmentInputs(spec);
  const state = readState(prefix);
  const python = join(prefix, 'bin', 'python');
  if (state && state.key === key && existsSync(python)) {
    await reportPicked(state.picked ?? [], settings, log);
    return toEnv(prefix, state);
  }

  // Something changed: from here on processes may be started (and execa imported).
  for (const line of req.invalid) log.warn(`Ignoring [versions] entry that is neither a version nor a specifier: ${line}`);
  checkRequest(req, settings.allowPicked || settings.frozen !== undefined);
  const frozen = settings.frozen ? await import('./frozen.js') : undefined;
  // before anything changes: the lock must cover what the configuration asks
  const locked = frozen && settings.frozen ? frozen.lockedFor(settings.frozen, prefix, req, spec.lockTable) : undefined;
  mkdirSync(spec.workDir, { recursive: true });
  const { stopLeftoverChild, recordChild, forgetChild } = await import('./children.js');
  await stopLeftoverChild(spec.workDir, log);
  restoreInterruptedSwitch(prefix);

  const { chooseInstaller } = await import('./choose-installer.js');
  const installer = await chooseInstaller(settings, log);
  const { installFailure } = await import('./install-failure.js');
  const { createRun } = await import('./install-run.js');
  const { pickedVersions, metadataNames } = await import('./picked.js');
  const run = createRun(spec.workDir, installer.name, (pid) => recordChild(spec.workDir, pid), spec.onProgress ?? (() => {}), log);

  const previous = `${prefix}.previous`;
  const reuse = existsSync(python) && baseOf(prefix) === baseKey;
  if (!reuse) {
    if (existsSync(prefix)) renameSync(prefix, previous);
    log.info(`Creating the Python environment ${prefix} from ${settings.executable.path}`);
    await installer.createVenv(settings.executable.path, prefix, settings.includeSitePackages, run.plan.onLine);
    writeFileSync(join(prefix, BASE_FILE), baseKey + '\n');
  } else if (state) {
    const removed = state.develop.filter((d) => !develop.includes(d.dir)).map((d) => d.key);
    for (const d of removed) log.info(`Uninstalling develop egg ${d}`);
    await installer.uninstall(python, removed);
  }
  const fail = (e: BuildoutError): never => {
    forgetChild(spec.workDir);
    if (existsSync(previous)) {
      rmSync(prefix, { recursive: true, force: true }); // ours, and no child of ours is running
      renameSync(previous, prefix);
      log.info(`Kept the previous Python environment ${prefix}.`);
    }
    throw e;
  };

  const plan = run.planFor({ python, settings, requirements, develop, constraints });
  let resolution: Resolution = { dists: [] };
  const marker = join(spec.workDir, 'installing');
  const repair = existsSync(marker);
  if (locked && frozen) {
    // exactly the lock's packages, every file hash-checked, then the develop eggs
    const file = join(spec.workDir, frozen.FROZEN_FILE);
    writeFileSync(file, hashedRequirements(locked.packages, developKeys));
    log.info(`Installing the ${locked.packages.length} distributions of ${settings.frozen} (--frozen)`);
    writeFileSync(marker, '');
    const installed = await installer.installLocked(plan, file, repair);
    if (!installed.ok) return fail(installFailure(installed.problems, { ...failureContext(installer.name, settings, run.logFile), lockFile: settings.frozen }));
    forgetChild(spec.workDir);
  } else if (requirements.length > 0 || develop.length > 0) {
    for (const d of develop) log.info(`Develop: '${d}'`);
    const resolved = await run.resolveAll(installer, plan);
    if (!resolved.ok) return fail(installFailure(resolved.problems, failureContext(installer.name, settings, run.logFile)));
    resolution = resolved.value;
    const unpinned = pickedVersions(resolution.dists, pins, developKeys, requirements);
    if (!settings.allowPicked && unpinned.length > 0) return fail(pickedError(unpinned));

    if (repair) log.info('Repairing the Python environment after an interrupted install.');
    writeFileSync(marker, '');
    const installed = await installer.install(plan, resolution, repair);
    if (!installed.ok) return fail(installFailure(installed.problems, failureContext(installer.name, settings, run.logFile)));
    forgetChild(spec.workDir);
    run.commitResolution();
  }

  const { probeVenv } = await import('./venv.js');
  const probed = await probeVenv(python);
  const picked = pickedVersions(resolution.dists, pins, developKeys, requirements, metadataNames(probed.sitePackages));
  const next: Omit<EnvState, 'version'> = { key, baseKey, baseExecutable: settings.executable.path, facts: probed.facts, sitePackages: probed.sitePackages, develop: develop.map((dir) => ({ dir, key: developDistKey(dir) })), picked };
  writeState(prefix, next);
  rmSync(marker, { force: true });
  rmSync(previous, { recursive: true, force: true });
  await reportPicked(picked, settings, log);
  return toEnv(prefix, { version: 0, ...next });
}

/**
 * What the environment is made from, and its hashes (`key` equal to the state file's:
 * nothing to do). Pure and cheap: `buildout plan` compares it without starting anything.
 * With --frozen the lock file's digest is an input (a new lock reinstalls).
 */
export function environmentInputs(spec: Pick<EnvironmentSpec, 'requirements' | 'versions' | 'develop' | 'settings'>) {
  const request = envRequest(spec.requirements, spec.versions, spec.develop);
  const inputs = envInputs(request, spec.settings, spec.settings.frozen ? lockDigest(spec.settings.frozen) : undefined);
  return { ...request, request, inputs, ...hashInputs(inputs) };
}

// --- internal ---

const BASE_FILE = 'buildout-ts-base';

// The base (interpreter, site-packages) the environment was created for.
function baseOf(prefix: string): string | undefined {
  try {
    return readFileSync(join(prefix, BASE_FILE), 'utf8').trim();
  } catch {
    try {
      return (JSON.parse(readFileSync(join(prefix, 'buildout-ts-state.json'), 'utf8')) as { baseKey?: string }).baseKey;
    } catch {
      return undefined;
    }
  }
}

// A kill while a new environment was built beside the old one: the old one comes back
// unless the new one had finished (its state written).
function restoreInterruptedSwitch(prefix: string): void {
  const previous = `${prefix}.previous`;
  if (!existsSync(previous)) return;
  if (readState(prefix)) {
    rmSync(previous, { recursive: true, force: true });
    return;
  }
  rmSync(prefix, { recursive: true, force: true });
  renameSync(previous, prefix);
}

async function reportPicked(picked: Picked[], settings: Settings, log: Logger): Promise<void> {
  if (picked.length === 0 || (!settings.showPicked && !settings.versionsFile)) return;
  const { pickedReport, appendPicked } = await import('./picked.js');
  if (settings.showPicked) log.info(pickedReport(picked));
  if (settings.versionsFile) {
    appendPicked(settings.versionsFile, picked);
    log.info(`Picked versions have been written to ${settings.versionsFile}`);
  }
}

function toEnv(prefix: string, state: Omit<EnvState, 'version'> & { version: number }): PythonEnv {
  return { baseExecutable: state.baseExecutable, prefix, python: join(prefix, 'bin', 'python'), binDir: join(prefix, 'bin'), sitePackages: state.sitePackages, facts: state.facts, stateKey: state.key };
}
