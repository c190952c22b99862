// Recursive-descent parser for the Python expressions of condition headers. It covers what
// real configs use (names, attributes, calls, subscripts and slices, tuples, lists, literals,
// comparisons incl. chains, `in`/`is`, `and`/`or`/`not`, `x if c else y`, + - * **) and rejects
// everything else (lambdas, comprehensions, bitwise ops, ...) with an 'Unsupported' failure.
import { fail } from './failure.js';
import { tokenize, type Token } from './pytokens.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export type Node =
  | { t: 'const'; v: null | boolean | bigint | number | string }
  | { t: 'name'; id: string }
  | { t: 'tuple' | 'list'; items: Node[] }
  | { t: 'attr'; obj: Node; name: string }
  | { t: 'call'; fn: Node; args: Node[] }
  | { t: 'index'; obj: Node; index: Node }
  | { t: 'slice'; obj: Node; lower?: Node; upper?: Node; step?: Node }
  | { t: 'unary'; op: '-' | '+' | 'not'; operand: Node }
  | { t: 'binop'; op: '+' | '-' | '*' | '**'; left: Node; right: Node }
  | { t: 'bool'; op: 'and' | 'or'; left: Node; right: Node }
  | { t: 'compare'; first: Node; rest: [CompareOp, Node][] }
  | { t: 'ifexp'; cond: Node; then: Node; else: Node };

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);
const UNSUPPORTED_OPS = new Set(['//', '/', '%', '<<', '>>', '&', '|', '^', '~', '@', ':=', '{', '->']);

/** Parses the inside of zc.buildout's `[EXPR]` list: zero or more comma-separated expressions. */
export function parseListBody(src: string): Node[] {
  const p = new Parser(tokenize(src));
  const items: Node[] = [];
  while (!p.atEnd()) {
    items.push(p.expression());
    if (!p.accept(',')) break;
  }
  p.expectEnd();
  return items;
}

