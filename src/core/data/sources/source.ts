/**
 * What every source reader (`mnist`, `idx`, `imageFolder`, `csv`) receives and returns.
 */
import type { PixelCache } from './pixel-cache.js';
import type { PixelScale } from '../scale.js';
import type { ExampleView } from '../example-set.js';
import { DataError } from '../errors.js';
import type { TextStats, Vocabulary } from '../../text/encode.js';

/** One file that could not be read; reported, not fatal. */
export interface SkippedFile {
  /** Absolute path of the file. */
  file: string;
  /** Why it was skipped (decoder message), e.g. "VipsJpeg: premature end of JPEG image". */
  reason: string;
}

/** How images are turned into model input (resolved from `data.image` and the model input shape). */
export interface ImageTarget {
  /** `data.image.size` when given explicitly: [height, width] in pixels. */
  explicitSize?: [number, number];
  /** Target [height, width] for image folders: `explicitSize`, else the model input size; undefined for a 1-D model input. */
  size?: [number, number];
  /** Channels of gathered examples: 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** `data.image.resize`: how an image of another aspect ratio reaches `size`. */
  resize: 'cover' | 'contain' | 'stretch';
  /** `data.image.scale`: float range of gathered pixels. */
  scale: PixelScale;
}

/** Context of one source read. */
export interface SourceContext {
  /** Which part of `data` this source is (`train`, `validation`, `test`, `target`): used in messages. */
  role: 'train' | 'validation' | 'test' | 'target';
  image: ImageTarget;
  /**
   * Class names of the training data, when reading a validation/test source. Readers that label by
   * name (csv) resolve labels against them directly; the others are aligned by name afterwards.
   */
  knownClasses?: readonly string[];
  /** The text base's vocabulary and `data.text.maxLength` (text sources need them). */
  text?: { vocabulary: Vocabulary; maxLength: number };
  /** Decodes photos through the persistent cache (image folders); without it every photo is decoded. */
  pixels?: PixelCache;
  /** Progress of a long read (photos decoded): called once with the number of items, returns the counter to add them to. */
  meter?: (total: number) => { add(n?: number): void };
}

/** The result of reading one source. */
export interface SourceData {
  /** Name of each label 0..n-1 of `set`. */
  classNames: string[];
  /** Every example read, labels 0..classNames.length-1, in source order. */
  set: ExampleView;
  /** Files that could not be decoded (image folders only). */
  skipped: SkippedFile[];
  /** Text sources: documents and vocabulary coverage. */
  text?: TextStats;
}

/**
 * Fixed-size sources (`mnist`, `idx`) are not resized: refuses an explicit `data.image.size` other
 * than their native size, and 3-channel data for a 1-channel model.
 * @throws DataError naming `where` and both sizes.
 */
export function checkFixedSize(image: ImageTarget, native: { height: number; width: number; channels: number }, where: string, source: string): void {
  const size = image.explicitSize;
  if (size && (size[0] !== native.height || size[1] !== native.width)) {
    throw new DataError(
      `data.image.size [${size.join(', ')}] does not match ${where}: its images are ${native.height}×${native.width} ` +
        `and only image folders are resized (remove data.image.size or set it to [${native.height}, ${native.width}])`,
      source,
    );
  }
  if (native.channels !== image.channels && !(native.channels === 1 && image.channels === 3)) {
    throw new DataError(
      `${where} has ${native.channels}-channel images but ${image.channels} channel(s) are expected (data.image.channels or the model input)`,
      source,
    );
  }
}
