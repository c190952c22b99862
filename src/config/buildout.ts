// A loaded configuration whose sections materialise lazily (spec §5, §9.4):
// macros, then substitution in sorted option order, then <part-dependencies>, then
// the recipe seam (`PartInitializer.initialize`, zc.buildout's recipe constructor).
// Each section records the sections it touched while it materialised; the install list
// is a depth-first walk over those from [buildout] and `parts` (spec §9.4).
import { readFileSync } from 'node:fs';
import { BuildoutError, COMPUTED_VALUE, isBuildoutError } from '../errors.js';
import type { Loc } from '../errors.js';
import type { AnnotatedOption, Buildout, PartInitializer, SectionReader } from './types.js';
import type { Opt, RawConfig } from './model.js';
import { expandMacros } from './macros.js';
import { circularReference, substitute } from './substitute.js';
import type { SubstitutionHost } from './substitute.js';
import { finishBuildoutSection, joinDirectoriesRaw } from './buildout-defaults.js';
import { cmpStr } from './merge.js';
import { suggestion } from './hints.js';
import { isPendingWork } from './pending.js';

interface SectionState {
  name: string;
  raw: Map<string, Opt>;
  data: Map<string, string>;
  done: boolean;
  record?: Record<string, string>;
  /** sections first touched while this one materialised, in order (edges of the install order) */
  deps: string[];
  /** options the recipe removed (not taken from `raw` again) */
  deleted?: Set<string>;
}

export interface BuildoutModelInit {
  configFile: string;
  files: string[];
  raw: RawConfig;
  recipes?: PartInitializer;
  /** appended to eggs-directory when abi-tag-eggs = true */
  abiTag?: string;
}

export class BuildoutModel implements Buildout {
  readonly configFile: string;
  readonly files: readonly string[];
  /** warnings found while resolving (e.g. a non-numeric socket-timeout) */
  readonly warnings: string[] = [];
  /** what zc.buildout prints while loading, e.g. a skipped optional-extends */
  readonly notices: string[] = [];
  private readonly raw: RawConfig;
  /** raw data as merged, before the directory joins: what annotate shows */
  private readonly annotatedRaw: RawConfig;
  private readonly states = new Map<string, SectionState>();
  private readonly recipes: PartInitializer | undefined;
  private readonly host: SubstitutionHost;
  /** sections being materialised, innermost last: a section touched now is a dependency of the last */
  private readonly stack: string[] = [];
  /** section → options some substituted value referred to */
  private readonly referenced = new Map<string, Set<string>>();
  private readonly abiTag: string | undefined;

  constructor(init: BuildoutModelInit) {
    this.configFile = init.configFile;
    this.files = init.files;
    this.raw = init.raw;
    this.recipes = init.recipes;
    this.abiTag = init.abiTag;
    this.annotatedRaw = new Map(init.raw);
    const bo = init.raw.get('buildout')!;
    const boCopy = { opts: new Map(bo.opts), loc: bo.loc };
    this.raw.set('buildout', boCopy);
    joinDirectoriesRaw(boCopy);
    this.host = {
      get: (section, option, seen, ref) => {
        let set = this.referenced.get(section);
        if (!set) this.referenced.set(section, (set = new Set()));
        set.add(option);
        return this.getOption(section, option, seen, ref);
      },
      missingOption: (section, option, seen, ref) => {
        const [s, o] = splitKey(seen[seen.length - 1]);
        const st = this.states.get(section);
        throw new BuildoutError('MissingOption', `Referenced option does not exist: ${section} ${option}`, {
          loc: this.locateText(s, o, ref),
          section: s,
          option: o,
          hint: (st ? suggestion('option', option, st.raw.keys()) : undefined) ?? this.recipes?.missingHint?.(section, option),
        });
      },
      badReference: (message, seen, ref) => {
        const [s, o] = splitKey(seen[seen.length - 1]);
        throw new BuildoutError('UserError', message, { loc: this.locateText(s, o, ref), section: s, option: o, hint: 'A reference is written ${section:option} (or ${:option} for the same section).' });
      },
    };
  }

