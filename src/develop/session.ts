// Everything mr.developer reads before it acts, in one place for the extension
// (a buildout run) and the develop command: the settings of `[buildout]`, the
// state files, the sources (with rewrites applied) and auto-checkout.
import { existsSync, mkdirSync } from 'node:fs';
import type { Logger } from '../log.js';
import { autoCheckoutSet } from './develop-info.js';
import { readSettings } from './settings.js';
import { parseSources } from './sources.js';
import { readState, type DevelopState } from './state.js';
import type { DevelopSettings, Source } from './types.js';

/** The part of a loaded buildout mr.developer reads. */
export interface BuildoutAccess {
  options: Readonly<Record<string, string>>;
  section(name: string): Readonly<Record<string, string>>;
  hasSection(name: string): boolean;
}

export interface DevelopSession {
  settings: DevelopSettings;
  state: DevelopState;
  sources: Map<string, Source>;
  autoCheckout: Set<string>;
  /** `mr.developer-threads`, else `[mr.developer] threads`, else 5 */
  threads: number;
}

/** `create: false` reads only (mr.developer makes a missing sources directory on every run). */
export function openSession(buildout: BuildoutAccess, log: Logger, opts: { create?: boolean } = {}): DevelopSession {
  const settings = readSettings(buildout.options);
  if (opts.create !== false && existsSync(settings.directory) && !existsSync(settings.sourcesDir)) {
    log.info(`Creating missing sources dir ${settings.sourcesDir}.`);
    mkdirSync(settings.sourcesDir, { recursive: true });
  }
  const state = readState(settings.directory);
  for (const w of state.warnings) log.warn(w);
  const section = buildout.hasSection(settings.sourcesSection) ? buildout.section(settings.sourcesSection) : undefined;
  const sources = parseSources(section, settings, state.rewrites, log);
  return { settings, state, sources, autoCheckout: autoCheckoutSet(settings, sources), threads: settings.threads ?? state.threads };
}
