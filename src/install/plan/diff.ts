// A unified diff of two texts (the `diff -u` format: `---`/`+++` headers, `@@` hunks with
// three lines of context), for the generated configuration files `buildout plan` shows.
// Configuration files are small: a longest-common-subsequence table over the lines that
// differ (common head and tail trimmed first) is plenty; beyond a size limit the changed
// middle is shown as removed and added whole.

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The unified diff from `before` to `after`; '' when they are equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  for (const hunk of hunks(ops)) out.push(hunk);
  return out.join('\n') + '\n';
}

// --- internal ---

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  const middle = ma.length * mb.length > MAX_CELLS ? [...ma.map((line): Op => ({ kind: '-', line })), ...mb.map((line): Op => ({ kind: '+', line }))] : lcsOps(ma, mb);
  return [...a.slice(0, head).map((line): Op => ({ kind: ' ', line })), ...middle, ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line }))];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths of the longest common subsequence of a[i..] and b[j..]
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => table[i * (m + 1) + j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

function* hunks(ops: Op[]): Generator<string> {
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    let end = changed[k]!;
    // join changes whose contexts touch
    while (k + 1 < changed.length && changed[k + 1]! - end <= 2 * CONTEXT) end = changed[++k]!;
    k++;
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    let aStart = 0;
    let bStart = 0;
    for (let i = 0; i < start; i++) {
      if (ops[i]!.kind !== '+') aStart++;
      if (ops[i]!.kind !== '-') bStart++;
    }
    const slice = ops.slice(start, stop);
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    yield `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`;
    for (const o of slice) yield `${o.kind}${o.line}`;
  }
}

// diff's numbering: the first line is 1; an empty range names the line before it
function range(start: number, length: number): string {
  const first = length === 0 ? start : start + 1;
  return length === 1 ? `${first}` : `${first},${length}`;
}
