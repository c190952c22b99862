// Small Python-compatible string helpers (os.path.join, the recipe's indent()).
import { posix } from 'node:path';

/** os.path.join(a, b) on POSIX: an absolute b wins, no normalisation. */
export function pyJoin(a: string, ...rest: string[]): string {
  let out = a;
  for (const b of rest) {
    if (b.startsWith('/')) out = b;
    else if (out === '' || out.endsWith('/')) out += b;
    else out += '/' + b;
  }
  return out;
}

/** os.path.dirname */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

/** os.path.abspath relative to `cwd` */
export function pyAbspath(p: string, cwd: string): string {
  return posix.normalize(p.startsWith('/') ? p : posix.join(cwd, p)).replace(/(.)\/$/, '$1');
}

/** The recipe's indent(): prefix every non-empty line with `amount` spaces. */
export function indent(snippet: string, amount: number): string {
  const ws = ' '.repeat(amount);
  return snippet
    .split('\n')
    .map((s) => (s ? ws + s : ''))
    .join('\n');
}

/** Python's str.splitlines() (without keepends). */
export function pySplitlines(s: string): string[] {
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's str.split() without arguments. */
export function pySplit(s: string): string[] {
  return s.split(/[\s\x1c-\x1f\x85]+/).filter(Boolean);
}
