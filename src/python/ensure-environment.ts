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
import { developDistKey, isProjectDir, projectFileStamps } from './develop.js';
import { parseRequirement, versionPins, type VersionPin } from './requirements.js';
import type { Settings } from './settings.js';
import { hashInputs, readState, writeState, type EnvInputs, type EnvState } from './state.js';
import type { PythonEnv } from './types.js';
import type { Picked } from './picked.js';
import type { Resolution } from './installer.js';

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
}

/** Makes the environment at spec.prefix hold what the spec asks; starts no process when nothing changed. */
export async function ensureEnvironment(spec: EnvironmentSpec): Promise<PythonEnv> {
  const { prefix, settings, log } = spec;
  const { pins, invalid, develop, developKeys, requirements, constraints, key, baseKey } = environmentInputs(spec);
  const state = readState(prefix);
  const python = join(prefix, 'bin', 'python');
  if (state && state.key === key && existsSync(python)) {
    await reportPicked(state.picked ?? [], settings, log);
    return toEnv(prefix, state);
  }

  // Something changed: from here on processes may be started (and execa imported).
  for (const line of invalid) log.warn(`Ignoring [versions] entry that is neither a version nor a specifier: ${line}`);
  checkRequirements(requirements, pins, developKeys, settings.allowPicked);
  for (const dir of develop) {
    if (!existsSync(dir) || !isProjectDir(dir)) throw new BuildoutError('DevelopError', `The develop path ${dir} is not a Python project (no pyproject.toml, setup.py or setup.cfg).`, { section: 'buildout', option: 'develop' });
  }
  mkdirSync(spec.workDir, { recursive: true });
  const { stopLeftoverChild, recordChild, forgetChild } = await import('./children.js');
  await stopLeftoverChild(spec.workDir, log);
  restoreInterruptedSwitch(prefix);

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
  if (requirements.length > 0 || develop.length > 0) {
    for (const d of develop) log.info(`Develop: '${d}'`);
    const resolved = await run.resolveAll(installer, plan);
    if (!resolved.ok) return fail(installFailure(resolved.problems, failureContext(installer.name, settings, run.logFile)));
    resolution = resolved.value;
    const unpinned = pickedVersions(resolution.dists, pins, developKeys, requirements);
    if (!settings.allowPicked && unpinned.length > 0) return fail(pickedError(unpinned));

    const repair = existsSync(marker);
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
 */
export function environmentInputs(spec: Pick<EnvironmentSpec, 'requirements' | 'versions' | 'develop' | 'settings'>) {
  const { settings } = spec;
  const { pins, invalid } = versionPins(spec.versions);
  const develop = [...spec.develop];
  const developKeys = new Set(develop.map(developDistKey));
  const requirements = [...new Set(spec.requirements.map((r) => r.trim()).filter(Boolean))];
  const constraints = [...pins.values()].filter((p) => !developKeys.has(p.key)).map((p) => p.constraint).sort();
  const inputs: EnvInputs = {
    executable: settings.executable,
    includeSitePackages: settings.includeSitePackages,
    requirements: [...requirements].sort(),
    constraints,
    develop: develop.map((dir) => ({ dir, stamps: projectFileStamps(dir) })),
    findLinks: settings.findLinks,
    index: settings.index ?? '',
    noIndex: settings.noIndex,
    preferFinal: settings.preferFinal,
    offline: settings.offline,
    allowPicked: settings.allowPicked,
  };
  return { pins, invalid, develop, developKeys, requirements, constraints, inputs, ...hashInputs(inputs) };
}

/** The requirements that lack an exact pin (develop eggs excepted). */
export function unpinnedRequirements(requirements: readonly string[], pins: ReadonlyMap<string, VersionPin>, developKeys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const r of requirements) {
    const p = parseRequirement(r);
    if (!p || developKeys.has(p.key)) continue;
    if (pins.get(p.key)?.exact || /^(===|==)[^,*]+$/.test(p.spec.replace(/\s+/g, ''))) continue;
    if (!out.includes(p.name)) out.push(p.name);
  }
  return out;
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

/** uv (on PATH or fetched into our cache), else pip. */
export async function chooseInstaller(settings: Settings, log: Logger) {
  const { pipInstaller } = await import('./pip.js');
  if (settings.installer === 'pip') {
    log.debug('Installer: pip (BUILDOUT_TS_INSTALLER=pip)');
    return pipInstaller();
  }
  if (settings.includeSitePackages) {
    // uv does not count the base interpreter's packages as installed; pip does
    log.debug('Installer: pip (include-site-packages = true: uv does not use the base interpreter\'s packages)');
    return pipInstaller();
  }
  const { findUv } = await import('./uv-program.js');
  const { toolCacheDir } = await import('./cache.js');
  const found = await findUv({
    toolCache: toolCacheDir(),
    python: settings.executable.path,
    offline: settings.offline,
    ...(settings.index ? { index: settings.index } : {}),
    findLinks: settings.findLinks.filter((f) => !/^[a-z+]+:\/\//i.test(f)),
    ...(settings.timeout !== undefined ? { timeoutSec: settings.timeout } : {}),
  });
  if ('reason' in found) {
    const pip = pipInstaller();
    log.debug(`Installer: ${pip.description}; uv could not be had: ${found.reason}`);
    return pip;
  }
  const { uvInstaller } = await import('./uv.js');
  const uv = uvInstaller(found);
  log.debug(`Installer: ${uv.description}`);
  return uv;
}

function checkRequirements(requirements: string[], pins: ReadonlyMap<string, VersionPin>, developKeys: ReadonlySet<string>, allowPicked: boolean): void {
  const bad = requirements.filter((r) => !parseRequirement(r));
  if (bad.length > 0) throw new BuildoutError('InvalidRequirement', `Not a valid requirement: ${bad.map((r) => `'${r}'`).join(', ')}`, { hint: 'A requirement looks like `Name`, `Name[extra]` or `Name>=1.0`.' });
  if (allowPicked) return;
  const unpinned = unpinnedRequirements(requirements, pins, developKeys);
  if (unpinned.length > 0) {
    throw new BuildoutError('PickedVersion', `allow-picked-versions is false, but these requirements have no version in [versions]: ${unpinned.join(', ')}`, {
      section: 'buildout',
      option: 'allow-picked-versions',
      hint: `Pin them in [versions], e.g. \`${unpinned[0]} = 1.0\`, or set allow-picked-versions = true.`,
    });
  }
}

function failureContext(installer: string, settings: Settings, logFile: string) {
  return { installer, offline: settings.offline, ...(settings.index ? { index: settings.index } : {}), logFile };
}

function pickedError(picked: Picked[]): BuildoutError {
  return new BuildoutError('PickedVersion', `allow-picked-versions is false, but these distributions have no version in [versions] and would be picked:\n${picked.map((p) => `  ${p.name} = ${p.version}`).join('\n')}`, {
    hint: 'Pin them in the [versions] section (the lines above can be copied there), or set allow-picked-versions = true.',
    section: 'buildout',
    option: 'allow-picked-versions',
  });
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
