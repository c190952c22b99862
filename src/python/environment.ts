// The buildout's Python environment: zc.buildout's "eggs", done with a venv and pip.
//
// Layout: one virtual environment owned by the buildout, at
//   <buildout:directory>/.buildout/venv
// created from `[buildout] executable` (or the `executable` of the section named by
// `[buildout] python`) with `python -m venv`, plus `--system-site-packages` when
// `include-site-packages = true` (how Debian's packaged Python libraries are used).
// Nothing outside that folder is written; the user's interpreter is never modified.
// Next to it: .buildout/pip.log (the last installer run, in full).
//
// Mapping of zc.buildout's options (decisions, documented here once):
// - [versions]: exact pins and specifiers become a pip constraints file (names
//   normalised; develop eggs are left out, pip refuses to constrain editables).
// - allow-picked-versions = false: every requirement of a part must have an exact pin,
//   checked before pip runs (all offenders named at once); then a `pip --dry-run`
//   names unpinned dependencies pip would pick, before anything is installed.
//   Dependencies already present in the base interpreter's site-packages are not
//   "picked" (nothing is chosen or installed for them); a requirement a part names
//   is always checked, wherever it would come from. Develop eggs are never picked.
// - show-picked-versions = true: after installing, the versions pip chose for unpinned
//   distributions are logged as a `[versions]` snippet, as zc.buildout does;
//   update-versions-file = FILE also appends them to FILE (created with a [versions] header).
// - newest = true (zc.buildout's default): `--upgrade --upgrade-strategy only-if-needed`,
//   i.e. the named requirements are brought to the newest allowed version and
//   dependencies only when needed. newest = false: pip's default (keep what satisfies).
//   Both only apply when the inputs changed: an unchanged environment is not re-checked
//   against the index (that is what makes a no-op run start no process).
// - offline = true / -o: `--no-index` (and no upgrade): no network at all.
// - find-links → --find-links (each whitespace-separated entry); index → --index-url.
// - develop → `pip install -e <dir>` with `--no-build-isolation` (build back-ends come
//   from the environment, so it works offline); removed develop eggs are uninstalled.
// - socket-timeout → --timeout.
// - Requirements dropped from the buildout stay installed in the environment
//   (zc.buildout also leaves them in eggs/); a fresh environment: remove .buildout/venv.
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { developDistKey, isProjectDir, projectFileStamps } from './develop.js';
import { parseRequirement, versionPins, type VersionPin } from './requirements.js';
import { readSettings } from './settings.js';
import { hashInputs, readState, writeState, type EnvInputs, type EnvState } from './state.js';
import type { PythonEnv, PythonEnvRequest } from './types.js';
import { createDebug } from '../log.js';

const debug = createDebug('python-env');

/** Where the environment lives, relative to the buildout directory. */
export const VENV_DIR = join('.buildout', 'venv');

export function venvPrefix(buildoutDirectory: string): string {
  return join(buildoutDirectory, VENV_DIR);
}

/**
 * Makes the buildout's environment hold `req.requirements` and the develop eggs.
 * Returns immediately, without starting any process, when nothing changed.
 */
