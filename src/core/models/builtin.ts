/**
 * Built-in source architectures, trained from scratch by a source experiment and then reused as
 * bases. Layer names are stable: experiments freeze and cut by them, and
 * `builtin-topologies.json` (read by the extension host without tfjs) lists them.
 */
import * as tf from '@tensorflow/tfjs';

export type BuiltinArchitecture = 'smallCnn' | 'mobileNetLike';

/** Default input shape [h, w, c] of each built-in architecture. */
export const BUILTIN_INPUT_SHAPES: Record<BuiltinArchitecture, [number, number, number]> = {
  smallCnn: [28, 28, 1],
  mobileNetLike: [96, 96, 3],
};

/** Seeded Glorot-uniform initialiser: a different stream per layer, reproducible per seed. */
function glorot(seed: number, salt: number) {
  return tf.initializers.glorotUniform({ seed: seed * 1009 + salt });
}

/**
 * Small CNN (≈ LeNet/Keras MNIST example): conv1 3×3×32 ReLU → pool1 2×2 → conv2 3×3×64 ReLU →
 * pool2 2×2 → flatten → fc1 dense 128 ReLU → logits dense `numClasses` (linear; softmax in the loss).
 * @param inputShape [h, w, c], default [28, 28, 1].
 * @returns model mapping [batch, h, w, c] → logits [batch, numClasses].
 */
export function smallCnn(numClasses: number, seed: number, inputShape: [number, number, number] = [28, 28, 1]): tf.LayersModel {
  return tf.sequential({
    name: 'smallCnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape, filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(seed, 1) }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(seed, 2) }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: 128, activation: 'relu', kernelInitializer: glorot(seed, 3) }),
      tf.layers.dense({ name: 'logits', units: numClasses, kernelInitializer: glorot(seed, 4) }),
    ],
  });
}

/** Channels and stride of each depthwise-separable block of `mobileNetLike`. */
const MOBILENET_BLOCKS: [number, number][] = [
  [32, 1],
  [64, 2],
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
];

/**
 * Small MobileNet-style net (Howard et al. 2017, https://arxiv.org/abs/1704.04861): stem conv 3×3
 * stride 2 (16) + BatchNorm + ReLU6, then six depthwise-separable blocks (depthwise 3×3 + BN + ReLU6,
 * pointwise 1×1 + BN + ReLU6) with channels/strides {@link MOBILENET_BLOCKS}, global average pooling,
 * logits dense `numClasses`.
 * @param inputShape [h, w, c], default [96, 96, 3].
 * @returns model mapping [batch, h, w, c] → logits [batch, numClasses].
 */
export function mobileNetLike(numClasses: number, seed: number, inputShape: [number, number, number] = [96, 96, 3]): tf.LayersModel {
  let salt = 0;
  const input = tf.input({ shape: inputShape, name: 'input' });
  const bnRelu = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.reLU({ name: `${name}_relu`, maxValue: 6 }).apply(tf.layers.batchNormalization({ name: `${name}_bn` }).apply(x)) as tf.SymbolicTensor;
  let x = tf.layers
    .conv2d({ name: 'stem', filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: glorot(seed, ++salt) })
    .apply(input) as tf.SymbolicTensor;
  x = bnRelu(x, 'stem');
  MOBILENET_BLOCKS.forEach(([filters, strides], i) => {
    const b = `block${i + 1}`;
    x = tf.layers
      .depthwiseConv2d({ name: `${b}_dw`, kernelSize: 3, strides, padding: 'same', useBias: false, depthwiseInitializer: glorot(seed, ++salt) })
      .apply(x) as tf.SymbolicTensor;
    x = bnRelu(x, `${b}_dw`);
    x = tf.layers
      .conv2d({ name: `${b}_pw`, filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: glorot(seed, ++salt) })
      .apply(x) as tf.SymbolicTensor;
    x = bnRelu(x, `${b}_pw`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ name: 'logits', units: numClasses, kernelInitializer: glorot(seed, ++salt) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'mobileNetLike' });
}

/** Builds a built-in architecture. @throws Error for an unknown name. */
export function buildBuiltin(arch: BuiltinArchitecture, numClasses: number, seed: number, inputShape?: [number, number, number]): tf.LayersModel {
  switch (arch) {
    case 'smallCnn':
      return smallCnn(numClasses, seed, inputShape);
    case 'mobileNetLike':
      return mobileNetLike(numClasses, seed, inputShape);
    default:
      throw new Error(`unknown built-in architecture "${String(arch)}" (known: smallCnn, mobileNetLike)`);
  }
}
