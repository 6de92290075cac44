/**
 * EfficientNetB0 (Tan & Le 2019) with the layer names of tf.keras `applications/efficientnet.py`
 * (`EfficientNet`, `block`, `DEFAULT_BLOCKS_ARGS`, width and depth 1.0, dropout 0.2, drop-connect
 * 0.2): `stem_conv_pad`, `stem_conv`, `stem_bn`, `stem_activation`, blocks `block{1..7}{a,b,…}_`
 * (`expand_conv`, `expand_bn`, `expand_activation`, `dwconv_pad`, `dwconv`, `bn`, `activation`,
 * `se_squeeze`, `se_reshape`, `se_reduce`, `se_expand`, `se_excite`, `project_conv`, `project_bn`,
 * `drop`, `add`), `top_conv`, `top_bn`, `top_activation`, and the top `avg_pool`, `top_dropout`,
 * `predictions`. Swish activations.
 *
 * Keras' model starts with `Rescaling(1/255)` and a `Normalization` layer holding the ImageNet
 * mean and variance (3 + 3 values and a count: 7 parameters); TensorFlow.js has no Normalization
 * layer, so here the data pipeline applies the same formula (`data.image.scale` "imagenet":
 * (x/255 − mean) / std) and the model starts at `stem_conv_pad`; a weights file's `rescaling*` and
 * `normalization` groups are skipped when loading. Keras ≥ 2.9 adds one more `Rescaling` by
 * 1/√std for the ImageNet weights (tensorflow/tensorflow#49930); that factor is not reproduced.
 * Input [batch, 224, 224, 3] → softmax [batch, classes], or without the top [batch, 7, 7, 1280].
 * 5,330,564 parameters with the top (Keras: 5,330,571 with the Normalization layer's 7).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, call, correctPad, type ApplicationOptions } from './common.js';

/** The parameters of Keras' Normalization layer that this build leaves to the data pipeline. */
export const EFFICIENTNET_NORMALIZATION_PARAMS = 7;

/** [kernel, repeats, filtersIn, filtersOut, expandRatio, strides] of the 7 stages (se ratio 0.25, id_skip). */
const BLOCKS: [number, number, number, number, number, number][] = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];

function block(
  inputs: tf.SymbolicTensor,
  dropRate: number,
  name: string,
  filtersIn: number,
  filtersOut: number,
  kernel: number,
  strides: number,
  expandRatio: number,
) {
  const filters = filtersIn * expandRatio;
  let x = inputs;
  if (expandRatio !== 1) {
    x = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
    x = call(batchNorm(`${name}expand_bn`), x);
    x = call(tf.layers.activation({ activation: 'swish', name: `${name}expand_activation` }), x);
  }
  if (strides === 2) x = call(tf.layers.zeroPadding2d({ padding: correctPad(x.shape.slice(1, 3), kernel), name: `${name}dwconv_pad` }), x);
  x = call(tf.layers.depthwiseConv2d({ kernelSize: kernel, strides, padding: strides === 2 ? 'valid' : 'same', useBias: false, name: `${name}dwconv` }), x);
  x = call(batchNorm(`${name}bn`), x);
  x = call(tf.layers.activation({ activation: 'swish', name: `${name}activation` }), x);
  const filtersSe = Math.max(1, Math.floor(filtersIn * 0.25));
  let se = call(tf.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }), x);
  se = call(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = call(tf.layers.conv2d({ filters: filtersSe, kernelSize: 1, padding: 'same', activation: 'swish', name: `${name}se_reduce` }), se);
  se = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: `${name}se_expand` }), se);
  x = call(tf.layers.multiply({ name: `${name}se_excite` }), [x, se]);
  x = call(tf.layers.conv2d({ filters: filtersOut, kernelSize: 1, padding: 'same', useBias: false, name: `${name}project_conv` }), x);
  x = call(batchNorm(`${name}project_bn`), x);
  if (strides === 1 && filtersIn === filtersOut) {
    if (dropRate > 0) x = call(tf.layers.dropout({ rate: dropRate, noiseShape: [null, 1, 1, 1] as unknown as number[], name: `${name}drop` }), x);
    x = call(tf.layers.add({ name: `${name}add` }), [x, inputs]);
  }
  return x;
}

/** Builds EfficientNetB0 without its input normalisation (see above); random weights. */
export function buildEfficientNetB0(o: ApplicationOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  let x = call(tf.layers.zeroPadding2d({ padding: correctPad(input.shape.slice(1, 3), 3), name: 'stem_conv_pad' }), input);
  x = call(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'stem_conv' }), x);
  x = call(batchNorm('stem_bn'), x);
  x = call(tf.layers.activation({ activation: 'swish', name: 'stem_activation' }), x);
  const total = BLOCKS.reduce((s, b) => s + b[1], 0);
  let b = 0;
  BLOCKS.forEach(([kernel, repeats, fIn, fOut, expand, strides], i) => {
    for (let j = 0; j < repeats; j++) {
      x = block(x, (0.2 * b) / total, `block${i + 1}${String.fromCharCode(97 + j)}_`, j > 0 ? fOut : fIn, fOut, kernel, j > 0 ? 1 : strides, expand);
      b++;
    }
  });
  x = call(tf.layers.conv2d({ filters: 1280, kernelSize: 1, padding: 'same', useBias: false, name: 'top_conv' }), x);
  x = call(batchNorm('top_bn'), x);
  x = call(tf.layers.activation({ activation: 'swish', name: 'top_activation' }), x);
  if (o.includeTop ?? true) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
    x = call(tf.layers.dropout({ rate: 0.2, name: 'top_dropout' }), x);
    x = call(tf.layers.dense({ units: o.classes ?? 1000, activation: 'softmax', name: 'predictions' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'efficientnetb0' });
}
