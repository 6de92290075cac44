/**
 * Keras Applications by name: which architecture a weights-only ImageNet file belongs to (from its
 * file name, as `keras.applications` names them when it downloads them), whether it holds the
 * classifier top, and each family's preprocessing. No tfjs import: the experiment resolver and
 * `validate` use it.
 *
 * File names: keras-applications releases and tf.keras `applications/*.py` (`WEIGHTS_PATH`,
 * `WEIGHTS_PATH_NO_TOP`, `BASE_WEIGHT_PATH`). Preprocessing: `imagenet_utils.preprocess_input`
 * modes `caffe` (ResNet50, VGG16), `tf` (InceptionV3, MobileNet, MobileNetV2); EfficientNet takes
 * 0–255 pixels and normalises inside the model (Rescaling 1/255, then ImageNet mean/std: the
 * `torch` formula), which this project applies in the data pipeline instead (see `efficientnet.ts`).
 */

/** The Keras Applications this project builds. */
export const KERAS_APPLICATIONS = ['ResNet50', 'VGG16', 'InceptionV3', 'MobileNet', 'MobileNetV2', 'EfficientNetB0'] as const;
export type KerasApplication = (typeof KERAS_APPLICATIONS)[number];

/**
 * `data.image.scale` of a family: `caffe` (RGB→BGR, minus the ImageNet mean in 0–255),
 * `symmetric` (Keras "tf": x/127.5 − 1, in [-1, 1]), `imagenet` (Keras "torch": x/255, minus mean, over std).
 */
export const APPLICATION_SCALE: Record<KerasApplication, 'caffe' | 'symmetric' | 'imagenet'> = {
  ResNet50: 'caffe',
  VGG16: 'caffe',
  InceptionV3: 'symmetric',
  MobileNet: 'symmetric',
  MobileNetV2: 'symmetric',
  EfficientNetB0: 'imagenet',
};

/** Default input size [h, w, 3] of each architecture (keras.io: 299 for InceptionV3, else 224). */
export const APPLICATION_INPUT: Record<KerasApplication, [number, number, number]> = {
  ResNet50: [224, 224, 3],
  VGG16: [224, 224, 3],
  InceptionV3: [299, 299, 3],
  MobileNet: [224, 224, 3],
  MobileNetV2: [224, 224, 3],
  EfficientNetB0: [224, 224, 3],
};

const PATTERNS: [RegExp, KerasApplication][] = [
  [/^resnet50_weights_tf_dim_ordering_tf_kernels(_notop)?\.h5$/i, 'ResNet50'],
  [/^vgg16_weights_tf_dim_ordering_tf_kernels(_notop)?\.h5$/i, 'VGG16'],
  [/^inception_v3_weights_tf_dim_ordering_tf_kernels(_notop)?\.h5$/i, 'InceptionV3'],
  [/^mobilenet_1_0_224_tf(_no_top)?\.h5$/i, 'MobileNet'],
  [/^mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224(_no_top)?\.h5$/i, 'MobileNetV2'],
  [/^efficientnetb0(_notop)?\.h5$/i, 'EfficientNetB0'],
];

/** What a weights file's name says: the architecture, and whether the classifier top is included. */
export interface ApplicationFile {
  application: KerasApplication;
  includeTop: boolean;
}

/**
 * Recognises a Keras Applications ImageNet weights file by its base name, e.g.
 * `resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5` → ResNet50 without top. Only the
 * width-1.0, 224-pixel MobileNet files are recognised (the ones built here).
 * @returns undefined for any other name.
 */
export function applicationOfFile(file: string): ApplicationFile | undefined {
  const base = file.split(/[\\/]/).pop() ?? file;
  for (const [re, application] of PATTERNS) {
    const m = re.exec(base);
    if (m) return { application, includeTop: !m[1] };
  }
  return undefined;
}

/** The last layer of each architecture without its classifier top (`include_top=False`). */
export const APPLICATION_LAST_BASE_LAYER: Record<KerasApplication, string> = {
  ResNet50: 'conv5_block3_out',
  VGG16: 'block5_pool',
  InceptionV3: 'mixed10',
  MobileNet: 'conv_pw_13_relu',
  MobileNetV2: 'out_relu',
  EfficientNetB0: 'top_activation',
};

/**
 * The architecture and top of a weights-only file: `explicit` (the experiment's `base.application`)
 * else the file name; the top from the file name, else from whether a weight group is named like
 * the classifier (`predictions`, MobileNet's `conv_preds`).
 * @param layerNames the file's weight groups (`layer_names`).
 * @returns undefined when neither the experiment nor the file name names an architecture.
 */
export function applicationOfWeights(file: string, layerNames: string[], explicit?: KerasApplication): ApplicationFile | undefined {
  const byName = applicationOfFile(file);
  const application = explicit ?? byName?.application;
  if (!application) return undefined;
  const includeTop = byName && byName.application === application ? byName.includeTop : layerNames.some((n) => n === 'predictions' || n === 'conv_preds');
  return { application, includeTop };
}