  /**
   * Materialises [buildout] (and what it references: parts referenced from it are
   * initialised first, as in zc.buildout's constructor). Throws PendingWork when a recipe
   * needs asynchronous work: call it again (settle) after the work.
   */
  start(): void {
    if (this.states.get('buildout')?.done) return;
    const st = this.init('buildout');
    finishBuildoutSection(st.data, (o) => this.locate('buildout', o), (m) => this.warnings.push(m), this.abiTag);
    // the same object stays the [buildout] record: later changes (setOption) show through
    const record = st.record!;
    for (const k of Object.keys(record)) delete record[k];
    Object.assign(record, toRecord(st));
  }

  /** The materialised [buildout] section. */
  get buildout(): Readonly<Record<string, string>> {
    const st = this.states.get('buildout');
    if (!st?.done) throw new Error('BuildoutModel.start() has not completed');
    return st.record!;
  }

  sectionNames(): string[] {
    return [...this.raw.keys()];
  }

  hasSection(name: string): boolean {
    return this.raw.has(name);
  }

  section(name: string): Readonly<Record<string, string>> {
    const st = this.init(name);
    return st.record ?? toRecord(st);
  }

  installList(): string[] {
    const { parts, problems } = this.checkParts();
    if (problems.length) throw problems[0];
    return parts;
  }

  checkParts(): { parts: string[]; problems: BuildoutError[] } {
    const problems: BuildoutError[] = [];
    const parts = this.buildout.parts;
    if (parts === undefined) {
      problems.push(
        new BuildoutError('MissingOption', 'Missing option: buildout:parts', {
          loc: headerIn(this.configFile, 'buildout'),
          section: 'buildout',
          option: 'parts',
          hint: suggestion('option', 'parts', Object.keys(this.buildout)) ?? 'List the parts to install in [buildout], e.g. `parts = instance` (it may be empty).',
        }),
      );
      return { parts: this.walkParts([]), problems };
    }
    const roots: string[] = [];
    for (const part of parts.split(/\s+/).filter(Boolean)) {
      if (!this.raw.has(part)) {
        problems.push(
          new BuildoutError('MissingSection', `The part '${part}' has no section: there is no [${part}] in the configuration.`, {
            hint: suggestion('section', part, this.raw.keys()) ?? `Define a [${part}] section with a recipe, or remove ${part} from buildout:parts.`,
            loc: this.locate('buildout', 'parts'),
            section: 'buildout',
            option: 'parts',
          }),
        );
        continue;
      }
      let sec: Readonly<Record<string, string>>;
      try {
        sec = this.section(part);
      } catch (e) {
        if (!isBuildoutError(e)) throw e;
        problems.push(e);
        continue;
      }
      roots.push(part);
      if (sec.recipe === undefined) {
        problems.push(
          new BuildoutError('MissingOption', `Missing option: ${part}:recipe`, {
            loc: this.locate(part),
            section: part,
            option: 'recipe',
            hint: `Every part listed in buildout:parts needs a recipe, e.g. \`recipe = plone.recipe.zope2instance\`.`,
          }),
        );
      }
    }
    return { parts: this.walkParts(roots), problems };
  }

  reader(part: string): SectionReader {
    const model = this;
    return {
      get options() {
        const st = model.states.get('buildout');
        if (st?.done) return st.record!;
        model.touch(part, 'buildout');
        return model.lazyBuildout();
      },
      section: (name) => {
        this.touch(part, name);
        return this.section(name);
      },
      hasSection: (name) => this.raw.has(name),
      sectionNames: () => this.sectionNames(),
      setOption: (section, option, value) => this.setOption(section, option, value),
      addSection: (name, options) => this.addSection(name, options),
    };
  }

  addSection(name: string, options: Readonly<Record<string, string>>): void {
    if (this.raw.has(name)) throw new BuildoutError('UserError', `Section already exists: ${name}`, { section: name });
    const loc = { file: COMPUTED_VALUE };
    const opts = new Map(Object.entries(options).map(([k, v]) => [k, { value: String(v), loc, history: [{ op: '=' as const, value: String(v), loc }] }]));
    this.raw.set(name, { opts, loc });
    this.annotatedRaw.set(name, { opts, loc });
    this.init(name);
  }

  setOption(section: string, option: string, value: string): void {
    const st = this.init(section);
    st.data.set(option, value);
    st.deleted?.delete(option);
    if (st.record) st.record[option] = value;
  }

