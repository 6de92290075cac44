/**
 * The vocabulary coverage of a text experiment's documents without the rest of `loadData` (no split,
 * no image readers): the panel's embedding row shows it. `validate` and runs report the same counts
 * (`check.ts`, the run's log), since every text source computes them while it reads.
 */
import { isTextSource, readTextSource } from '../data/text-sources.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { vocabularyOf, type TextStats } from './encode.js';
import { loadVectors } from './vectors.js';

/** What reading a text experiment's vectors and documents found. */
export interface TextReport {
  /** `glove-100d` or the vectors file. */
  vectors: string;
  /** Words kept (embedding rows − 2). */
  words: number;
  /** Vector size. */
  dim: number;
  /** Documents and coverage of each data part that is a text source (`train`, `validation`, `test`, `target`). */
  parts: [role: string, stats: TextStats][];
}

/**
 * Reads the vectors and the text sources of a `wordVectors` experiment.
 * @returns undefined for other bases.
 * @throws DataError (file and line named) for bad vectors or bad text data.
 */
export async function textReport(exp: ResolvedExperiment): Promise<TextReport | undefined> {
  if (exp.base.kind !== 'wordVectors') return undefined;
  const vectors = await loadVectors(exp.base.vectors, exp.base.maxWords);
  const text = { vocabulary: vocabularyOf(vectors.words), maxLength: exp.data.text?.maxLength ?? 256 };
  const parts: TextReport['parts'] = [];
  for (const role of ['train', 'validation', 'test', 'target'] as const) {
    const src = exp.data[role];
    if (!src || !isTextSource(src)) continue;
    const read = await readTextSource(src, { role, /* text sources read no image settings */ image: { channels: 1, resize: 'stretch', scale: 'unit' }, text });
    if (read.text) parts.push([role, read.text]);
  }
  return { vectors: vectors.source, words: vectors.words.length, dim: vectors.dim, parts };
}
