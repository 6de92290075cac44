/**
 * Documents → token ids: the example store of text sources, and the vocabulary coverage every run and
 * `validate` report.
 *
 * Ids index the rows of the `embedding` layer: 0 is padding, 1 out-of-vocabulary (OOV), 2.. the
 * vectors' words in file order ({@link Vocabulary}). A document is its first `maxLength` tokens,
 * padded with 0 at the end; a document without any token is skipped and counted (`empty`).
 */
import { ExampleView, type ExampleSet, type ExampleStore } from '../data/example-set.js';
import { tokenize } from './tokenizer.js';

/** Row of the padding token. */
export const PAD_ID = 0;
/** Row shared by every out-of-vocabulary token. */
export const OOV_ID = 1;

/** Word → embedding row (2 + position in the vectors' word list). */
export interface Vocabulary {
  /** Rows of the embedding: words + 2 (padding and OOV). */
  rows: number;
  /** Row of `word`, or undefined when it is out of vocabulary. */
  idOf(word: string): number | undefined;
}

/** A vocabulary over `words` (first occurrence of a word wins). */
export function vocabularyOf(words: readonly string[]): Vocabulary {
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i + 2);
  });
  return { rows: words.length + 2, idOf: (w) => index.get(w) };
}

/** Counts of one set of documents against a vocabulary. */
export interface TextStats {
  /** Documents read (including the empty ones). */
  documents: number;
  /** Documents without any token: skipped. */
  empty: number;
  /** Documents longer than `maxLength` tokens: truncated. */
  truncated: number;
  /** Tokens in all kept documents, before truncation. */
  tokens: number;
  /** Of those, tokens found in the vocabulary. */
  tokensFound: number;
  /** Distinct tokens (types). */
  types: number;
  /** Distinct tokens found in the vocabulary. */
  typesFound: number;
  /** The most frequent out-of-vocabulary tokens with their counts (at most 10). */
  topOov: [string, number][];
}

/** One document as read from a source. */
export interface RawDocument {
  /** Where it came from: a file path, `file line 17`, `spam-2/00012.…`. */
  id: string;
  text: string;
  /** Raw label index in the source's class list. */
  label: number;
}

/** Token ids of documents, gathered as float32 [maxLength] rows (exact for ids < 2^24). */
export class TokenStore implements ExampleStore {
  readonly shape: number[];
  /**
   * @param ids      [count, maxLength] token ids.
   * @param texts    Each document's text (misclassified-document snippets).
   * @param ids_     Each document's id.
   */
  constructor(
    readonly ids: Int32Array,
    readonly count: number,
    readonly maxLength: number,
    readonly texts: string[],
    private readonly names: string[],
  ) {
    this.shape = [maxLength];
  }

  id(pos: number): string {
    return this.names[pos]!;
  }

  /** The first `chars` characters of a document, white space collapsed. */
  snippet(pos: number, chars = 200): string {
    const t = this.texts[pos]!.replace(/\s+/g, ' ').trim();
    return t.length > chars ? `${t.slice(0, chars - 1)}…` : t;
  }

  write(pos: number, out: Float32Array, offset: number): void {
    const n = this.maxLength;
    for (let k = 0; k < n; k++) out[offset + k] = this.ids[pos * n + k]!;
  }
}

/**
 * Tokenizes and encodes documents.
 * @returns the store of the non-empty documents (in input order), the input index of each stored
 *   document, and the counts.
 */
export function encodeDocuments(docs: readonly RawDocument[], vocab: Vocabulary, maxLength: number): { store: TokenStore; kept: number[]; stats: TextStats } {
  const has = (w: string) => vocab.idOf(w) !== undefined;
  const kept: number[] = [];
  const rows: Int32Array[] = [];
  const counts = new Map<string, number>();
  let empty = 0;
  let truncated = 0;
  let tokens = 0;
  let found = 0;
  docs.forEach((d, i) => {
    const toks = tokenize(d.text, has);
    if (toks.length === 0) {
      empty++;
      return;
    }
    if (toks.length > maxLength) truncated++;
    const row = new Int32Array(maxLength);
    toks.forEach((t, k) => {
      const id = vocab.idOf(t);
      tokens++;
      if (id !== undefined) found++;
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (k < maxLength) row[k] = id ?? OOV_ID;
    });
    rows.push(row);
    kept.push(i);
  });
  const ids = new Int32Array(rows.length * maxLength);
  rows.forEach((r, i) => ids.set(r, i * maxLength));
  let typesFound = 0;
  const oov: [string, number][] = [];
  for (const [t, c] of counts) {
    if (has(t)) typesFound++;
    else oov.push([t, c]);
  }
  oov.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const store = new TokenStore(
    ids,
    rows.length,
    maxLength,
    kept.map((i) => docs[i]!.text),
    kept.map((i) => docs[i]!.id),
  );
  return {
    store,
    kept,
    stats: { documents: docs.length, empty, truncated, tokens, tokensFound: found, types: counts.size, typesFound, topOov: oov.slice(0, 10) },
  };
}

/** "coverage 96.1% of tokens (12,345 of 12,846), 71.0% of types; 1,234 OOV types (top: …)" */
export function describeCoverage(s: TextStats): string {
  const pct = (a: number, b: number) => `${b === 0 ? '0.0' : ((100 * a) / b).toFixed(1)}%`;
  const top = s.topOov
    .slice(0, 5)
    .map(([w, c]) => `${w} ×${c}`)
    .join(', ');
  return (
    `${s.documents - s.empty} documents (${s.empty} empty skipped, ${s.truncated} truncated); vocabulary coverage ` +
    `${pct(s.tokensFound, s.tokens)} of tokens (${s.tokensFound} of ${s.tokens}), ${pct(s.typesFound, s.types)} of types; ` +
    `${s.types - s.typesFound} OOV types, ${s.tokens - s.tokensFound} OOV tokens${top ? ` (most frequent: ${top})` : ''}`
  );
}

/**
 * The text of example `i` of a text set (its first `chars` characters, white space collapsed), for
 * misclassified-document snippets; undefined for a set that does not hold documents.
 */
export function documentSnippets(set: ExampleSet, chars = 300): ((i: number) => string) | undefined {
  if (!(set instanceof ExampleView) || !(set.store instanceof TokenStore)) return undefined;
  const store = set.store;
  return (i) => store.snippet(set.positions[i]!, chars);
}

/** The whole text of example `i` of a text set; undefined for a set that does not hold documents. */
export function documentTexts(set: ExampleSet): ((i: number) => string) | undefined {
  if (!(set instanceof ExampleView) || !(set.store instanceof TokenStore)) return undefined;
  const store = set.store;
  return (i) => store.texts[set.positions[i]!]!;
}
