/**
 * The loss and its companions: per-class loss weights, softmax cross-entropy on integer labels, and
 * the count of correct predictions. Shared by the trainer, the test evaluation and the benches.
 */
import * as tf from '@tensorflow/tfjs';

/** Loss and accuracy of a set. */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

/**
 * Loss weight of each class. 'balanced': n / (K · n_c) (scikit-learn's `compute_class_weight`).
 * @throws Error when an explicit list's length differs from the number of classes.
 */
export function classWeights(spec: 'balanced' | number[] | undefined, labels: Int32Array, numClasses: number): Float32Array | undefined {
  if (spec === undefined) return undefined;
  if (Array.isArray(spec)) {
    if (spec.length !== numClasses) throw new Error(`training.classWeights has ${spec.length} entries but the data has ${numClasses} classes`);
    return Float32Array.from(spec);
  }
  const counts = new Float64Array(numClasses);
  for (const y of labels) counts[y]! += 1;
  return Float32Array.from(counts, (c) => (c > 0 ? labels.length / (numClasses * c) : 0));
}

/**
 * Softmax cross-entropy of `logits` [B, K] against integer `labels` [B]; with `weights` (one per
 * class) the weighted mean Σ w_y·ce / Σ w_y (PyTorch `CrossEntropyLoss(weight=…)`), else the mean;
 * 0 when every example of the batch has weight 0 (where PyTorch divides 0 by 0).
 * One-hot targets are built on the host (the wasm `OneHot` kernel ignores its dtype).
 * @returns scalar loss tensor.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: Int32Array, weights?: Float32Array): tf.Scalar {
  const [b, k] = logits.shape;
  const onehot = new Float32Array(b * k);
  const w = new Float32Array(b);
  let sumW = 0;
  for (let i = 0; i < b; i++) {
    onehot[i * k + labels[i]!] = 1;
    w[i] = weights ? weights[labels[i]!]! : 1;
    sumW += w[i]!;
  }
  return tf.tidy(() => {
    const ce = tf.neg(tf.sum(tf.mul(tf.tensor2d(onehot, [b, k]), tf.logSoftmax(logits)), 1));
    const wt = tf.tensor1d(w);
    // A batch of only zero-weighted classes contributes zero loss and zero gradient (PyTorch gives 0/0 = NaN).
    return tf.div(tf.sum(tf.mul(ce, wt)), sumW > 0 ? sumW : 1) as tf.Scalar;
  });
}

/** Count of correct argmax predictions of `logits` [B, K] against `labels` [B]. */
export function correct(logits: tf.Tensor2D, labels: Int32Array): number {
  const t = tf.argMax(logits, 1);
  const pred = t.dataSync();
  t.dispose();
  let c = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) c++;
  return c;
}
