/**
 * The text checks `validate` runs without training: the vectors load (every line well formed), every
 * text source reads (UTF-8, columns, classes), and the vocabulary coverage of each part.
 */
import { loadData } from '../data/index.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { describeCoverage, vocabularyOf } from './encode.js';
import { loadVectors } from './vectors.js';

/**
 * Loads the vectors and the data of a `wordVectors` experiment.
 * @returns one line per data part (`train: 4646 documents …; vocabulary coverage …`), empty for other bases.
 * @throws DataError (file and line named) for bad vectors or bad text data.
 */
export async function checkTextExperiment(exp: ResolvedExperiment): Promise<string[]> {
  if (exp.base.kind !== 'wordVectors') return [];
  const vectors = await loadVectors(exp.base.vectors, exp.base.maxWords);
  const maxLength = exp.data.text?.maxLength ?? 256;
  const data = await loadData(exp.data, { inputShape: [maxLength], seed: exp.training.seed, text: { vocabulary: vocabularyOf(vectors.words), maxLength } });
  return [
    `vectors ${vectors.source}: ${vectors.words.length} words × ${vectors.dim} d`,
    ...Object.entries(data.text ?? {}).map(([role, s]) => `${role}: ${describeCoverage(s)}`),
  ];
}
