// Whatever a user writes between `[name:` and `]`, the answer is a boolean or a BuildoutError:
// never a crash, never another error type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import { CTX, LINUX_311, WINDOWS_27_32 } from './fixtures.js';
import { evaluateConditionWithFacts } from './index.js';

function outcome(expr: string): 'true' | 'false' | 'BuildoutError' | string {
  try {
    return String(evaluateConditionWithFacts(expr, LINUX_311, CTX));
  } catch (e) {
    return isBuildoutError(e) && (e as { code?: string }).code === 'ConditionError' ? 'BuildoutError' : `unexpected ${String(e)}`;
  }
}

// Pieces of the condition language, so random strings get past the tokenizer often.
const PIECES = [
  'python3', 'linux', 'sys', '.', 'version_info', 'platform', '(', ')', '[', ']', ',', ':', ' ', 'and', 'or', 'not', 'in',
  'is', 'None', '==', '<', '>=', '!=', '~=', '===', '"3.8"', "'linux'", '3', '-', '+', '*', '**', '0x', '"', "'", '\\',
  'python_version', 'sys_platform', 'startswith', 'lambda', 'for', 'if', 'else', '#', ';', 'é', '\u{1F600}', '1e9', '.5',
  'os', 'environ', 'path', 're', 'match', 'len', 'int', 'str', 'max', 'chr', '99999999999999999999', '{', '}', '=',
];

describe('any input', () => {
  it('random unicode strings give a boolean or a ConditionError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(outcome(s)).toMatch(/^(true|false|BuildoutError)$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('random sequences of language pieces give a boolean or a ConditionError', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), (parts) => {
        expect(outcome(parts.join(''))).toMatch(/^(true|false|BuildoutError)$/);
        expect(outcome(parts.join(' '))).toMatch(/^(true|false|BuildoutError)$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic for the same facts and depends on the facts', () => {
    expect(evaluateConditionWithFacts('windows', WINDOWS_27_32, CTX)).toBe(true);
    expect(evaluateConditionWithFacts('windows', LINUX_311, CTX)).toBe(false);
  });
});
