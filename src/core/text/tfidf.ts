/**
 * TF-IDF document vectors: the baseline an unsupervised text run clusters beside the pretrained
 * document vectors (the text counterpart of raw pixels). The same weighting as scikit-learn's
 * `TfidfVectorizer` defaults (Pedregosa et al. 2011; sklearn 1.2 `feature_extraction/text.py`):
 * raw term counts, smoothed idf = ln((1 + n) / (1 + df)) + 1, every row L2-normalised; terms kept
 * with `min_df` = 2 documents, the `maxFeatures` most frequent in the corpus (ties: alphabetical, as
 * sklearn). Tokens are our tokenizer's (`tokenizer.ts`, the whole document, not truncated), so the
 * baseline sees the words the vectors miss too.
 */
import { tokenize } from './tokenizer.js';

/** Result of {@link tfidfRows}. */
export interface TfidfRows {
  /** [documents, terms.length] row-major; each row has L2 norm 1 (or is all zero: no kept term). */
  x: Float32Array;
  /** The kept terms, in column order (alphabetical). */
  terms: string[];
}

/**
 * TF-IDF rows of `texts`.
 * @param minDf keep terms found in at least this many documents (default 2).
 * @param maxFeatures keep at most this many terms, the most frequent in the corpus (default 5,000).
 */
export function tfidfRows(texts: readonly string[], minDf = 2, maxFeatures = 5000): TfidfRows {
  const docs = texts.map((t) => {
    const counts = new Map<string, number>();
    for (const tok of tokenize(t)) counts.set(tok, (counts.get(tok) ?? 0) + 1);
    return counts;
  });
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  for (const d of docs) {
    for (const [w, c] of d) {
      df.set(w, (df.get(w) ?? 0) + 1);
      total.set(w, (total.get(w) ?? 0) + c);
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const kept = [...df.keys()].filter((w) => df.get(w)! >= minDf);
  kept.sort((a, b) => total.get(b)! - total.get(a)! || byName(a, b));
  const terms = kept.slice(0, maxFeatures).sort(byName);
  const column = new Map(terms.map((w, j) => [w, j]));
  const n = texts.length;
  const idf = terms.map((w) => Math.log((1 + n) / (1 + df.get(w)!)) + 1);
  const dim = terms.length;
  const x = new Float32Array(n * dim);
  docs.forEach((d, i) => {
    let norm = 0;
    const row = new Float64Array(dim);
    for (const [w, c] of d) {
      const j = column.get(w);
      if (j === undefined) continue;
      row[j] = c * idf[j]!;
      norm += row[j]! * row[j]!;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < dim; j++) x[i * dim + j] = row[j]! / norm;
  });
  return { x, terms };
}
