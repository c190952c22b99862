// The environment's state file, `<venv>/buildout-ts-state.json`: what the
// environment was last built from (as a hash) and what we learnt about it, so
// that an unchanged run returns without starting any Python process.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PythonFacts } from './types.js';
import type { Picked } from './picked.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export const STATE_FILE = 'buildout-ts-state.json';
const STATE_VERSION = 2;

export interface EnvState {
  version: number;
  /** hash of every input (see EnvInputs); equal → nothing to do */
  key: string;
  /** hash of the inputs that need a fresh environment when they change (interpreter, site-packages) */
  baseKey: string;
  baseExecutable: string;
  facts: PythonFacts;
  sitePackages: string;
  /** develop folders installed, with their distribution keys (to uninstall removed ones) */
  develop: { dir: string; key: string }[];
  /** versions picked for unpinned distributions (shown again on every run, as zc.buildout does) */
  picked?: Picked[];
}

/** Everything the environment depends on. */
export interface EnvInputs {
  executable: { path: string; realpath: string; mtimeMs: number; size: number };
  includeSitePackages: boolean;
  requirements: string[];
  constraints: string[];
  develop: { dir: string; stamps: Record<string, number> }[];
  findLinks: string[];
  index: string;
  noIndex: boolean;
  preferFinal: boolean;
  offline: boolean;
  /** toggling allow-picked-versions re-checks the environment */
  allowPicked: boolean;
  /** --frozen: the lock file's digest (absent when not frozen, so older state keys stay valid) */
  frozen?: string;
}

export function hashInputs(inputs: EnvInputs): { key: string; baseKey: string } {
  const base = { executable: inputs.executable, includeSitePackages: inputs.includeSitePackages };
  return { key: sha256(stableJson(inputs)), baseKey: sha256(stableJson(base)) };
}

export function readState(prefix: string): EnvState | undefined {
  try {
    const s = JSON.parse(readFileSync(join(prefix, STATE_FILE), 'utf8')) as EnvState;
    return s.version === STATE_VERSION && typeof s.key === 'string' && s.facts ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(prefix: string, state: Omit<EnvState, 'version'>): void {
  writeFileAtomic(join(prefix, STATE_FILE), stableJson({ version: STATE_VERSION, ...state }, 2) + '\n');
}

// --- internal ---

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// JSON with sorted object keys, so equal inputs hash equally.
function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v), indent);
}
