/**
 * A catalogue of well-known tfjs Layers models hosted publicly, used by name
 * (`{"kind": "catalog", "name": "mobilenet-v1-0.25-224"}`) and downloaded on first use through the
 * URL path (`url-base.ts`: the user-level cache, timeouts, size limit). No tfjs import: `validate`,
 * `transfer-lab models` and the extension read it.
 *
 * Sources of the URLs: the MobileNet v1 Layers models TensorFlow.js publishes under
 * `storage.googleapis.com/tfjs-models/tfjs/` (used by tfjs-examples and the tfjs transfer-learning
 * tutorials), and the MobileNetV2 base the Teachable Machine image library
 * (`@teachablemachine/image`, `src/utils/tf.ts`) loads from `storage.googleapis.com/teachable-machine-models/`.
 * No published SHA-256 was found for any of them: they are unpinned (an experiment can pin one with `sha256`).
 */

/** One catalogued model. */
export interface CatalogEntry {
  name: string;
  /** Path under the catalogue's origin (`https://storage.googleapis.com`, or `TRANSFER_LAB_CATALOG_URL`). */
  path: string;
  /** Input size [h, w, 3] the model was trained at. */
  inputShape: [number, number, number];
  /** `data.image.scale` it expects. */
  scale: 'symmetric' | 'unit' | 'imagenet' | 'caffe';
  /** Licence of the published weights. */
  licence: string;
  /** SHA-256 of the `model.json`, when one is published; absent: unpinned. */
  sha256?: string;
  description: string;
}

/** The catalogue's default origin. */
export const CATALOG_ORIGIN = 'https://storage.googleapis.com';

/** Environment variable that replaces {@link CATALOG_ORIGIN} (a mirror, or a local server in tests). */
export const CATALOG_URL_ENV = 'TRANSFER_LAB_CATALOG_URL';

export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'mobilenet-v1-0.25-224',
    path: '/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json',
    inputShape: [224, 224, 3],
    scale: 'symmetric',
    licence: 'Apache-2.0 (TensorFlow.js models)',
    description: 'MobileNet v1, width 0.25, ImageNet (1000 classes), as published for TensorFlow.js; ~1.9 MB',
  },
  {
    name: 'mobilenet-v1-1.0-224',
    path: '/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json',
    inputShape: [224, 224, 3],
    scale: 'symmetric',
    licence: 'Apache-2.0 (TensorFlow.js models)',
    description: 'MobileNet v1, width 1.0, ImageNet (1000 classes), as published for TensorFlow.js; ~17 MB',
  },
  {
    name: 'teachable-machine-mobilenet-v2-0.35-224',
    path: '/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
    inputShape: [224, 224, 3],
    scale: 'symmetric',
    licence: 'Apache-2.0 (@teachablemachine/image)',
    description: 'MobileNetV2, width 0.35, without top: the image base Teachable Machine trains its heads on (its default); cut at out_relu',
  },
];

/** The names of the catalogue, in order. */
export const CATALOG_NAMES = CATALOG.map((e) => e.name);

/** The entry named `name`, or undefined. */
export function catalogEntry(name: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.name === name);
}

/** The URL of `entry`: its path under `TRANSFER_LAB_CATALOG_URL` when set, else under {@link CATALOG_ORIGIN}. */
export function catalogUrl(entry: CatalogEntry): string {
  const origin = (process.env[CATALOG_URL_ENV] || CATALOG_ORIGIN).replace(/\/+$/, '');
  return origin + entry.path;
}
