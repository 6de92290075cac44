/**
 * MobileNetV2 (Sandler et al. 2018), width 1.0, with the layer names of tf.keras
 * `applications/mobilenet_v2.py` (`_inverted_res_block`): `Conv1`, `bn_Conv1`, `Conv1_relu`,
 * `expanded_conv_{depthwise,project}[_BN|_relu]`, `block_{1..16}_{expand,pad,depthwise,project}`
 * with `_BN` / `_relu` / `_add`, then `Conv_1`, `Conv_1_bn`, `out_relu`, and the top
 * `global_average_pooling2d`, `predictions`. BatchNormalization epsilon 1e-3, momentum 0.999.
 * Input [batch, 224, 224, 3] ("tf" preprocessing, [-1, 1]) → softmax [batch, classes], or without
 * the top [batch, 7, 7, 1280]. 3,538,984 parameters with the top.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, call, correctPad, type ApplicationOptions } from './common.js';

const bn = (name: string) => batchNorm(name, { epsilon: 1e-3, momentum: 0.999 });
const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });

function invertedResBlock(inputs: tf.SymbolicTensor, filters: number, stride: number, expansion: number, blockId: number): tf.SymbolicTensor {
  const inChannels = inputs.shape[3] as number;
  let x = inputs;
  let prefix = `block_${blockId}_`;
  if (blockId) {
    x = call(tf.layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
    x = call(bn(`${prefix}expand_BN`), x);
    x = call(relu6(`${prefix}expand_relu`), x);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) x = call(tf.layers.zeroPadding2d({ padding: correctPad(x.shape.slice(1, 3), 3), name: `${prefix}pad` }), x);
  x = call(
    tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` }),
    x,
  );
  x = call(bn(`${prefix}depthwise_BN`), x);
  x = call(relu6(`${prefix}depthwise_relu`), x);
  x = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
  x = call(bn(`${prefix}project_BN`), x);
  if (inChannels === filters && stride === 1) return call(tf.layers.add({ name: `${prefix}add` }), [inputs, x]);
  return x;
}

/** Builds MobileNetV2 (alpha 1.0; random weights; load ImageNet weights by layer name). */
export function buildMobileNetV2(o: ApplicationOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  let x = call(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), input);
  x = call(bn('bn_Conv1'), x);
  x = call(relu6('Conv1_relu'), x);
  // [filters, stride, expansion] of blocks 0..16 (mobilenet_v2.py).
  const blocks: [number, number, number][] = [
    [16, 1, 1],
    [24, 2, 6],
    [24, 1, 6],
    [32, 2, 6],
    [32, 1, 6],
    [32, 1, 6],
    [64, 2, 6],
    [64, 1, 6],
    [64, 1, 6],
    [64, 1, 6],
    [96, 1, 6],
    [96, 1, 6],
    [96, 1, 6],
    [160, 2, 6],
    [160, 1, 6],
    [160, 1, 6],
    [320, 1, 6],
  ];
  blocks.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, filters, stride, expansion, id);
  });
  x = call(tf.layers.conv2d({ filters: 1280, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = call(bn('Conv_1_bn'), x);
  x = call(relu6('out_relu'), x);
  if (o.includeTop ?? true) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
    x = call(tf.layers.dense({ units: o.classes ?? 1000, activation: 'softmax', name: 'predictions' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'mobilenetv2_1.00_224' });
}
