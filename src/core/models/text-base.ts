/**
 * The `wordVectors` base: token ids [batch, maxLength] → `embedding` (rows: padding, OOV, then the
 * vectors' words; initialised from the vectors) → encoder → document features. Its layers:
 *
 * - `mean` / `max`: `embedding`, `pool` (MaskedPooling1D: padding left out) → [batch, dim];
 * - `conv`: `embedding`, `conv` (Conv1D `filters` × `kernelSize`, ReLU, same padding), `pool`
 *   (global max pooling) → [batch, filters] (Keras' "Using pre-trained word embeddings" guide);
 * - `gru`: `embedding`, `prepad` (PrePad1D: the document moved to the end of the window, padding
 *   first), `gru` (GRU of `units`, its last state) → [batch, units];
 * - `bigru`: `embedding`, `prepad`, `gru_forward` (on the pre-padded window), `gru_backward` (reading
 *   the end-padded window from its end), `gru` (both last states concatenated) → [batch, 2 · units].
 *   Either GRU reads the padding first, where its state stays near 0 (exactly 0 with zero biases).
 *
 * Row 0 (padding) is zero, row 1 (OOV) is the mean of all vectors (GloVe's own suggestion for unknown
 * words), rows 2.. the vectors. The base has no old head: the cut is its last layer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedWordVectorsBase } from '../experiment/types.js';
import type { WordVectors } from '../text/vectors.js';
import { MaskedPooling1D, PrePad1D } from './text-layers.js';

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
  } else if (base.encoder === 'gru' || base.encoder === 'bigru') {
    const gru = (name: string, goBackwards: boolean) =>
      tf.layers.gru({
        name,
        units: base.units,
        goBackwards,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1009 + (goBackwards ? 17 : 11) }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: seed * 1009 + (goBackwards ? 19 : 13) }),
      });
    const forward = new PrePad1D({ name: 'prepad' }).apply(x) as tf.SymbolicTensor;
    if (base.encoder === 'gru') x = gru('gru', false).apply(forward) as tf.SymbolicTensor;
    else {
      // Two GRUs rather than tf.layers.bidirectional: its backward copy would read the reversed
      // pre-padded window (the tokens, then the padding); ours reads the end-padded window backwards.
      const f = gru('gru_forward', false).apply(forward) as tf.SymbolicTensor;
      const b = gru('gru_backward', true).apply(x) as tf.SymbolicTensor;
      x = tf.layers.concatenate({ name: 'gru' }).apply([f, b]) as tf.SymbolicTensor;
    }
  } else {
    x = new MaskedPooling1D({ name: 'pool', mode: base.encoder }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: 'wordVectors' });
}
