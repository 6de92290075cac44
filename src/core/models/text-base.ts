/**
 * The `wordVectors` base: token ids [batch, maxLength] → `embedding` (rows: padding, OOV, then the
 * vectors' words; initialised from the vectors) → encoder → document features. Its layers:
 *
 * - `mean` / `max`: `embedding`, `pool` (MaskedPooling1D: padding left out) → [batch, dim];
 * - `conv`: `embedding`, `conv` (Conv1D `filters` × `kernelSize`, ReLU, same padding), `pool`
 *   (global max pooling) → [batch, filters] (Keras' "Using pre-trained word embeddings" guide).
 *
 * Row 0 (padding) is zero, row 1 (OOV) is the mean of all vectors (GloVe's own suggestion for unknown
 * words), rows 2.. the vectors. The base has no old head: the cut is its last layer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedWordVectorsBase } from '../experiment/types.js';
import type { WordVectors } from '../text/vectors.js';
import { MaskedPooling1D } from './text-layers.js';

/**
 * The embedding matrix of `vectors`: [words + 2, dim] (row 0 zeros, row 1 the mean vector).
 */
export function embeddingMatrix(vectors: WordVectors): Float32Array {
  const { dim, words } = vectors;
  const out = new Float32Array((words.length + 2) * dim);
  out.set(vectors.values, 2 * dim);
  for (let i = 0; i < words.length; i++) for (let j = 0; j < dim; j++) out[dim + j]! += vectors.values[i * dim + j]! / words.length;
  return out;
}

/**
 * Builds the text base.
 * @param maxLength tokens per document (`data.text.maxLength`).
 * @param seed      seeds the Conv1D initialiser.
 * @returns model [batch, maxLength] (float token ids) → [batch, features].
 */
export function buildTextBase(base: ResolvedWordVectorsBase, vectors: WordVectors, maxLength: number, seed: number): tf.LayersModel {
  const rows = vectors.words.length + 2;
  const input = tf.input({ shape: [maxLength], name: 'tokens' });
  const embedding = tf.layers.embedding({ name: 'embedding', inputDim: rows, outputDim: vectors.dim, inputLength: maxLength });
  let x = embedding.apply(input) as tf.SymbolicTensor;
  const weights = tf.tensor2d(embeddingMatrix(vectors), [rows, vectors.dim]);
  embedding.setWeights([weights]);
  weights.dispose();
  if (base.encoder === 'conv') {
    x = tf.layers
      .conv1d({
        name: 'conv',
        filters: base.filters,
        kernelSize: base.kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1009 + 7 }),
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalMaxPooling1d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  } else {
    x = new MaskedPooling1D({ name: 'pool', mode: base.encoder }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: 'wordVectors' });
}
