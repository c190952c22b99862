// Checks of an environment's inputs that need no process, and the errors an
// environment step raises, shared by ensureEnvironment and lockEnvironment.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { BuildoutError } from '../errors.js';
import { developDistKey, isProjectDir, projectFileStamps } from './develop.js';
import type { Picked } from './picked.js';
import { parseRequirement, versionPins, type VersionPin } from './requirements.js';
import type { Settings } from './settings.js';
import type { EnvInputs } from './state.js';

/** What an environment spec asks for, normalised. */
export interface EnvRequest {
  requirements: string[];
  develop: string[];
  developKeys: Set<string>;
  pins: Map<string, VersionPin>;
  /** [versions] entries that are neither a version nor a specifier */
  invalid: string[];
  /** constraint lines, develop eggs excluded, sorted */
  constraints: string[];
}

export function envRequest(requirements: readonly string[], versions: Readonly<Record<string, string>>, develop: readonly string[]): EnvRequest {
  const { pins, invalid } = versionPins(versions);
  const developKeys = new Set(develop.map(developDistKey));
  return {
    requirements: [...new Set(requirements.map((r) => r.trim()).filter(Boolean))],
    develop: [...develop],
    developKeys,
    pins,
    invalid,
    constraints: [...pins.values()].filter((p) => !developKeys.has(p.key)).map((p) => p.constraint).sort(),
  };
}

/** Everything the environment depends on (its state key). */
export function envInputs(req: EnvRequest, settings: Settings, frozen: string | undefined): EnvInputs {
  return {
    executable: settings.executable,
    includeSitePackages: settings.includeSitePackages,
    requirements: [...req.requirements].sort(),
    constraints: req.constraints,
    develop: req.develop.map((dir) => ({ dir, stamps: projectFileStamps(dir) })),
    findLinks: settings.findLinks,
    index: settings.index ?? '',
    noIndex: settings.noIndex,
    preferFinal: settings.preferFinal,
    offline: settings.offline,
    allowPicked: settings.allowPicked,
    ...(frozen ? { frozen } : {}),
  };
}

/** Requirements that parse, pins for every one when allow-picked-versions is false, develop folders that are projects. */
export function checkRequest(req: EnvRequest, allowPicked: boolean): void {
  const bad = req.requirements.filter((r) => !parseRequirement(r));
  if (bad.length > 0) throw new BuildoutError('InvalidRequirement', `Not a valid requirement: ${bad.map((r) => `'${r}'`).join(', ')}`, { hint: 'A requirement looks like `Name`, `Name[extra]` or `Name>=1.0`.' });
  if (!allowPicked) {
    const unpinned = unpinnedRequirements(req.requirements, req.pins, req.developKeys);
    if (unpinned.length > 0) {
      throw new BuildoutError('PickedVersion', `allow-picked-versions is false, but these requirements have no version in [versions]: ${unpinned.join(', ')}`, {
        section: 'buildout',
        option: 'allow-picked-versions',
        hint: `Pin them in [versions], e.g. \`${unpinned[0]} = 1.0\`, or set allow-picked-versions = true.`,
      });
    }
  }
  for (const dir of req.develop) {
    if (!existsSync(dir) || !isProjectDir(dir)) throw new BuildoutError('DevelopError', `The develop path ${dir} is not a Python project (no pyproject.toml, setup.py or setup.cfg).`, { section: 'buildout', option: 'develop' });
  }
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

export function pickedError(picked: Picked[]): BuildoutError {
  return new BuildoutError('PickedVersion', `allow-picked-versions is false, but these distributions have no version in [versions] and would be picked:\n${picked.map((p) => `  ${p.name} = ${p.version}`).join('\n')}`, {
    hint: 'Pin them in the [versions] section (the lines above can be copied there), or set allow-picked-versions = true.',
    section: 'buildout',
    option: 'allow-picked-versions',
  });
}

export function failureContext(installer: string, settings: Settings, logFile: string) {
  return { installer, offline: settings.offline, ...(settings.index ? { index: settings.index } : {}), logFile };
}

/** The lock file's digest (--frozen: part of the environment's state key, so a new lock reinstalls). */
export function lockDigest(lockFile: string): string {
  try {
    return createHash('sha256').update(readFileSync(lockFile)).digest('hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new BuildoutError('LockFileError', `Could not read the lock file ${lockFile}: ${(e as Error).message}`);
    throw noLock(lockFile);
  }
}

export function noLock(lockFile: string): BuildoutError {
  return new BuildoutError('LockFileError', `There is no lock file ${lockFile}: --frozen installs exactly what it lists.`, {
    hint: 'Run `buildout lock` first (and commit the lock file beside the configuration).',
    section: 'buildout',
    option: 'frozen',
  });
}
