/**
 * ResNet50 (He et al. 2015, "Deep Residual Learning") with the layer names of tf.keras
 * `applications/resnet.py` (`ResNet50`, `stack1`, `block1`): `conv1_pad`, `conv1_conv`, `conv1_bn`,
 * `conv1_relu`, `pool1_pad`, `pool1_pool`, `conv{2..5}_block{n}_{0..3}_{conv,bn}`, `_add`, `_out`,
 * then `avg_pool` and `predictions`. BatchNormalization epsilon 1.001e-5 as there.
 * Input [batch, 224, 224, 3] (caffe preprocessing) → softmax [batch, classes], or without the top
 * [batch, 7, 7, 2048]. 25,636,712 parameters with the top.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, call, type ApplicationOptions } from './common.js';

const EPS = 1.001e-5;

function block1(x: tf.SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): tf.SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = call(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }), x);
    shortcut = call(batchNorm(`${name}_0_bn`, { epsilon: EPS }), shortcut);
  }
  let y = call(tf.layers.conv2d({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }), x);
  y = call(batchNorm(`${name}_1_bn`, { epsilon: EPS }), y);
  y = call(tf.layers.activation({ activation: 'relu', name: `${name}_1_relu` }), y);
  y = call(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }), y);
  y = call(batchNorm(`${name}_2_bn`, { epsilon: EPS }), y);
  y = call(tf.layers.activation({ activation: 'relu', name: `${name}_2_relu` }), y);
  y = call(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }), y);
  y = call(batchNorm(`${name}_3_bn`, { epsilon: EPS }), y);
  y = call(tf.layers.add({ name: `${name}_add` }), [shortcut, y]);
  return call(tf.layers.activation({ activation: 'relu', name: `${name}_out` }), y);
}

function stack1(x: tf.SymbolicTensor, filters: number, blocks: number, stride: number, name: string): tf.SymbolicTensor {
  x = block1(x, filters, stride, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) x = block1(x, filters, 1, false, `${name}_block${i}`);
  return x;
}

/** Builds ResNet50 (random weights; load ImageNet weights by layer name). */
export function buildResNet50(o: ApplicationOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  let x = call(
    tf.layers.zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: 'conv1_pad',
    }),
    input,
  );
  x = call(tf.layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }), x);
  x = call(batchNorm('conv1_bn', { epsilon: EPS }), x);
  x = call(tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }), x);
  x = call(
    tf.layers.zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    }),
    x,
  );
  x = call(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  x = stack1(x, 64, 3, 1, 'conv2');
  x = stack1(x, 128, 4, 2, 'conv3');
  x = stack1(x, 256, 6, 2, 'conv4');
  x = stack1(x, 512, 3, 2, 'conv5');
  if (o.includeTop ?? true) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
    x = call(tf.layers.dense({ units: o.classes ?? 1000, activation: 'softmax', name: 'predictions' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'resnet50' });
}
