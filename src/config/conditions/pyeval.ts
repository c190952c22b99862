// Evaluates a parsed condition expression against a namespace of Python values, with
// Python's semantics for the operators it supports.
import { ConditionFailure, fail } from './failure.js';
import type { CompareOp, Node } from './pyparse.js';
import { numeric, pyCompare, pyEquals, PyDict, PyFunc, PyList, PyObject, PyTuple, type PyValue, repr, truthy, typeName } from './pyvalues.js';
import { stringMethod } from './pystrings.js';

export type Namespace = Readonly<Record<string, PyValue>>;

export function evaluate(node: Node, ns: Namespace): PyValue {
  switch (node.t) {
    case 'const':
      return node.v;
    case 'name':
      if (Object.hasOwn(ns, node.id)) return ns[node.id]!;
      throw new ConditionFailure('NameError', `name '${node.id}' is not defined`, { name: node.id, available: Object.keys(ns) });
    case 'tuple':
      return new PyTuple(node.items.map((n) => evaluate(n, ns)));
    case 'list':
      return new PyList(node.items.map((n) => evaluate(n, ns)));
    case 'attr':
      return getAttr(evaluate(node.obj, ns), node.name);
    case 'call': {
      const fn = evaluate(node.fn, ns);
      const args = node.args.map((n) => evaluate(n, ns));
      if (!(fn instanceof PyFunc)) fail('TypeError', `'${typeName(fn)}' object is not callable`);
      return fn.call(args);
    }
    case 'index':
      return getItem(evaluate(node.obj, ns), evaluate(node.index, ns));
    case 'slice':
      return getSlice(evaluate(node.obj, ns), node, ns);
    case 'unary': {
      const v = evaluate(node.operand, ns);
      if (node.op === 'not') return !truthy(v);
      const n = numeric(v);
      if (n === undefined) fail('TypeError', `bad operand type for unary ${node.op}: '${typeName(v)}'`);
      return node.op === '-' ? -n : n;
    }
    case 'binop':
      return binop(node.op, evaluate(node.left, ns), evaluate(node.right, ns));
    case 'bool': {
      // Python returns the deciding operand itself, not a bool
      const left = evaluate(node.left, ns);
      if (node.op === 'and' ? !truthy(left) : truthy(left)) return left;
      return evaluate(node.right, ns);
    }
    case 'compare': {
      let left = evaluate(node.first, ns);
      for (const [op, rightNode] of node.rest) {
        const right = evaluate(rightNode, ns);
        if (!compare(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'ifexp':
      return truthy(evaluate(node.cond, ns)) ? evaluate(node.then, ns) : evaluate(node.else, ns);
  }
}

export function getAttr(obj: PyValue, name: string): PyValue {
  if (obj instanceof PyObject || (obj instanceof PyTuple && obj.typeName !== 'tuple')) {
    if (Object.hasOwn(obj.attrs, name)) return obj.attrs[name]!;
  }
  if (typeof obj === 'string') {
    const m = stringMethod(obj, name);
    if (m) return m;
  }
  if (obj instanceof PyTuple) {
    if (name === 'count') return new PyFunc('count', (a) => BigInt(obj.items.filter((x) => pyEquals(x, arg(a, 0, 'count'))).length));
    if (name === 'index') return new PyFunc('index', (a) => indexOf(obj.items, arg(a, 0, 'index')));
  }
  if (obj instanceof PyDict && name === 'get') {
    return new PyFunc('get', (a) => {
      const key = arg(a, 0, 'get');
      return typeof key === 'string' && obj.entries.has(key) ? obj.entries.get(key)! : (a[1] ?? null);
    });
  }
  const available = obj instanceof PyObject || obj instanceof PyTuple ? Object.keys(obj.attrs) : [];
  const owner = obj instanceof PyObject && obj.typeName === 'module' ? `module '${obj.label.replace(/^<module '([^']*)'>$/, '$1')}'` : `'${typeName(obj)}' object`;
  throw new ConditionFailure('AttributeError', `${owner} has no attribute '${name}' (or buildout-ts does not support it)`, { name, available });
}

// --- internal ---

function compare(op: CompareOp, a: PyValue, b: PyValue): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    case 'is':
      return identical(a, b);
    case 'is not':
      return !identical(a, b);
  }
}

function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') fail('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyTuple || container instanceof PyList) return container.items.some((x) => x === item || pyEquals(x, item));
  if (container instanceof PyDict) return typeof item === 'string' && container.entries.has(item);
  return fail('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

// `is`: singletons and same objects; equal small values count as identical (CPython caches them).
function identical(a: PyValue, b: PyValue): boolean {
  if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'object') return a === b;
  return a === b;
}

function binop(op: '+' | '-' | '*' | '**', a: PyValue, b: PyValue): PyValue {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (typeof x === 'bigint' && typeof y === 'bigint' && (op !== '**' || y >= 0n)) {
      // keep a condition from computing a number of millions of digits
      if (op === '**' && BigInt(x.toString(2).length) * y > 100_000n) fail('Unsupported', 'numbers this large are not supported in conditions');
      return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x ** y;
    }
    const [p, q] = [Number(x), Number(y)];
    if (op === '**' && p === 0 && q < 0) fail('ValueError', 'ZeroDivisionError: 0.0 cannot be raised to a negative power');
    return op === '+' ? p + q : op === '-' ? p - q : op === '*' ? p * q : p ** q;
  }
  if (op === '*') {
    // "ab" * 2, (1,) * 3, 2 * "ab"
    const [seq, times] = numeric(b) !== undefined ? [a, numeric(b)] : [b, numeric(a)];
    if (typeof times === 'bigint' && (typeof seq === 'string' || seq instanceof PyTuple || seq instanceof PyList)) {
      const n = times < 0n ? 0 : Number(times);
      const len = typeof seq === 'string' ? seq.length : seq.items.length;
      if (n * len > 100_000) fail('Unsupported', 'sequences this long are not supported in conditions');
      if (typeof seq === 'string') return seq.repeat(n);
      const items = Array.from({ length: n }, () => seq.items).flat();
      return seq instanceof PyList ? new PyList(items) : new PyTuple(items);
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
    if (a instanceof PyList && b instanceof PyList) return new PyList([...a.items, ...b.items]);
  }
  return fail('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function getItem(obj: PyValue, key: PyValue): PyValue {
  if (obj instanceof PyDict) {
    if (typeof key === 'string' && obj.entries.has(key)) return obj.entries.get(key)!;
    return fail('KeyError', `KeyError: ${repr(key)}`);
  }
  const seq = sequence(obj);
  const n = numeric(key);
  if (typeof n !== 'bigint') fail('TypeError', `${typeName(obj)} indices must be integers, not ${typeName(key)}`);
  const len = BigInt(seq.length);
  const i = n < 0n ? n + len : n;
  if (i < 0n || i >= len) fail('IndexError', `${typeName(obj) === 'str' ? 'string' : typeName(obj)} index out of range`);
  const item = seq[Number(i)]!;
  return item;
}

function getSlice(obj: PyValue, node: Extract<Node, { t: 'slice' }>, ns: Namespace): PyValue {
  const seq = sequence(obj);
  const bound = (n: Node | undefined): bigint | undefined => {
    if (!n) return undefined;
    const v = evaluate(n, ns);
    if (v === null) return undefined;
    const x = numeric(v);
    if (typeof x !== 'bigint') fail('TypeError', `slice indices must be integers or None, not ${typeName(v)}`);
    return x;
  };
  const step = bound(node.step) ?? 1n;
  if (step === 0n) fail('ValueError', 'slice step cannot be zero');
  const len = BigInt(seq.length);
  const clamp = (v: bigint | undefined, dflt: bigint, lo: bigint, hi: bigint) => {
    if (v === undefined) return dflt;
    const w = v < 0n ? v + len : v;
    return w < lo ? lo : w > hi ? hi : w;
  };
  const picked: PyValue[] = [];
  if (step > 0n) {
    const start = clamp(bound(node.lower), 0n, 0n, len);
    const stop = clamp(bound(node.upper), len, 0n, len);
    for (let i = start; i < stop; i += step) picked.push(seq[Number(i)]!);
  } else {
    const start = clamp(bound(node.lower), len - 1n, -1n, len - 1n);
    const stop = clamp(bound(node.upper), -1n, -1n, len - 1n);
    for (let i = start; i > stop; i += step) picked.push(seq[Number(i)]!);
  }
  if (typeof obj === 'string') return picked.join('');
  return obj instanceof PyList ? new PyList(picked) : new PyTuple(picked);
}

function sequence(obj: PyValue): readonly PyValue[] {
  if (typeof obj === 'string') return Array.from(obj);
  if (obj instanceof PyTuple || obj instanceof PyList) return obj.items;
  return fail('TypeError', `'${typeName(obj)}' object is not subscriptable`);
}

function indexOf(items: readonly PyValue[], x: PyValue): bigint {
  const i = items.findIndex((y) => pyEquals(x, y));
  if (i < 0) fail('ValueError', 'tuple.index(x): x not in tuple');
  return BigInt(i);
}

export function arg(args: PyValue[], i: number, fn: string): PyValue {
  if (i >= args.length) fail('TypeError', `${fn}() missing required argument ${i + 1}`);
  return args[i]!;
}