// --- internal ---

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private get tok(): Token {
    return this.toks[this.i]!;
  }

  atEnd(): boolean {
    return this.tok.kind === 'end';
  }

  private isOp(v: string): boolean {
    return this.tok.kind === 'op' && this.tok.value === v;
  }

  private isKeyword(v: string): boolean {
    return this.tok.kind === 'name' && this.tok.value === v;
  }

  accept(v: string): boolean {
    if (this.isOp(v) || this.isKeyword(v)) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(v: string): void {
    if (!this.accept(v)) this.unexpected(`expected '${v}'`);
  }

  expectEnd(): void {
    if (!this.atEnd()) this.unexpected();
  }

  private unexpected(why?: string): never {
    const t = this.tok;
    if (t.kind === 'op' && UNSUPPORTED_OPS.has(t.value)) fail('Unsupported', `the operator '${t.value}' is not supported in conditions`);
    if (t.kind === 'name' && (t.value === 'lambda' || t.value === 'for')) fail('Unsupported', `'${t.value}' (lambdas and comprehensions) is not supported in conditions`);
    const what = t.kind === 'end' ? 'end of expression' : `'${'value' in t ? String(t.value) : ''}' at column ${t.pos + 1}`;
    fail('SyntaxError', `invalid syntax: unexpected ${what}${why ? ` (${why})` : ''}`);
  }

  expression(): Node {
    if (this.isKeyword('lambda')) this.unexpected();
    const node = this.orTest();
    if (!this.accept('if')) return node;
    const cond = this.orTest();
    this.expect('else');
    return { t: 'ifexp', cond, then: node, else: this.expression() };
  }

  private orTest(): Node {
    let node = this.andTest();
    while (this.accept('or')) node = { t: 'bool', op: 'or', left: node, right: this.andTest() };
    return node;
  }

  private andTest(): Node {
    let node = this.notTest();
    while (this.accept('and')) node = { t: 'bool', op: 'and', left: node, right: this.notTest() };
    return node;
  }

  private notTest(): Node {
    if (this.accept('not')) return { t: 'unary', op: 'not', operand: this.notTest() };
    return this.comparison();
  }

  private comparison(): Node {
    const first = this.arith();
    const rest: [CompareOp, Node][] = [];
    for (;;) {
      const op = this.compareOp();
      if (!op) break;
      rest.push([op, this.arith()]);
    }
    return rest.length ? { t: 'compare', first, rest } : first;
  }

  private compareOp(): CompareOp | undefined {
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) if (this.accept(op)) return op;
    if (this.isOp('<>')) fail('SyntaxError', `the '<>' operator does not exist in Python 3; use '!='`);
    if (this.accept('in')) return 'in';
    if (this.isKeyword('not') && this.toks[this.i + 1]?.kind === 'name' && (this.toks[this.i + 1] as { value: string }).value === 'in') {
      this.i += 2;
      return 'not in';
    }
    if (this.accept('is')) return this.accept('not') ? 'is not' : 'is';
    return undefined;
  }

  private arith(): Node {
    let node = this.term();
    for (;;) {
      if (this.accept('+')) node = { t: 'binop', op: '+', left: node, right: this.term() };
      else if (this.accept('-')) node = { t: 'binop', op: '-', left: node, right: this.term() };
      else return node;
    }
  }

  private term(): Node {
    let node = this.factor();
    while (this.accept('*')) node = { t: 'binop', op: '*', left: node, right: this.factor() };
    return node;
  }

  private factor(): Node {
    if (this.accept('-')) return { t: 'unary', op: '-', operand: this.factor() };
    if (this.accept('+')) return { t: 'unary', op: '+', operand: this.factor() };
    const node = this.postfix(this.atom());
    // `**` binds tighter than a unary minus on its left, looser on its right: -2**-1 == -(2**(-1))
    if (this.accept('**')) return { t: 'binop', op: '**', left: node, right: this.factor() };
    return node;
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.accept('.')) {
        const t = this.tok;
        if (t.kind !== 'name' || KEYWORDS.has(t.value)) this.unexpected('expected an attribute name');
        this.i++;
        node = { t: 'attr', obj: node, name: t.value };
      } else if (this.accept('(')) {
        const args: Node[] = [];
        while (!this.isOp(')')) {
          if (this.isOp('*') || this.isOp('**')) fail('Unsupported', `argument unpacking is not supported in conditions`);
          args.push(this.expression());
          if (this.isOp('=')) fail('Unsupported', `keyword arguments are not supported in conditions`);
          if (!this.accept(',')) break;
        }
        this.expect(')');
        node = { t: 'call', fn: node, args };
      } else if (this.accept('[')) {
        node = this.subscript(node);
      } else {
        return node;
      }
    }
  }

  private subscript(obj: Node): Node {
    const part = () => (this.isOp(':') || this.isOp(']') ? undefined : this.expression());
    const lower = part();
    if (!this.accept(':')) {
      if (!lower) this.unexpected();
      if (this.isOp(',')) fail('Unsupported', `tuple subscripts are not supported in conditions`);
      this.expect(']');
      return { t: 'index', obj, index: lower };
    }
    const upper = part();
    const step = this.accept(':') ? part() : undefined;
    this.expect(']');
    return { t: 'slice', obj, ...(lower && { lower }), ...(upper && { upper }), ...(step && { step }) };
  }

  private atom(): Node {
    const t = this.tok;
    switch (t.kind) {
      case 'int':
      case 'float':
      case 'str':
        this.i++;
        return { t: 'const', v: t.value };
      case 'name':
        if (t.value === 'True' || t.value === 'False' || t.value === 'None') {
          this.i++;
          return { t: 'const', v: t.value === 'None' ? null : t.value === 'True' };
        }
        if (KEYWORDS.has(t.value)) this.unexpected();
        this.i++;
        return { t: 'name', id: t.value };
      case 'op':
        if (t.value === '(' || t.value === '[') return this.display(t.value);
        return this.unexpected();
      case 'end':
        return this.unexpected();
    }
  }

  // `( )`, `(x)`, `(x,)`, `[x, y]`
  private display(open: '(' | '['): Node {
    const close = open === '(' ? ')' : ']';
    this.i++;
    const items: Node[] = [];
    let comma = false;
    while (!this.isOp(close)) {
      if (this.isOp('*')) fail('Unsupported', `unpacking with '*' is not supported in conditions`);
      items.push(this.expression());
      if (this.isKeyword('for')) this.unexpected();
      if (!this.accept(',')) break;
      comma = true;
    }
    this.expect(close);
    if (open === '(' && items.length === 1 && !comma) return items[0]!;
    return { t: open === '(' ? 'tuple' : 'list', items };
  }
}
