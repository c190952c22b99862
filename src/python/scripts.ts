// zc.buildout-style console scripts in bin/: one small Python file per
// console_scripts entry point, run by the environment's python, optionally
// with sys.path insertions, initialization code and fixed arguments; plus the
// `interpreter` script (a python with the environment, like zc.buildout's `py`).
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, isAbsolute, sep } from 'node:path';
import { BuildoutError } from '../errors.js';
import { envMetadata, resolveDists } from './metadata.js';
import type { PythonEnv } from './types.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export interface ConsoleScriptOptions {
  /** where the scripts go (`[buildout] bin-directory`) */
  binDir: string;
  /** requirement strings whose console_scripts get scripts (`Zope[wsgi]` is fine) */
  eggs: readonly string[];
  /**
   * Which scripts to write and under which names (`scripts = a b=c` → {a: 'a', b: 'c'}).
   * undefined: all of them; an empty object: none (zc.recipe.egg's `scripts =`).
   */
  scripts?: Readonly<Record<string, string>>;
  /** name of an interpreter script to write (`interpreter = py`) */
  interpreter?: string;
  /** Python code run before the entry point is imported */
  initialization?: string;
  /** the entry point is called with these (Python source, e.g. `'a', 1`) */
  arguments?: string;
  /** directories put at the front of sys.path */
  extraPaths?: readonly string[];
  /** extra scripts: `name=module:attr` */
  entryPoints?: readonly string[];
  /** also write the scripts of the eggs' dependencies (`dependent-scripts = true`) */
  dependentScripts?: boolean;
  /**
   * Write paths under this directory relative to the script's location
   * (`relative-paths = true` → the buildout directory), as zc.buildout does.
   */
  relativePaths?: string;
  /**
   * `initialization` and `arguments` exactly as given, as zc.buildout's easy_install.scripts
   * writes them (a Python recipe's own strings, which may start or end with newlines).
   */
  verbatim?: boolean;
  /** the part the scripts are for: errors name it and the option at fault */
  part?: string;
}

/** Writes the scripts atomically with mode 0755 and returns their paths. */
export async function writeConsoleScripts(env: PythonEnv, opts: ConsoleScriptOptions): Promise<string[]> {
  const entries: { name: string; module: string; attrs: string }[] = [];
  if (opts.eggs.length > 0 || opts.interpreter) {
    const meta = await envMetadata(env);
    const eggs = { section: opts.part, option: 'eggs' };
    const requested = resolveDists(meta, opts.eggs, false, eggs);
    const dists = opts.dependentScripts ? resolveDists(meta, opts.eggs, true, eggs) : requested;
    for (const d of dists) for (const [name, value] of Object.entries(d.scripts)) entries.push({ name, ...splitEntryPoint(value, name, eggs) });
  }
  for (const ep of opts.entryPoints ?? []) {
    const m = /^\s*([^\s=]+)\s*=\s*(\S+)\s*$/.exec(ep);
    const where = { section: opts.part, option: 'entry-points' };
    if (!m) throw new BuildoutError('InvalidOption', `Invalid entry point '${ep}': expected name=module:attr`, where);
    entries.push({ name: m[1]!, ...splitEntryPoint(m[2]!, m[1]!, where) });
  }
  mkdirSync(opts.binDir, { recursive: true });
  const created: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const target = opts.scripts === undefined ? e.name : opts.scripts[e.name];
    if (target === undefined || seen.has(target)) continue;
    seen.add(target);
    // os.path.join semantics: an absolute script name (zc.recipe.testrunner's) is used as it is
    const path = isAbsolute(target) ? target : join(opts.binDir, target);
    writeScript(path, renderEntryScript(env, path, e, opts));
    created.push(path);
  }
  if (opts.interpreter) {
    const path = isAbsolute(opts.interpreter) ? opts.interpreter : join(opts.binDir, opts.interpreter);
    writeScript(path, renderInterpreter(env, path, opts));
    created.push(path);
  }
  return created;
}

