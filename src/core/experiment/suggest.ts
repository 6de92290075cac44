/** "Did you mean …?" suggestions for misspelt layer names, properties and enum values. */

/** Levenshtein edit distance between two strings (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `name` (case-insensitive edit distance), or undefined when none is close:
 * at most a third of the longer name's length (and at least 2) edits away, or one name a prefix of
 * the other (at least 3 characters, e.g. `valAcc` → `valAccuracy`).
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(lower, lc);
    const limit = Math.max(2, Math.floor(Math.max(name.length, c.length) / 3));
    const prefix = Math.min(lower.length, lc.length) >= 3 && (lc.startsWith(lower) || lower.startsWith(lc));
    if ((d <= limit || prefix) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` when a close candidate exists, else `''`. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}