  annotated(section: string): Readonly<Record<string, AnnotatedOption>> | undefined {
    const sec = this.annotatedRaw.get(section);
    if (!sec) return undefined;
    const out: Record<string, AnnotatedOption> = Object.create(null);
    for (const [k, o] of sec.opts) out[k] = { value: o.value, history: o.history };
    return out;
  }

  referencedOptions(section: string): ReadonlySet<string> {
    return this.referenced.get(section) ?? new Set();
  }

  macroSources(): ReadonlySet<string> {
    const out = new Set<string>();
    for (const sec of this.raw.values()) for (const src of sec.opts.get('<')?.value.split(/\s+/) ?? []) if (src) out.add(src);
    return out;
  }

  locate(section: string, option?: string): Loc | undefined {
    const sec = this.raw.get(section);
    if (!sec) return undefined;
    if (option === undefined) return sec.loc;
    return this.states.get(section)?.raw.get(option)?.loc ?? sec.opts.get(option)?.loc ?? sec.loc;
  }

  sectionProblems(name: string): BuildoutError[] {
    let first: BuildoutError;
    try {
      this.section(name);
      return [];
    } catch (e) {
      if (!isBuildoutError(e)) throw e;
      first = e;
    }
    const rawSec = this.raw.get(name);
    if (!rawSec || this.states.has(name)) return [first];
    // Evaluate the options one by one in a section state left "in progress", so that a
    // failing option does not hide the next one; then forget it (the section stays failed).
    const st: SectionState = { name, raw: new Map(), data: new Map(), done: false, deps: [] };
    const errors: BuildoutError[] = [];
    this.states.set(name, st);
    try {
      st.raw = expandMacros(name, rawSec.opts, this.raw);
      for (const key of [...st.raw.keys()].sort(cmpStr)) {
        try {
          this.getOption(name, key, []);
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
          errors.push(e);
        }
      }
    } catch (e) {
      if (!isBuildoutError(e)) throw e;
      errors.push(e);
    } finally {
      this.states.delete(name);
    }
    // what failed after the options (<part-dependencies>, the recipe hook) is the first error
    return errors.length ? errors : [first];
  }

