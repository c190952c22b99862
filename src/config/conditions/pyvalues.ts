// Python values for condition expressions and the Python rules for them: truthiness,
// equality, ordering, repr. None is null, bool is boolean, int is bigint, float is number,
// str is string; containers and modules are the classes below.
import { fail } from './failure.js';

export type PyValue = null | boolean | bigint | number | string | PyTuple | PyList | PyObject | PyFunc | PyDict;

export class PyTuple {
  /** typeName/attrs make named tuples such as sys.version_info */
  constructor(
    readonly items: readonly PyValue[],
    readonly typeName = 'tuple',
    readonly attrs: Readonly<Record<string, PyValue>> = {},
  ) {}
}

export class PyList {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A module or a plain object with attributes (sys, os.path, a regex match). */
export class PyObject {
  constructor(
    readonly typeName: string,
    readonly label: string,
    readonly attrs: Readonly<Record<string, PyValue>>,
    readonly truthy = true,
  ) {}
}

export class PyFunc {
  constructor(
    readonly name: string,
    readonly call: (args: PyValue[]) => PyValue,
  ) {}
}

export class PyDict {
  /** `source` is called on each use, so os.environ sees the current environment */
  constructor(private readonly source: () => ReadonlyMap<string, PyValue>) {}
  get entries(): ReadonlyMap<string, PyValue> {
    return this.source();
  }
}

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
  }
  if (v instanceof PyTuple) return v.typeName;
  if (v instanceof PyList) return 'list';
  if (v instanceof PyFunc) return 'builtin_function_or_method';
  if (v instanceof PyDict) return 'dict';
  return v.typeName;
}

export function truthy(v: PyValue): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0; // NaN is true, as in Python
    case 'string':
      return v !== '';
  }
  if (v instanceof PyTuple || v instanceof PyList) return v.items.length > 0;
  if (v instanceof PyDict) return v.entries.size > 0;
  if (v instanceof PyObject) return v.truthy;
  return true;
}

/** bool, int and float as a number for arithmetic and comparisons; undefined otherwise. */
export function numeric(v: PyValue): bigint | number | undefined {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  return undefined;
}

export function pyEquals(a: PyValue, b: PyValue): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return compareNumbers(x, y) === 0;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof PyTuple && b instanceof PyTuple) return sameItems(a.items, b.items);
  if (a instanceof PyList && b instanceof PyList) return sameItems(a.items, b.items);
  return a === b;
}

/** Python ordering (`<` and friends): numbers, strings, and tuples/lists of the same kind. */
export function pyCompare(a: PyValue, b: PyValue, op: string): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    const c = compareNumbers(x, y);
    if (Number.isNaN(c)) return NaN;
    return c;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  const seq = (v: PyValue) => (v instanceof PyTuple ? ['tuple', v.items] : v instanceof PyList ? ['list', v.items] : undefined) as [string, readonly PyValue[]] | undefined;
  const sa = seq(a);
  const sb = seq(b);
  if (sa && sb && sa[0] === sb[0]) {
    const n = Math.min(sa[1].length, sb[1].length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(sa[1][i]!, sb[1][i]!)) return pyCompare(sa[1][i]!, sb[1][i]!, op);
    }
    return sa[1].length - sb[1].length;
  }
  return fail('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function repr(v: PyValue): string {
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isInteger(v) ? v.toFixed(1) : String(v);
    case 'string':
      return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${repr(v.items[0]!)},)` : `(${v.items.map(repr).join(', ')})`;
  if (v instanceof PyList) return `[${v.items.map(repr).join(', ')}]`;
  if (v instanceof PyFunc) return `<built-in function ${v.name}>`;
  if (v instanceof PyDict) return `{${[...v.entries].map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
  return v.label;
}

/** `str(v)` */
export function str(v: PyValue): string {
  return typeof v === 'string' ? v : repr(v);
}

// --- internal ---

function compareNumbers(x: bigint | number, y: bigint | number): number {
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const a = Number(x);
  const b = Number(y);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

// By code point, as Python compares str (JS `<` compares UTF-16 units).
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function sameItems(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]!));
}
