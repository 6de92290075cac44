/**
 * VGG16 (Simonyan & Zisserman 2014) with the layer names of tf.keras `applications/vgg16.py`:
 * `block{1..5}_conv{n}`, `block{n}_pool`, then `flatten`, `fc1`, `fc2`, `predictions`.
 * Input [batch, 224, 224, 3] (caffe preprocessing) → softmax [batch, classes], or without the top
 * the block5_pool features [batch, 7, 7, 512]. 138,357,544 parameters with the top.
 */
import * as tf from '@tensorflow/tfjs';
import { call, type ApplicationOptions } from './common.js';

/** Builds VGG16 (random weights; load ImageNet weights by layer name). */
export function buildVGG16(o: ApplicationOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  let x = input;
  const blocks: [number, number][] = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  blocks.forEach(([filters, convs], b) => {
    for (let i = 1; i <= convs; i++) {
      x = call(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${i}` }), x);
    }
    x = call(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  if (o.includeTop ?? true) {
    x = call(tf.layers.flatten({ name: 'flatten' }), x);
    x = call(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }), x);
    x = call(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }), x);
    x = call(tf.layers.dense({ units: o.classes ?? 1000, activation: 'softmax', name: 'predictions' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'vgg16' });
}