export async function ensurePythonEnv(req: PythonEnvRequest): Promise<PythonEnv> {
  const b = req.buildout;
  const directory = b.directory;
  if (!directory) throw new BuildoutError('MissingOption', 'Missing option: buildout:directory', { section: 'buildout', option: 'directory' });
  const prefix = venvPrefix(directory);
  const settings = readSettings(req);
  const { pins, invalid } = versionPins(req.versions);
  const develop = req.develop.map((d) => resolve(directory, d));
  const developKeys = new Set(develop.map(developDistKey));
  const requirements = [...new Set(req.requirements.map((r) => r.trim()).filter(Boolean))];
  const constraints = [...pins.values()].filter((p) => !developKeys.has(p.key)).map((p) => p.constraint).sort();
  const inputs: EnvInputs = {
    executable: settings.executable,
    includeSitePackages: settings.includeSitePackages,
    requirements: [...requirements].sort(),
    constraints,
    develop: develop.map((dir) => ({ dir, stamps: projectFileStamps(dir) })),
    findLinks: settings.findLinks,
    index: settings.index ?? '',
    offline: settings.offline,
    installer: 'pip',
    allowPicked: settings.allowPicked,
  };
  const { key, baseKey } = hashInputs(inputs);
  debug?.(`inputs ${JSON.stringify(inputs)} -> ${key}`);
  const state = readState(prefix);
  const python = join(prefix, 'bin', 'python');
  if (state && state.key === key && existsSync(python)) return toEnv(prefix, state);

  // Something changed: from here on processes are started (and execa imported).
  for (const line of invalid) req.log.warn(`Ignoring [versions] entry that is neither a version nor a specifier: ${line}`);
  checkRequirements(requirements, pins, developKeys, settings.allowPicked);
  for (const dir of develop) {
    if (!existsSync(dir) || !isProjectDir(dir)) {
      throw new BuildoutError('DevelopError', `The develop path ${dir} is not a Python project (no pyproject.toml, setup.py or setup.cfg).`, { section: 'buildout', option: 'develop' });
    }
  }

  const { createVenv, probeVenv } = await import('./venv.js');
  const { runPipInstall } = await import('./pip.js');
  const progress = (line: string) => {
    req.log.debug(line);
    req.onProgress?.(line);
  };
  const fresh = !state || state.baseKey !== baseKey || !existsSync(python);
  if (fresh) {
    req.log.info(`Creating the Python environment ${prefix} from ${settings.executable.path}`);
    await createVenv(settings.executable.path, prefix, settings.includeSitePackages, progress);
  } else {
    await uninstallRemovedDevelop(python, state, develop, req.log);
  }

  const work = join(directory, '.buildout');
  const constraintsFile = join(prefix, 'buildout-ts-constraints.txt');
  writeFileSync(constraintsFile, constraints.length ? constraints.join('\n') + '\n' : '');
  const { named, editables } = foldDevelopRequirements(requirements, develop);
  const plan = {
    python,
    requirements: named,
    develop: editables,
    constraintsFile,
    findLinks: settings.findLinks,
    ...(settings.index ? { index: settings.index } : {}),
    offline: settings.offline,
    upgrade: settings.newest,
    ...(settings.timeout !== undefined ? { timeout: settings.timeout } : {}),
    logFile: join(work, 'pip.log'),
    reportFile: join(work, 'pip-report.json'),
    onLine: progress,
  };
  if (requirements.length > 0 || develop.length > 0) {
    for (const d of develop) req.log.info(`Develop: '${d}'`);
    if (!settings.allowPicked) {
      const would = await runPipInstall({ ...plan, dryRun: true });
      const picked = pickedVersions(would, pins, developKeys);
      if (picked.length > 0) {
        throw new BuildoutError('PickedVersion', `allow-picked-versions is false, but these distributions have no version in [versions] and would be picked:\n${picked.map((p) => `  ${p.name} = ${p.version}`).join('\n')}`, {
          hint: 'Pin them in the [versions] section (the lines above can be copied there).',
          section: 'buildout',
          option: 'allow-picked-versions',
        });
      }
    }
    const installed = await runPipInstall(plan);
    for (const i of installed) if (!i.direct) req.log.info(`Got ${i.name} ${i.version}.`);
    const picked = pickedVersions(installed, pins, developKeys);
    if ((settings.showPicked || settings.versionsFile) && picked.length > 0) {
      req.log.info(['Versions had to be automatically picked.', 'The following part definition lists the versions picked:', '[versions]', ...picked.map((p) => `${p.name} = ${p.version}`)].join('\n'));
    }
    if (settings.versionsFile && picked.length > 0) {
      appendPickedVersions(settings.versionsFile, picked);
      req.log.info(`Picked versions have been written to ${settings.versionsFile}`);
    }
    rmSync(plan.reportFile, { force: true });
  }

  const probed = await probeVenv(python);
  const next: Omit<EnvState, 'version'> = {
    key,
    baseKey,
    baseExecutable: settings.executable.path,
    facts: probed.facts,
    sitePackages: probed.sitePackages,
    develop: develop.map((dir) => ({ dir, key: developDistKey(dir) })),
  };
  writeState(prefix, next);
  return toEnv(prefix, { version: 1, ...next });
}

/** The requirements a part names that lack an exact pin (develop eggs excepted). */
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

// pip (23) does not match a named requirement to an editable of the same
// invocation: requirements naming a develop egg become extras of its `-e`.
function foldDevelopRequirements(requirements: string[], develop: string[]): { named: string[]; editables: string[] } {
  const extras = new Map<string, Set<string>>(develop.map((d) => [developDistKey(d), new Set<string>()]));
  const named: string[] = [];
  for (const r of requirements) {
    const p = parseRequirement(r);
    const ex = p && extras.get(p.key);
    if (ex) p.extras.forEach((e) => ex.add(e));
    else named.push(r);
  }
  const editables = develop.map((d) => {
    const ex = [...(extras.get(developDistKey(d)) ?? [])];
    return ex.length ? `${d}[${ex.sort().join(',')}]` : d;
  });
  return { named, editables };
}

function checkRequirements(requirements: string[], pins: ReadonlyMap<string, VersionPin>, developKeys: ReadonlySet<string>, allowPicked: boolean): void {
  const bad = requirements.filter((r) => !parseRequirement(r));
  if (bad.length > 0) {
    throw new BuildoutError('InvalidRequirement', `Not a valid requirement: ${bad.map((r) => `'${r}'`).join(', ')}`, { hint: 'A requirement looks like `Name`, `Name[extra]` or `Name>=1.0`.' });
  }
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

function pickedVersions(installed: { name: string; version: string; direct: boolean }[], pins: ReadonlyMap<string, VersionPin>, developKeys: ReadonlySet<string>) {
  return installed
    .filter((i) => !i.direct && !developKeys.has(normKey(i.name)) && !pins.get(normKey(i.name))?.exact)
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}

// zc.buildout's update-versions-file: a `[versions]` file that picked versions are appended to.
function appendPickedVersions(file: string, picked: { name: string; version: string }[]): void {
  const head = existsSync(file) ? '' : '[versions]\n';
  appendFileSync(file, `${head}\n# Added by buildout-ts at ${new Date().toISOString()}\n${picked.map((p) => `${p.name} = ${p.version}`).join('\n')}\n`);
}

function normKey(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

async function uninstallRemovedDevelop(python: string, state: EnvState, develop: string[], log: Logger): Promise<void> {
  const removed = state.develop.filter((d) => !develop.includes(d.dir));
  if (removed.length === 0) return;
  const { runPython } = await import('./spawn.js');
  for (const d of removed) log.info(`Uninstalling develop egg ${d.key} (${d.dir})`);
  await runPython(python, ['-m', 'pip', 'uninstall', '--yes', ...removed.map((d) => d.key)]);
}

function toEnv(prefix: string, state: EnvState): PythonEnv {
  return {
    baseExecutable: state.baseExecutable,
    prefix,
    python: join(prefix, 'bin', 'python'),
    binDir: join(prefix, 'bin'),
    sitePackages: state.sitePackages,
    facts: state.facts,
    stateKey: state.key,
  };
}
