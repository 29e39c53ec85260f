// The one typo matcher: which known name a person most likely meant. Used for node keys, labels,
// field names, variables (core) and the CLI's flags and choices.

let rowA = new Int32Array(64),
  rowB = new Int32Array(64),
  rowC = new Int32Array(64);

/** Edit distance where swapping two neighbours counts once ("qualifed", "lots" for "lost"); case-insensitive callers lower first. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (b.length + 1 > rowA.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
    rowC = new Int32Array(b.length + 1);
  }
  let prev2 = rowA,
    prev = rowB,
    cur = rowC;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}

/**
 * The candidate a person most likely meant: same text in another case, or within a third of its
 * length in edits (at least one; a swap of neighbours is one edit). Ties go to the first in order.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 200) return undefined;
  const lw = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    if (Math.abs(c.length - word.length) > Math.max(1, Math.floor(Math.max(c.length, word.length) / 3))) continue;
    const lc = c.toLowerCase();
    const d = lc === lw ? 0.5 : editDistance(lw, lc);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
}

/** Suggesting keys for dangling names costs O(keys × name²); hostile files stop getting suggestions past this. */
const SUGGESTION_BUDGET = 2_000_000;

export function makeSuggester(candidates: string[]): (word: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  let spent = 0;
  return (word) => {
    if (cache.has(word)) return cache.get(word);
    spent += candidates.length * Math.max(1, word.length);
    const s = spent > SUGGESTION_BUDGET ? undefined : closestName(word, candidates);
    cache.set(word, s);
    return s;
  };
}
