// PEP 508 environment markers (`python_version >= "3.8" and sys_platform == "linux"`), the
// first thing zc.buildout (3.0+) tries for a condition. Grammar and comparison rules follow
// the `packaging` library 26.x: version variables compare as PEP 440 specifiers when the
// right side is a valid specifier; everything else compares as strings, where `<`/`>` are
// always false and `<=`/`>=` mean equality.
import type { PythonFacts } from '../../python/types.js';
import { fail } from './failure.js';
import { parseSpecifier, specifierContains, type SpecOp } from './pep440.js';
import { decodeEscapes } from './pytokens.js';

type Operand = { variable: string } | { literal: string };
type MarkerNode = { op: 'and' | 'or'; left: MarkerNode; right: MarkerNode } | { lhs: Operand; cmp: string; rhs: Operand };

// Spellings of the variables, including the old dotted aliases packaging still accepts.
const VARIABLE_RE =
  /(python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups)(?![\p{L}\p{N}_])/uy;
const OP_RE = /(===|==|~=|!=|<=|>=|<|>)/y;
const STRING_RE = /'([^']*)'|"([^"]*)"/y;
const WS_RE = /[ \t]*/y;

const VERSION_VARIABLES = new Set(['implementation_version', 'platform_release', 'python_full_version', 'python_version']);

/** Parses a marker; undefined when the text is not a valid marker (then it is Python). */
export function parseMarker(text: string): MarkerNode | undefined {
  const p = new MarkerParser(text);
  try {
    const node = p.marker();
    p.ws();
    return p.pos === text.length ? node : undefined;
  } catch (e) {
    if (e === NOT_A_MARKER) return undefined;
    throw e;
  }
}

/** The marker environment of packaging's `default_environment()` for these facts. */
export function markerEnvironment(facts: PythonFacts): Record<string, string> {
  const full = facts.version.endsWith('+') ? `${facts.version}local` : facts.version;
  return {
    implementation_name: facts.implementation,
    implementation_version: facts.implementationVersion ?? full,
    os_name: facts.osName,
    platform_machine: facts.machine,
    platform_release: facts.release,
    platform_system: facts.system,
    platform_version: facts.platformVersion,
    python_full_version: full,
    platform_python_implementation: facts.pythonImplementation,
    python_version: `${facts.versionInfo[0]}.${facts.versionInfo[1]}`,
    sys_platform: facts.platform,
    extra: '',
  };
}

export function evaluateMarker(node: MarkerNode, env: Record<string, string>): boolean {
  if ('op' in node) {
    // no short-circuit: packaging evaluates every comparison, so an invalid one always fails
    const left = evaluateMarker(node.left, env);
    const right = evaluateMarker(node.right, env);
    return node.op === 'and' ? left && right : left || right;
  }
  // packaging looks up the variable on the left if there is one, else the one on the right
  const key = 'variable' in node.lhs ? node.lhs.variable : 'variable' in node.rhs ? node.rhs.variable : undefined;
  if (key === undefined) fail('UndefinedComparison', `a marker must compare a variable, not two strings`);
  const value = (o: Operand) => {
    if ('literal' in o) return o.literal;
    const v = env[o.variable];
    if (v === undefined) fail('NameError', `the marker variable '${o.variable}' is not defined here`);
    return v;
  };
  let lhs = value(node.lhs);
  let rhs = value(node.rhs);
  if (key === 'extra') {
    lhs = canonicalizeName(lhs);
    rhs = canonicalizeName(rhs);
  }
  if (VERSION_VARIABLES.has(key) && node.cmp !== 'in' && node.cmp !== 'not in') {
    const spec = parseSpecifier(node.cmp as SpecOp, rhs);
    if (spec) return specifierContains(spec, lhs);
  }
  switch (node.cmp) {
    case 'in':
      return rhs.includes(lhs);
    case 'not in':
      return !rhs.includes(lhs);
    case '==':
    case '<=':
    case '>=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '<':
    case '>':
      return false;
    default:
      return fail('UndefinedComparison', `undefined comparison '${node.cmp}' on ${pyRepr(lhs)} and ${pyRepr(rhs)}`);
  }
}

// --- internal ---

const NOT_A_MARKER = Symbol('not a marker');

class MarkerParser {
  pos = 0;
  constructor(private readonly src: string) {}

  ws(): void {
    WS_RE.lastIndex = this.pos;
    this.pos += WS_RE.exec(this.src)![0].length;
  }

  marker(): MarkerNode {
    let node = this.and();
    while (this.keyword('or')) node = { op: 'or', left: node, right: this.and() };
    return node;
  }

  private and(): MarkerNode {
    let node = this.atom();
    while (this.keyword('and')) node = { op: 'and', left: node, right: this.atom() };
    return node;
  }

  private atom(): MarkerNode {
    this.ws();
    if (this.src[this.pos] === '(') {
      this.pos++;
      const node = this.marker();
      this.ws();
      if (this.src[this.pos] !== ')') throw NOT_A_MARKER;
      this.pos++;
      return node;
    }
    const lhs = this.operand();
    const cmp = this.comparison();
    const rhs = this.operand();
    return { lhs, cmp, rhs };
  }

  private operand(): Operand {
    this.ws();
    VARIABLE_RE.lastIndex = this.pos;
    const v = VARIABLE_RE.exec(this.src);
    if (v && this.wordStart()) {
      this.pos += v[0].length;
      const name = v[0].replace('.', '_');
      return { variable: name === 'python_implementation' ? 'platform_python_implementation' : name };
    }
    STRING_RE.lastIndex = this.pos;
    const s = STRING_RE.exec(this.src);
    if (s) {
      this.pos += s[0].length;
      return { literal: decodeEscapes(s[1] ?? s[2]!) };
    }
    throw NOT_A_MARKER;
  }

  private comparison(): string {
    this.ws();
    if (this.keyword('in')) return 'in';
    if (this.keyword('not')) {
      if (!this.keyword('in')) throw NOT_A_MARKER;
      return 'not in';
    }
    OP_RE.lastIndex = this.pos;
    const m = OP_RE.exec(this.src);
    if (!m) throw NOT_A_MARKER;
    this.pos += m[0].length;
    return m[0];
  }

  private keyword(word: string): boolean {
    this.ws();
    if (!this.src.startsWith(word, this.pos) || !this.wordStart()) return false;
    if (/[\p{L}\p{N}_]/u.test(this.src[this.pos + word.length] ?? '')) return false;
    this.pos += word.length;
    return true;
  }

  // `\b` before a word: the previous character is not a word character
  private wordStart(): boolean {
    return this.pos === 0 || !/[\p{L}\p{N}_]/u.test(this.src[this.pos - 1]!);
  }
}

function canonicalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

function pyRepr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
