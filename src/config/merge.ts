// Merging config layers (spec §4): `+=`/`-=` line-wise, plain `=` overrides,
// history kept for annotate. Inputs are never mutated except `base` maps
// owned by the caller; Opt objects are immutable.
import type { HistoryEntry } from './types.js';
import type { Opt, RawConfig, RawSection } from './model.js';
import { cloneSection, nameOfKey, opOfKey } from './model.js';

/** Merges NEW into BASE, section by section (BASE is modified). */
export function mergeConfig(base: RawConfig, next: RawConfig): void {
  for (const [name, sec] of next) {
    const old = base.get(name);
    base.set(name, old ? mergeSection(old, sec) : newSection(sec));
  }
}

/**
 * A section that BASE lacks. A macro user (`<`) is copied verbatim: its
 * pending `+=`/`-=` wait for macro expansion. Otherwise `x += v` with no `x`
 * becomes `x = v` and `x -= v` becomes `x = ''`.
 * zc.buildout cuts the key with `[:-2]` here, so an unspaced `items+= a` defines
 * `item`; that is a defect: we strip the operator properly (documented deviation).
 */
export function newSection(sec: RawSection): RawSection {
  if (sec.opts.has('<')) return cloneSection(sec);
  return { opts: applyOps(new Map(), sec.opts, true), loc: sec.loc };
}

/** zc.buildout's _update_section: NEW's keys sorted by name, `x` < `x +` < `x -`. */
export function mergeSection(base: RawSection, next: RawSection): RawSection {
  return { opts: applyOps(new Map(base.opts), next.opts, false), loc: base.loc };
}

/** Merges NEW's options into s1 (modified and returned). */
export function applyOps(s1: Map<string, Opt>, next: ReadonlyMap<string, Opt>, isNew: boolean): Map<string, Opt> {
  const pending: string[] = [];
  for (const k of next.keys()) if (k.endsWith('+') || k.endsWith('-')) pending.push(k);
  if (!pending.length) {
    // the common case (no += / -=): plain overrides, no copy, no sort
    for (const [k, v] of next) {
      const old = s1.get(k);
      s1.set(k, old ? { ...v, history: [...old.history, ...v.history] } : v);
    }
    return s1;
  }
  const s2 = new Map(next);
  // keys of s2 whose value was computed from s1's (history already included)
  const derived = new Set<string>();
  for (const k of sortKeys(pending)) {
    const op = opOfKey(k);
    const v = next.get(k)!;
    const key = nameOfKey(k);
    let cur: Opt | undefined;
    let isDerived: boolean;
    if (s2.has(key)) {
      cur = s2.get(key);
      isDerived = derived.has(key);
    } else {
      cur = s1.get(key);
      isDerived = cur !== undefined;
    }
    let value: string;
    if (cur === undefined && isNew) value = op === '+=' ? v.value : '';
    else value = op === '+=' ? addLines(cur?.value ?? '', v.value) : removeLines(cur?.value ?? '', v.value);
    const history: HistoryEntry[] = [...(cur?.history ?? []), ...v.history];
    s2.set(key, { value, loc: v.loc, history });
    if (isDerived) derived.add(key);
    else derived.delete(key);
    s2.delete(k);
  }
  for (const [k, v] of s2) {
    const old = s1.get(k);
    s1.set(k, old && !derived.has(k) ? { ...v, history: [...old.history, ...v.history] } : v);
  }
  return s1;
}

/** `old.split('\n') + v.split('\n')`, so adding to '' gives a leading newline. */
export function addLines(old: string, added: string): string {
  return old + '\n' + added;
}

/** Drops every line of `old` that equals a line of `removed`. */
export function removeLines(old: string, removed: string): string {
  const drop = new Set(removed.split('\n'));
  return old
    .split('\n')
    .filter((l) => !drop.has(l))
    .join('\n');
}

/** Sorted by name, then `x` < `x +` < `x -` (zc.buildout's order, spec §4). */
export function sortKeys(keys: string[]): string[] {
  const sk = (k: string): [string, number, number] => [k.replace(/[ +-]+$/, ''), k.endsWith('-') ? 1 : 0, k.endsWith('+') ? 1 : 0];
  return keys
    .map((k) => [sk(k), k] as const)
    .sort((a, b) => cmpStr(a[0][0], b[0][0]) || a[0][1] - b[0][1] || a[0][2] - b[0][2])
    .map((x) => x[1]);
}

/** Code-point order, as Python compares str. */
export function cmpStr(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}