/** Parses a `name=value` list into the scripts filter (`a b=c` → {a:'a', b:'c'}). */
export function parseScriptsFilter(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const item of value.split(/\s+/).filter(Boolean)) {
    const i = item.indexOf('=');
    if (i < 0) out[item] = item;
    else out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

// --- internal ---

// `where`: the option that brought the entry point (an egg's own, or `entry-points`)
function splitEntryPoint(value: string, name: string, where: { section: string | undefined; option: string }): { module: string; attrs: string } {
  const m = /^\s*([\w.]+)\s*:\s*([\w.]+)\s*(?:\[.*\])?\s*$/.exec(value);
  if (!m) throw new BuildoutError('InvalidOption', `Invalid entry point for script '${name}': '${value}' (expected module:attr)`, where);
  return { module: m[1]!, attrs: m[2]! };
}

function renderEntryScript(env: PythonEnv, path: string, e: { module: string; attrs: string }, opts: ConsoleScriptOptions): string {
  return [
    shebang(env.python),
    pathSetup(path, opts),
    initializationText(opts),
    `import ${e.module}`,
    '',
    "if __name__ == '__main__':",
    `    sys.exit(${e.module}.${e.attrs}(${opts.verbatim ? (opts.arguments ?? '') : (opts.arguments?.trim() ?? '')}))`,
    '',
  ].join('\n');
}

// A python with the environment and extra paths: `-c CODE`, `-m MODULE`, `-i`,
// `SCRIPT args`, or an interactive prompt, as zc.buildout's interpreter script.
function renderInterpreter(env: PythonEnv, path: string, opts: ConsoleScriptOptions): string {
  return [
    shebang(env.python),
    pathSetup(path, opts),
    initializationText(opts),
    INTERPRETER_BODY,
  ].join('\n');
}

const INTERPRETER_BODY = `_interactive = len(sys.argv) == 1
if not _interactive:
    import getopt as _getopt
    _opts, _rest = _getopt.getopt(sys.argv[1:], 'ic:m:')
    for (_flag, _value) in _opts:
        if _flag == '-i':
            _interactive = True
        elif _flag == '-c':
            sys.argv[:] = ['-c'] + _rest
            _rest = []
            exec(compile(_value, '<string>', 'exec'))
        elif _flag == '-m':
            import runpy as _runpy
            sys.argv[:] = [_value] + _rest
            _rest = []
            _runpy.run_module(_value, run_name='__main__', alter_sys=True)
    if _rest:
        sys.argv[:] = _rest
        __file__ = _rest[0]
        with open(__file__) as _source:
            _code = compile(_source.read(), __file__, 'exec')
        del _opts, _rest, _source
        exec(_code)
if _interactive:
    del _interactive
    import code as _code_module
    _code_module.interact(banner='', local=globals(), exitmsg='')
`;

function shebang(python: string): string {
  // Linux truncates shebang lines after 127 bytes: run through sh then.
  if (python.length + 2 < 127 && !/\s/.test(python)) return `#!${python}\n`;
  return `#!/bin/sh\n"exec" ${pyString(python)} "$0" "$@"\n`;
}

function pathSetup(scriptPath: string, opts: ConsoleScriptOptions): string {
  const paths = opts.extraPaths ?? [];
  const lines = ['import sys'];
  if (paths.length === 0) return lines.join('\n') + '\n';
  // relative paths need the script itself under the base directory to find it again
  const base = opts.relativePaths && isInside(dirname(scriptPath), opts.relativePaths) ? opts.relativePaths : undefined;
  const rel = base ? (p: string) => isInside(p, base) : () => false;
  if (paths.some(rel)) {
    // the base directory, found from the script's own location
    const up = relative(base!, dirname(scriptPath)).split(sep).filter(Boolean).length;
    lines.unshift('import os', '', 'join = os.path.join', 'base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))', ...Array.from({ length: up }, () => 'base = os.path.dirname(base)'), '');
  }
  lines.push('sys.path[0:0] = [');
  for (const p of paths) lines.push(rel(p) ? `  join(base, ${pyString(relative(base!, p))}),` : `  ${pyString(p)},`);
  lines.push('  ]');
  return lines.join('\n') + '\n';
}

function isInside(p: string, base: string): boolean {
  const r = relative(base, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

function pyString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

// zc.buildout puts a newline before and after the initialization code.
function initializationText(opts: ConsoleScriptOptions): string {
  if (opts.verbatim) return opts.initialization ? `${opts.initialization}\n` : '';
  return opts.initialization?.trim() ? `${dedent(opts.initialization)}\n` : '';
}

// Buildout values are already dedented; strip common indentation of code given by callers.
function dedent(code: string): string {
  const lines = code.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function writeScript(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) {
      chmodSync(path, 0o755);
      return;
    }
  } catch {
    // not there yet
  }
  writeFileAtomic(path, text, 0o755);
}
