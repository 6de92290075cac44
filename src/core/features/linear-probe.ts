/**
 * A linear softmax classifier ("linear probe", "linear head") fitted on frozen features: the
 * measuring instrument of the layer sweep and of the advisor's domain classifier.
 *
 * Features are standardised with the training rows' per-feature mean and standard deviation
 * (a feature constant on the training rows is only centred). The head W [dim, K], b [K] starts at
 * zero and takes `iterations` full-batch Adam steps (Kingma & Ba 2015, β1 0.9, β2 0.999, ε 1e-8) on
 *   L(W, b) = mean_i −log softmax(x_i W + b)[y_i] + (l2 / 2)·‖W‖²,
 * a convex problem, so the result does not depend on a seed. Gradients are written out
 * (∂L/∂z = softmax(z) − onehot(y), averaged over rows), not taped.
 */
import * as tf from '@tensorflow/tfjs';

/** Rows of features with integer labels 0..classes-1. */
export interface LabelledFeatures {
  /** [rows, dim] row-major. */
  x: Float32Array;
  y: Int32Array;
  dim: number;
}

/** Options of {@link fitLinearProbe}. */
export interface ProbeOptions {
  classes: number;
  /** Full-batch Adam steps (default 150). */
  iterations?: number;
  /** Adam rate (default 0.01). */
  learningRate?: number;
  /** L2 penalty on W (default 1e-4). */
  l2?: number;
}

/** Accuracy and loss of the fitted head on each set given. */
export interface ProbeResult {
  trainAccuracy: number;
  trainLoss: number;
  /** Present when evaluation sets were given, in their order. */
  evaluations: { accuracy: number; loss: number }[];
  /** Predicted class probabilities of each row of each evaluation set ([rows, classes] row-major). */
  probabilities: Float32Array[];
}

/** Per-feature mean and standard deviation of the rows of `x` (float64 sums), std 1 where it is 0. */
export function standardizer(x: Float32Array, dim: number): { mean: Float32Array; std: Float32Array } {
  const rows = x.length / dim;
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = x[o + j]!;
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    const m = sum[j]! / Math.max(1, rows);
    const v = Math.max(0, sq[j]! / Math.max(1, rows) - m * m);
    mean[j] = m;
    std[j] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  return { mean, std };
}

/**
 * Fits the head on `train` and evaluates it on each of `evaluate` (standardised with the training
 * statistics).
 * @throws RangeError when a label is outside 0..classes-1 or a set's length is not rows × dim.
 */
export function fitLinearProbe(train: LabelledFeatures, opts: ProbeOptions, evaluate: LabelledFeatures[] = []): ProbeResult {
  const { classes: k, dim } = { classes: opts.classes, dim: train.dim };
  const iterations = opts.iterations ?? 150;
  const lr = opts.learningRate ?? 0.01;
  const l2 = opts.l2 ?? 1e-4;
  for (const s of [train, ...evaluate]) {
    if (s.x.length !== s.y.length * dim) throw new RangeError(`features hold ${s.x.length} values, not ${s.y.length} rows × ${dim}`);
    for (const l of s.y) if (!(l >= 0 && l < k)) throw new RangeError(`label ${l} is outside 0..${k - 1}`);
  }
  const { mean, std } = standardizer(train.x, dim);
  const standardize = (x: Float32Array) =>
    tf.tidy(() => tf.div(tf.sub(tf.tensor2d(x, [x.length / dim, dim]), tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor2D);
  const onehot = (y: Int32Array) => {
    const o = new Float32Array(y.length * k);
    y.forEach((l, i) => (o[i * k + l] = 1));
    return tf.tensor2d(o, [y.length, k]);
  };
  const X = standardize(train.x);
  const Y = onehot(train.y);
  const n = train.y.length;
  // A variable shares its initial value's data (reference-counted): tidy releases the zeros' own handle.
  const W = tf.tidy(() => tf.variable(tf.zeros([dim, k])));
  const b = tf.tidy(() => tf.variable(tf.zeros([k])));
  const m = [tf.zeros([dim, k]), tf.zeros([k])];
  const v = [tf.zeros([dim, k]), tf.zeros([k])];
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  for (let t = 1; t <= iterations; t++) {
    const next = tf.tidy(() => {
      const p = tf.softmax(tf.add(tf.matMul(X, W), b));
      const d = tf.div(tf.sub(p, Y), n);
      const grads = [tf.add(tf.matMul(X, d, true, false), tf.mul(W, l2)), tf.sum(d, 0)];
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      return grads.map((g, i) => {
        const mi = tf.add(tf.mul(m[i]!, b1), tf.mul(g, 1 - b1));
        const vi = tf.add(tf.mul(v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        const step = tf.div(tf.mul(tf.div(mi, c1), lr), tf.add(tf.sqrt(tf.div(vi, c2)), eps));
        return { mi, vi, step };
      });
    });
    next.forEach(({ mi, vi, step }, i) => {
      m[i]!.dispose();
      v[i]!.dispose();
      m[i] = mi;
      v[i] = vi;
      const param = i === 0 ? W : b;
      const updated = tf.sub(param, step);
      param.assign(updated);
      updated.dispose();
      step.dispose();
    });
  }
  const score = (x: tf.Tensor2D, y: Int32Array) =>
    tf.tidy(() => {
      const logits = tf.add(tf.matMul(x, W), b);
      const logp = tf.logSoftmax(logits);
      const loss = -tf.sum(tf.mul(onehot(y), logp)).dataSync()[0]! / Math.max(1, y.length);
      const pred = tf.argMax(logits, 1).dataSync();
      let hits = 0;
      for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hits++;
      return { accuracy: hits / Math.max(1, y.length), loss, probabilities: tf.exp(logp).dataSync() as Float32Array };
    });
  const tr = score(X, train.y);
  const evaluations: ProbeResult['evaluations'] = [];
  const probabilities: Float32Array[] = [];
  for (const s of evaluate) {
    const xs = standardize(s.x);
    const r = score(xs, s.y);
    xs.dispose();
    evaluations.push({ accuracy: r.accuracy, loss: r.loss });
    probabilities.push(r.probabilities);
  }
  tf.dispose([X, Y, W, b, ...m, ...v]);
  return { trainAccuracy: tr.accuracy, trainLoss: tr.loss, evaluations, probabilities };
}