  /** Materialises a section once; a section in progress is returned as it is (back references). */
  private init(name: string): SectionState {
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined) this.touch(parent, name);
    const existing = this.states.get(name);
    if (existing && (existing.done || this.stack.includes(name))) return existing;
    const rawSec = this.raw.get(name);
    if (!rawSec) throw this.missingSection(name);
    // a section suspended by PendingWork resumes with the values it already has
    const st: SectionState = existing ?? { name, raw: expandMacros(name, rawSec.opts, this.raw), data: new Map(), done: false, deps: [] };
    this.states.set(name, st);
    this.stack.push(name);
    try {
      for (const key of [...st.raw.keys()].sort(cmpStr)) this.getOption(name, key, []);
      if (name !== 'buildout') {
        for (const dep of (st.data.get('<part-dependencies>') ?? '').split(/\s+/).filter(Boolean)) this.init(dep);
        if (st.data.get('recipe') && this.recipes) {
          const set = this.recipes.initialize(name, toRecord(st), this.reader(name));
          for (const [k, v] of Object.entries(set ?? {})) {
            if (v === null) {
              st.data.delete(k);
              (st.deleted ??= new Set()).add(k);
            } else st.data.set(k, v);
          }
        }
      }
      st.done = true;
      st.record = toRecord(st);
      return st;
    } catch (e) {
      // suspended: while the work runs, its options can still be read one by one (as in zc.buildout)
      if (isPendingWork(e)) throw e;
      this.states.delete(name);
      if (isBuildoutError(e)) e.while(`Initializing section ${name}.`);
      throw e;
    } finally {
      this.stack.pop();
    }
  }

  /** Records that `from` read `to` (an edge of the install order). */
  private touch(from: string, to: string): void {
    if (from === to) return;
    const st = this.states.get(from);
    if (st && !st.deps.includes(to)) st.deps.push(to);
  }

  /** Sections with a recipe, each after the sections it depends on, from [buildout] and then `roots`. */
  private walkParts(roots: readonly string[]): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const st = this.states.get(name);
      if (!st?.done) return;
      for (const d of st.deps) visit(d);
      if (name !== 'buildout' && st.data.get('recipe')) out.push(name);
    };
    visit('buildout');
    for (const r of roots) visit(r);
    return out;
  }

  // [buildout] while it is being materialised: options computed on access.
  private lazyBuildout(): Readonly<Record<string, string>> {
    const get = (k: string) => (typeof k === 'string' ? this.getOption('buildout', k, []) : undefined);
    const keys = () => [...new Set([...(this.states.get('buildout')?.raw.keys() ?? []), ...(this.states.get('buildout')?.data.keys() ?? [])])];
    return new Proxy(Object.create(null) as Record<string, string>, {
      get: (_t, k) => get(k as string),
      has: (_t, k) => get(k as string) !== undefined,
      ownKeys: () => keys(),
      // existence without computing the value (Object.keys must not substitute anything)
      getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && keys().includes(k) ? { value: undefined, enumerable: true, configurable: true, writable: true } : undefined),
    });
  }

  /**
   * Where `text` (a reference) was written into section:option: the step of its +=/-=
   * history that holds it (an extended file, a macro source), else where it was last set.
   */
  private locateText(section: string, option: string, text: string): Loc | undefined {
    const opt = this.states.get(section)?.raw.get(option) ?? this.raw.get(section)?.opts.get(option);
    const step = opt?.history.findLast((h) => h.value.includes(text));
    if (step) return step.loc;
    return this.locate(section, option);
  }

  /** The substituted value of section:option (memoised), or undefined when missing. `ref` is the reference being resolved. */
  private getOption(section: string, option: string, seen: string[], ref?: string): string | undefined {
    if (!this.raw.has(section)) {
      const err = this.missingSection(section);
      const [s, o] = splitKey(seen[seen.length - 1]);
      return this.rethrow(err, s, o, ref);
    }
    // a section being materialised gives its options one by one; so does a suspended one
    // read from outside any materialisation (while PendingWork's work runs)
    const existing = this.states.get(section);
    const lazy = existing !== undefined && !existing.done && (this.stack.length === 0 || this.stack.includes(section));
    const st = lazy ? existing : this.init(section);
    if (lazy) {
      const parent = this.stack[this.stack.length - 1];
      if (parent !== undefined) this.touch(parent, section);
    }
    const known = st.data.get(option);
    if (known !== undefined) return known;
    if (st.deleted?.has(option)) return undefined;
    const opt = st.raw.get(option);
    if (!opt) return undefined;
    let v = opt.value;
    if (v.includes('${')) {
      const key = `${section}:${option}`;
      if (seen.includes(key)) throw circularReference(seen, key, opt.loc);
      seen.push(key);
      try {
        v = substitute(v, section, seen, this.host);
      } catch (e) {
        if (isBuildoutError(e) && seen.length === 1) e.while(`Getting option ${key}.`);
        throw e;
      } finally {
        seen.pop();
      }
    }
    st.data.set(option, v);
    return v;
  }

  private rethrow(err: BuildoutError, section: string, option: string, ref: string | undefined): never {
    throw new BuildoutError(err.code, err.message, { hint: err.hint, loc: ref ? this.locateText(section, option, ref) : this.locate(section, option), section, option });
  }

  private missingSection(name: string): BuildoutError {
    return new BuildoutError('MissingSection', `The referenced section, '${name}', was not defined.`, {
      section: name,
      hint: suggestion('section', name, this.raw.keys()),
    });
  }
}

/** The section's options in raw order, then options added by the recipe. */
function toRecord(st: SectionState): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const k of st.raw.keys()) {
    if (st.deleted?.has(k)) continue;
    const v = st.data.get(k);
    if (v !== undefined) out[k] = v;
  }
  for (const [k, v] of st.data) if (!(k in out)) out[k] = v;
  return out;
}

/** The `[name]` header of a file (its first line), or just the file. */
function headerIn(file: string, name: string): Loc {
  try {
    const i = readFileSync(file, 'utf8')
      .split(/\r\n|\r|\n/)
      .findIndex((l) => l.startsWith('[') && l.slice(1).trimStart().startsWith(name) && /^[\s:\]]/.test(l.slice(1).trimStart().slice(name.length)));
    return i < 0 ? { file } : { file, line: i + 1 };
  } catch {
    return { file };
  }
}

function splitKey(key: string | undefined): [string, string] {
  if (!key) return ['', ''];
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}
