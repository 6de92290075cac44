/**
 * MobileNet v1 (Howard et al. 2017), width 1.0, depth multiplier 1, with the layer names of
 * tf.keras `applications/mobilenet.py`: `conv1`, `conv1_bn`, `conv1_relu`, then per block n = 1..13
 * `conv_pad_n` (strided blocks), `conv_dw_n`, `conv_dw_n_bn`, `conv_dw_n_relu`, `conv_pw_n`,
 * `conv_pw_n_bn`, `conv_pw_n_relu`; the top is `global_average_pooling2d`, `reshape_1`, `dropout`,
 * `conv_preds` (a 1×1 convolution), `reshape_2`, `act_softmax`.
 * Input [batch, 224, 224, 3] ("tf" preprocessing, [-1, 1]) → softmax [batch, classes], or without
 * the top [batch, 7, 7, 1024]. 4,253,864 parameters with the top.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, call, type ApplicationOptions } from './common.js';

const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });

/** Builds MobileNet (alpha 1.0; random weights; load ImageNet weights by layer name). */
export function buildMobileNet(o: ApplicationOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  let x = call(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv1' }), input);
  x = call(batchNorm('conv1_bn'), x);
  x = call(relu6('conv1_relu'), x);
  const blocks: [number, number][] = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2)
      x = call(
        tf.layers.zeroPadding2d({
          padding: [
            [0, 1],
            [0, 1],
          ],
          name: `conv_pad_${id}`,
        }),
        x,
      );
    x = call(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}` }), x);
    x = call(batchNorm(`conv_dw_${id}_bn`), x);
    x = call(relu6(`conv_dw_${id}_relu`), x);
    x = call(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }), x);
    x = call(batchNorm(`conv_pw_${id}_bn`), x);
    x = call(relu6(`conv_pw_${id}_relu`), x);
  });
  if (o.includeTop ?? true) {
    const classes = o.classes ?? 1000;
    x = call(tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
    x = call(tf.layers.reshape({ targetShape: [1, 1, 1024], name: 'reshape_1' }), x);
    x = call(tf.layers.dropout({ rate: 1e-3, name: 'dropout' }), x);
    x = call(tf.layers.conv2d({ filters: classes, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
    x = call(tf.layers.reshape({ targetShape: [classes], name: 'reshape_2' }), x);
    x = call(tf.layers.activation({ activation: 'softmax', name: 'act_softmax' }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: 'mobilenet_1.00_224' });
}
