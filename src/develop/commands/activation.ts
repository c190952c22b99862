// develop activate / deactivate / reset: the develop state of packages in
// .mr.developer.cfg (true, false, or forgotten), used by the next buildout run.
import { existsSync } from 'node:fs';
import { saveState } from '../state.js';
import type { ParsedSubcommand } from './args.js';
import { selectPackages, sorted, type DevelopCommandContext } from './context.js';

export async function activate(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  return setFlag(ctx, parsed, true);
}

export async function deactivate(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  return setFlag(ctx, parsed, false);
}

export async function reset(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const { state } = ctx.session;
  let changed = false;
  for (const name of sorted(selectPackages(ctx, parsed))) {
    if (!state.develop.has(name)) continue;
    state.develop.delete(name);
    ctx.log.info(`Reset develop state of '${name}'.`);
    changed = true;
  }
  if (changed) ctx.log.warn("Don't forget to run buildout again, so the deactived packages are actually not used anymore.");
  save(ctx);
  return 0;
}

/** Saves the state as mr.developer does after a change of the develop states. */
export function save(ctx: DevelopCommandContext): void {
  const { state } = ctx.session;
  saveState(state, !hasCommand(state.buildoutArgs.slice(1)));
}

// --- internal ---

async function setFlag(ctx: DevelopCommandContext, parsed: ParsedSubcommand, on: boolean): Promise<number> {
  const { state, sources } = ctx.session;
  let changed = false;
  for (const name of sorted(selectPackages(ctx, parsed))) {
    const source = sources.get(name)!;
    if (!existsSync(source.path)) {
      ctx.log.warn(`The package '${name}' matched, but isn't checked out.`);
      continue;
    }
    if (!source.egg) {
      ctx.log.warn(`The package '${name}' isn't an egg.`);
      continue;
    }
    if (on) {
      state.develop.set(name, true);
      ctx.log.info(`Activated '${name}'.`);
      changed = true;
    } else if (state.develop.get(name) !== false) {
      state.develop.set(name, false);
      ctx.log.info(`Deactivated '${name}'.`);
      changed = true;
    }
  }
  if (changed) ctx.log.warn(on ? "Don't forget to run buildout again, so the actived packages are actually used." : "Don't forget to run buildout again, so the deactived packages are actually not used anymore.");
  save(ctx);
  return 0;
}

// The stored arguments hold a command word (then mr.developer does not store them again).
function hasCommand(args: string[]): boolean {
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      // -c FILE and -t SECS take the next word
      if (/^-[vqhWUoOnNDAs]*[ct]$/.test(a)) i++;
      i++;
    } else if (a.includes('=')) i++;
    else return true;
  }
  return false;
}
