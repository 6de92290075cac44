/**
 * Builds a Keras Application by name (`names.ts`) with the architecture files of this folder.
 * @throws nothing for the names of {@link KERAS_APPLICATIONS}; tfjs errors for an input too small
 *   for the architecture (e.g. under 32 × 32 for ResNet50), naming the layer.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ApplicationOptions } from './common.js';
import { buildEfficientNetB0 } from './efficientnet.js';
import { buildInceptionV3 } from './inception-v3.js';
import { buildMobileNet } from './mobilenet.js';
import { buildMobileNetV2 } from './mobilenet-v2.js';
import type { KerasApplication } from './names.js';
import { buildResNet50 } from './resnet50.js';
import { buildVGG16 } from './vgg16.js';

export type { ApplicationOptions } from './common.js';

const BUILDERS: Record<KerasApplication, (o: ApplicationOptions) => tf.LayersModel> = {
  ResNet50: buildResNet50,
  VGG16: buildVGG16,
  InceptionV3: buildInceptionV3,
  MobileNet: buildMobileNet,
  MobileNetV2: buildMobileNetV2,
  EfficientNetB0: buildEfficientNetB0,
};

/** The architecture `name` with random weights, Keras' layer names, input [batch, h, w, 3]. */
export function buildApplication(name: KerasApplication, o: ApplicationOptions = {}): tf.LayersModel {
  return BUILDERS[name](o);
}
