/**
 * Pixel scaling: from stored bytes (0..255) to the float range a model expects
 * (`data.image.scale`). Applied per batch in `ExampleSet.gather`, never to a whole data set.
 */
import type { ImagePreprocess } from '../experiment/schema.js';

/**
 * `data.image.scale`: `unit` → [0, 1], `symmetric` → [-1, 1] (Keras "tf"), `imagenet` → (x/255 − mean) / std
 * (Keras "torch"), `caffe` → BGR channel order minus the ImageNet BGR mean in 0..255 (Keras "caffe"), `raw` → 0..255.
 */
export type PixelScale = NonNullable<ImagePreprocess['scale']>;

/** ImageNet per-channel mean of RGB pixels in [0, 1] (torchvision, Keras `caffe`-free models). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** ImageNet per-channel standard deviation of RGB pixels in [0, 1]. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
/**
 * ImageNet per-channel mean in 0..255, in BGR order: Keras `imagenet_utils.preprocess_input` mode
 * "caffe" (ResNet50, VGG16) subtracts it after reordering RGB to BGR, without scaling.
 */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** True when `scale` reorders a 3-channel image's channels RGB → BGR (`caffe`). */
export const swapsToBgr = (scale: PixelScale): boolean => scale === 'caffe';

/** Mean/std used for a single grayscale channel with `imagenet` scaling: the averages of the RGB values. */
export const IMAGENET_GRAY = { mean: 0.449, std: 0.226 } as const;

/**
 * Per-channel lookup tables byte → scaled float32.
 * @returns `channels` tables of 256 entries each; entry `v` of table `c` is the scaled value of byte
 *          `v` in channel `c`.
 */
export function scaleTables(scale: PixelScale, channels: number): Float32Array[] {
  const tables: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = scaleByte(v, scale, c, channels);
    tables.push(t);
  }
  return tables;
}

/**
 * The scaled float of one byte `v` (0..255) in output channel `c` of a `channels`-channel image
 * (for `caffe`, output channel 0 is blue: the caller reads the source's channel 2 there).
 */
export function scaleByte(v: number, scale: PixelScale, c: number, channels: number): number {
  switch (scale) {
    case 'unit':
      return v / 255;
    case 'symmetric':
      return v / 127.5 - 1;
    case 'raw':
      return v;
    case 'caffe':
      return v - (channels === 3 ? CAFFE_MEAN_BGR[c]! : (CAFFE_MEAN_BGR[0] + CAFFE_MEAN_BGR[1] + CAFFE_MEAN_BGR[2]) / 3);
    case 'imagenet': {
      const mean = channels === 3 ? IMAGENET_MEAN[c] : IMAGENET_GRAY.mean;
      const std = channels === 3 ? IMAGENET_STD[c] : IMAGENET_GRAY.std;
      return (v / 255 - mean) / std;
    }
  }
}

/**
 * The scaled values of black (byte 0) and white (byte 255) per channel: the range augmentation clamps
 * to and pads with.
 */
export interface ValueRange {
  /** Scaled value of byte 0 in each channel (length = channels). */
  readonly low: Float32Array;
  /** Scaled value of byte 255 in each channel (length = channels). */
  readonly high: Float32Array;
}

/** {@link ValueRange} of `scale` for a `channels`-channel image. */
export function valueRange(scale: PixelScale, channels: number): ValueRange {
  const low = new Float32Array(channels);
  const high = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    low[c] = scaleByte(0, scale, c, channels);
    high[c] = scaleByte(255, scale, c, channels);
  }
  return { low, high };
}
