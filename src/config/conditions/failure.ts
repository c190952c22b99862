// The one error type raised while parsing or evaluating a condition. index.ts turns it into a
// BuildoutError that names the file, line, section and expression.

export type FailureKind =
  | 'SyntaxError'
  | 'NameError'
  | 'AttributeError'
  | 'TypeError'
  | 'IndexError'
  | 'KeyError'
  | 'ValueError'
  | 'UndefinedComparison'
  | 'Unsupported';

export class ConditionFailure extends Error {
  override readonly name = 'ConditionFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** for NameError / AttributeError: the unknown name and the names that would have worked */
    readonly unknown?: { name: string; available: readonly string[] },
  ) {
    super(message);
  }
}

export function fail(kind: FailureKind, message: string): never {
  throw new ConditionFailure(kind, message);
}
