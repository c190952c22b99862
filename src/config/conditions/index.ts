// STUB (owned by the conditions work): evaluates the expression of a conditional
// section header `[name:EXPR]` for the Python that will run the parts.
import type { Loc } from '../../errors.js';

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
  void expr;
  void ctx;
  throw new Error('evaluateCondition: not implemented yet');
}
