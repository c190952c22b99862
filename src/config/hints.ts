// "Did you mean …?" for misspelt section and option names.

/** The closest candidate within a small edit distance, if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const max = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c, max);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= max ? best : undefined;
}

/** A hint sentence, or undefined. */
export function suggestion(kind: 'section' | 'option' | 'command', word: string, candidates: Iterable<string>): string | undefined {
  const s = didYouMean(word, candidates);
  return s === undefined ? undefined : `Did you mean the ${kind} '${s}'?`;
}

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string
 * alignment), giving up (returning max+1) once it exceeds max. Every
 * did-you-mean of the tool uses it.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}
