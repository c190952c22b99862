// The str methods conditions use: sys.platform.startswith('linux'), platform.system().lower().
import { fail } from './failure.js';
import { PyFunc, PyList, PyTuple, type PyValue, typeName } from './pyvalues.js';

export function stringMethod(s: string, name: string): PyFunc | undefined {
  const make = (fn: (args: PyValue[]) => PyValue) => new PyFunc(name, fn);
  switch (name) {
    case 'startswith':
    case 'endswith':
      return make((a) => {
        const prefixes = a[0] instanceof PyTuple ? a[0].items : [a[0]];
        return prefixes.some((p) => {
          if (typeof p !== 'string') fail('TypeError', `${name} first arg must be str or a tuple of str, not ${typeName(p ?? null)}`);
          return name === 'startswith' ? s.startsWith(p) : s.endsWith(p);
        });
      });
    case 'lower':
      return make(() => s.toLowerCase());
    case 'upper':
      return make(() => s.toUpperCase());
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return make((a) => strip(s, name, a[0] ?? null));
    case 'split':
      return make((a) => {
        const sep = a[0] ?? null;
        if (sep === null) return new PyList(s.split(/\s+/).filter(Boolean));
        if (typeof sep !== 'string') fail('TypeError', `must be str or None, not ${typeName(sep)}`);
        if (sep === '') fail('ValueError', 'empty separator');
        return new PyList(s.split(sep));
      });
    case 'replace':
      return make((a) => {
        const [from, to] = a;
        if (typeof from !== 'string' || typeof to !== 'string') fail('TypeError', 'replace() arguments must be str');
        return s.split(from).join(to);
      });
    case 'find':
      return make((a) => {
        if (typeof a[0] !== 'string') fail('TypeError', `must be str, not ${typeName(a[0] ?? null)}`);
        return BigInt(s.indexOf(a[0]));
      });
    case 'isdigit':
      return make(() => s !== '' && /^\p{Nd}+$/u.test(s));
    default:
      return undefined;
  }
}

function strip(s: string, how: string, chars: PyValue): string {
  if (chars !== null && typeof chars !== 'string') fail('TypeError', `${how} arg must be None or str`);
  const set = chars === null ? undefined : new Set(Array.from(chars));
  const drop = (c: string) => (set ? set.has(c) : /\s/.test(c));
  const cs = Array.from(s);
  let i = 0;
  let j = cs.length;
  if (how !== 'rstrip') while (i < j && drop(cs[i]!)) i++;
  if (how !== 'lstrip') while (j > i && drop(cs[j - 1]!)) j--;
  return cs.slice(i, j).join('');
}
