// mr.developer's options of `[buildout]` (sources, sources-dir, auto-checkout,
// always-checkout, update-git-submodules, git-clone-depth, …), read and checked
// once, with mr.developer's messages and the option they are about.
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { DevelopSettings } from './types.js';

const TRUE = ['true', 'yes', 'on'];
const FALSE = ['false', 'no', 'off'];

export function readSettings(b: Readonly<Record<string, string>>): DevelopSettings {
  const directory = b.directory ?? process.cwd();
  const sourcesDir = b['sources-dir']?.trim() || 'src';
  return {
    directory,
    sourcesDir: isAbsolute(sourcesDir) ? sourcesDir : join(directory, sourcesDir),
    sourcesSection: b.sources?.trim() || 'sources',
    autoCheckout: (b['auto-checkout'] ?? '').split(/\s+/).filter(Boolean),
    alwaysCheckout: alwaysCheckout(b['always-checkout']),
    submodules: submodules(b['update-git-submodules']),
    gitCloneDepth: number(b['git-clone-depth'], 'git-clone-depth'),
    ...threads(b['mr.developer-threads']),
    verbose: (b['mr.developer-verbose'] ?? '').trim().toLowerCase() === 'true',
    acceptCertificate: boolean(b['always-accept-server-certificate'], 'always-accept-server-certificate'),
    develop: b.develop ?? '',
    versionsSection: b.versions ?? 'versions',
  };
}

/** `true`/`yes`/`on`, `false`/`no`/`off`, as mr.developer's source options take them. */
export function parseFlag(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  return undefined;
}

// --- internal ---

function alwaysCheckout(value: string | undefined): false | true | 'force' {
  if (value === undefined || value.trim() === '') return false;
  const v = value.trim().toLowerCase();
  if (v === 'force') return 'force';
  const flag = parseFlag(v);
  if (flag === undefined) throw invalid('always-checkout', value, 'Use true, false or force.');
  return flag;
}

function submodules(value: string | undefined): DevelopSettings['submodules'] {
  const v = (value ?? 'always').trim() || 'always';
  if (v === 'always' || v === 'checkout' || v === 'never') return v;
  throw invalid('update-git-submodules', value!, 'Use always, checkout or never.');
}

function number(value: string | undefined, option: string): string {
  const v = (value ?? '').trim();
  if (v === '') return '';
  if (!/^[+-]?\d+$/.test(v)) throw new BuildoutError('InvalidOption', `${option} needs to be a number (got '${v}').`, { section: 'buildout', option });
  return v;
}

function threads(value: string | undefined): { threads?: number } {
  const v = number(value, 'mr.developer-threads');
  if (v === '') return {};
  const n = Number(v);
  if (n < 1) throw new BuildoutError('InvalidOption', `mr.developer-threads must be a positive number (got '${v}').`, { section: 'buildout', option: 'mr.developer-threads' });
  return { threads: n };
}

function boolean(value: string | undefined, option: string): boolean {
  if (value === undefined || value.trim() === '') return false;
  const flag = parseFlag(value);
  if (flag === undefined) throw invalid(option, value, 'Use true or false.');
  return flag;
}

function invalid(option: string, value: string, hint: string): BuildoutError {
  return new BuildoutError('InvalidOption', `Unknown value '${value.trim()}' for ${option} option.`, { section: 'buildout', option, hint });
}
