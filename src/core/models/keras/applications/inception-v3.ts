/**
 * InceptionV3 (Szegedy et al. 2015, "Rethinking the Inception Architecture") as tf.keras
 * `applications/inception_v3.py` builds it: 94 `conv2d_bn` units (Conv2D without bias,
 * BatchNormalization with scale=False, ReLU) named as a fresh tf.keras session names them
 * (`conv2d`, `conv2d_1` … `conv2d_93`, `batch_normalization` … `batch_normalization_93`,
 * `activation` … `activation_93`), the concatenations `mixed0` … `mixed10`, `mixed9_0`, `mixed9_1`,
 * `concatenate`, `concatenate_1`, and the top `avg_pool`, `predictions`. Files written by Keras 2.0
 * number the units from 1 (`conv2d_1` …); the loader then matches by order, as Keras'
 * `load_weights` does.
 * Input [batch, 299, 299, 3] ("tf" preprocessing, [-1, 1]) → softmax [batch, classes], or without
 * the top [batch, 8, 8, 2048]. 23,851,784 parameters with the top.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, call, type ApplicationOptions } from './common.js';

/** Keras-style automatic names: `stem`, `stem_1`, `stem_2` … */
class Namer {
  private counts = new Map<string, number>();
  next(stem: string): string {
    const n = this.counts.get(stem) ?? 0;
    this.counts.set(stem, n + 1);
    return n === 0 ? stem : `${stem}_${n}`;
  }
}

/** Builds InceptionV3 (random weights; load ImageNet weights by layer name or order). */
export function buildInceptionV3(o: ApplicationOptions = {}): tf.LayersModel {
  const names = new Namer();
  const convBn = (x: tf.SymbolicTensor, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1) => {
    let y = call(tf.layers.conv2d({ filters, kernelSize: [rows, cols], strides, padding, useBias: false, name: names.next('conv2d') }), x);
    y = call(batchNorm(names.next('batch_normalization'), { scale: false }), y);
    return call(tf.layers.activation({ activation: 'relu', name: names.next('activation') }), y);
  };
  const maxPool = (x: tf.SymbolicTensor) => call(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: names.next('max_pooling2d') }), x);
  const avgPool = (x: tf.SymbolicTensor) =>
    call(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: names.next('average_pooling2d') }), x);
  const concat = (xs: tf.SymbolicTensor[], name?: string) => call(tf.layers.concatenate({ axis: 3, name: name ?? names.next('concatenate') }), xs);

  const input = tf.input({ shape: o.inputShape ?? [299, 299, 3], name: 'input_1' });
  let x = convBn(input, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool(x);
  x = convBn(x, 80, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 'valid');
  x = maxPool(x);

  // mixed 0, 1, 2: 35 × 35 × 256/288/288
  for (const [i, poolFilters] of [32, 64, 64].entries()) {
    const b1 = convBn(x, 64, 1, 1);
    let b5 = convBn(x, 48, 1, 1);
    b5 = convBn(b5, 64, 5, 5);
    let b3 = convBn(x, 64, 1, 1);
    b3 = convBn(b3, 96, 3, 3);
    b3 = convBn(b3, 96, 3, 3);
    const bp = convBn(avgPool(x), poolFilters, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }
  // mixed 3: 17 × 17 × 768
  {
    const b3 = convBn(x, 384, 3, 3, 'valid', 2);
    let bd = convBn(x, 64, 1, 1);
    bd = convBn(bd, 96, 3, 3);
    bd = convBn(bd, 96, 3, 3, 'valid', 2);
    const bp = maxPool(x);
    x = concat([b3, bd, bp], 'mixed3');
  }
  // mixed 4 (128), 5, 6 (160), 7 (192): 17 × 17 × 768
  for (const [i, c] of [128, 160, 160, 192].entries()) {
    const b1 = convBn(x, 192, 1, 1);
    let b7 = convBn(x, c, 1, 1);
    b7 = convBn(b7, c, 1, 7);
    b7 = convBn(b7, 192, 7, 1);
    let bd = convBn(x, c, 1, 1);
    bd = convBn(bd, c, 7, 1);
    bd = convBn(bd, c, 1, 7);
    bd = convBn(bd, c, 7, 1);
    bd = convBn(bd, 192, 1, 7);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${4 + i}`);
  }
  // mixed 8: 8 × 8 × 1280
  {
    let b3 = convBn(x, 192, 1, 1);
    b3 = convBn(b3, 320, 3, 3, 'valid', 2);
    let b7 = convBn(x, 192, 1, 1);
    b7 = convBn(b7, 192, 1, 7);
    b7 = convBn(b7, 192, 7, 1);
    b7 = convBn(b7, 192, 3, 3, 'valid', 2);
    const bp = maxPool(x);
    x = concat([b3, b7, bp], 'mixed8');
  }
  // mixed 9, 10: 8 × 8 × 2048
  for (let i = 0; i < 2; i++) {
    const b1 = convBn(x, 320, 1, 1);
    const b3 = convBn(x, 384, 1, 1);
    const b3a = convBn(b3, 384, 1, 3);
    const b3b = convBn(b3, 384, 3, 1);
    const b3c = concat([b3a, b3b], `mixed9_${i}`);
    let bd = convBn(x, 448, 1, 1);
    bd = convBn(bd, 384, 3, 3);
    const bda = convBn(bd, 384, 1, 3);
    const bdb = convBn(bd, 384, 3, 1);
    const bdc = concat([bda, bdb]);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat([b1, b3c, bdc, bp], `mixed${9 + i}`);
  }
  if (o.includeTop ?? true) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
    x = call(tf.layers.dense({ units: o.classes ?? 1000, activation: 'softmax', name: 'predictions' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'inception_v3' });
}
