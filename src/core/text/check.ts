/**
 * The text checks `validate` runs without training: the vectors load (every line well formed), every
 * text source reads (UTF-8, columns, classes), and the vocabulary coverage of each part.
 */
import { loadData } from '../data/index.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { describeCoverage, vocabularyOf } from './encode.js';
import { loadVectors } from './vectors.js';
import { readVocabularyFile } from './vocabulary-file.js';

/**
 * Loads the vectors (or a text model's vocabulary file) and the data of a text experiment.
 * @returns one line per data part (`train: 4646 documents …; vocabulary coverage …`), empty for other bases.
 * @throws DataError (file and line named) for bad vectors or bad text data.
 */
export async function checkTextExperiment(exp: ResolvedExperiment): Promise<string[]> {
  const b = exp.base;
  let words: string[];
  let head: string;
  if (b.kind === 'wordVectors') {
    const vectors = await loadVectors(b.vectors, b.maxWords);
    words = vectors.words;
    head = `vectors ${vectors.source}: ${vectors.words.length} words × ${vectors.dim} d`;
  } else if (b.kind === 'model' && b.vocabulary !== undefined) {
    // A pretrained text model: its vocabulary file (the model's own maxLength applies at run time).
    words = readVocabularyFile(b.vocabulary);
    head = `vocabulary ${b.vocabulary}: ${words.length} words`;
  } else {
    return [];
  }
  const maxLength = exp.data.text?.maxLength ?? 256;
  const data = await loadData(exp.data, { inputShape: [maxLength], seed: exp.training.seed, text: { vocabulary: vocabularyOf(words), maxLength } });
  return [head, ...Object.entries(data.text ?? {}).map(([role, s]) => `${role}: ${describeCoverage(s)}`)];
}
