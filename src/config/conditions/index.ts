// Evaluates the expression of a conditional section header `[name:EXPR]` for the Python that
// will run the parts, as zc.buildout's configparser does (3.0+):
//  1. EXPR is tried as a PEP 508 marker (`python_version >= "3.8"`);
//  2. otherwise `[EXPR]` is evaluated as a Python list with `_default_globals()` and its
//     FIRST item decides: `eval('[' + expr + ']', globals)[0]`, then `if not ...` skips the
//     section. So `[x: linux, False]` follows `linux`, and `[x: (0, 0)]` is true (a tuple).
//     (buildout/buildout src/zc/buildout/configparser.py, parse(): `section_condition =
//     eval(expr, context)[0]` where expr = '[' + expression + ']' plus the header's comment.)
// The caller has already replaced `\x23`/`\x3b` with `#`/`;`.
import { BuildoutError, formatLoc, isBuildoutError, type Loc } from '../../errors.js';
import { getPythonFacts } from '../../python/facts.js';
import type { PythonFacts } from '../../python/types.js';
import { ConditionFailure } from './failure.js';
import { evaluateMarker, markerEnvironment, parseMarker } from './marker.js';
import { evaluate } from './pyeval.js';
import { BUILTIN_NAMES, conditionGlobals } from './pyglobals.js';
import { parseListBody } from './pyparse.js';
import { truthy } from './pyvalues.js';
import { editDistance } from '../hints.js';

export interface ConditionContext {
  /** the interpreter whose facts the expression describes */
  executable: string;
  /** where the header is, for errors */
  loc: Loc;
  /** the section name of the header */
  section: string;
}

/** True when the section applies. Throws BuildoutError (code `ConditionError`) for a bad expression. */
export async function evaluateCondition(expr: string, ctx: ConditionContext): Promise<boolean> {
  if (expr.trim() === '') throw emptyError(expr, ctx);
  let facts: PythonFacts;
  try {
    facts = await getPythonFacts(ctx.executable);
  } catch (e) {
    if (isBuildoutError(e)) throw e.while(`Evaluating the condition of [${ctx.section}:${expr.trim()}] (${formatLoc(ctx.loc)})`);
    throw e;
  }
  return evaluateConditionWithFacts(expr, facts, ctx);
}

/** The pure part of evaluateCondition: the same rules against given facts. */
export function evaluateConditionWithFacts(expr: string, facts: PythonFacts, ctx: Pick<ConditionContext, 'loc' | 'section'>): boolean {
  if (expr.trim() === '') throw emptyError(expr, ctx);
  try {
    const marker = parseMarker(expr);
    if (marker) return evaluateMarker(marker, markerEnvironment(facts));
    const items = parseListBody(expr);
    const ns = conditionGlobals(facts);
    // Python evaluates every item of the list, then the first one decides.
    const values = items.map((n) => evaluate(n, ns));
    if (values.length === 0) throw emptyError(expr, ctx);
    return truthy(values[0]!);
  } catch (e) {
    if (e instanceof ConditionFailure) throw toBuildoutError(e, expr, ctx);
    if (isBuildoutError(e)) throw e;
    // anything else is a bug in this module; still report it against the header
    throw new BuildoutError('ConditionError', `Could not evaluate the condition [${ctx.section}:${expr.trim()}]: ${(e as Error)?.message ?? String(e)}`, {
      loc: ctx.loc,
      section: ctx.section,
      cause: e,
    });
  }
}

// --- internal ---

function toBuildoutError(e: ConditionFailure, expr: string, ctx: Pick<ConditionContext, 'loc' | 'section'>): BuildoutError {
  const header = `[${ctx.section}:${expr.trim()}]`;
  let hint: string | undefined;
  if (e.unknown) {
    const close = suggestions(e.unknown.name, e.unknown.available);
    const names = e.unknown.available.filter((n) => !BUILTIN_NAMES.has(n)).sort().join(', ');
    hint = `${close.length ? `Did you mean ${close.map((n) => `'${n}'`).join(' or ')}? ` : ''}Available names: ${names}${e.kind === 'NameError' ? ', and builtins such as True, False, None, int, str, len, any, all' : ''}.`;
  } else if (e.kind === 'Unsupported') {
    hint = 'buildout-ts evaluates a subset of Python in conditions; a PEP 508 marker such as python_version >= "3.8" or the names python3, linux, windows, bits64 cover most needs.';
  } else if (e.kind === 'SyntaxError') {
    hint = 'Write `#` as \\x23 and `;` as \\x3b inside a condition; otherwise use a PEP 508 marker (python_version >= "3.8") or a Python expression (sys.version_info >= (3, 8)).';
  }
  const label = e.kind === 'Unsupported' ? 'unsupported expression' : e.kind;
  // file:line travel in `loc` (printed by formatUserError), so the message does not repeat them
  return new BuildoutError('ConditionError', `Invalid condition in section header ${header}: ${label}: ${e.message}`, {
    hint,
    loc: ctx.loc,
    section: ctx.section,
    cause: e,
  });
}

function emptyError(expr: string, ctx: Pick<ConditionContext, 'loc' | 'section'>): BuildoutError {
  return new BuildoutError('ConditionError', `Empty condition in section header [${ctx.section}:${expr}]`, {
    hint: `Remove the ':' to make [${ctx.section}] unconditional, or write a condition such as [${ctx.section}:python3] or [${ctx.section}:sys_platform == "linux"].`,
    loc: ctx.loc,
    section: ctx.section,
  });
}

// The names closest to the unknown one (all at the smallest edit distance, if it is small).
function suggestions(name: string, available: readonly string[]): string[] {
  const scored = available
    .map((n) => [n, editDistance(name.toLowerCase(), n.toLowerCase())] as const)
    .filter(([n, d]) => d <= Math.max(1, Math.floor(Math.max(n.length, name.length) / 3)));
  const best = Math.min(...scored.map(([, d]) => d));
  return scored
    .filter(([, d]) => d === best)
    .map(([n]) => n)
    .sort()
    .slice(0, 3);
}

