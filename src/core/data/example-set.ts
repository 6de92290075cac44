/**
 * Compact in-memory example sets. Pixels stay `Uint8Array` bytes (one copy per source, however many
 * train/validation/test views share them) and are scaled to float32 only for the examples of one
 * batch in {@link ExampleSet.gather}. CSV features are stored as float32 once.
 *
 * Storage ({@link ExampleStore}) is indexed by *source position* (the order examples were read);
 * an {@link ExampleView} is a list of positions plus their labels, so subsets (splits, class filters
 * of a validation source, few-label training sets) cost 8 bytes per example and no pixel copies.
 *
 * **Content identity** (`identity`, optional everywhere): a string that determines an example's
 * gathered float values completely, so that the frozen-feature cache can key its features by it
 * instead of hashing the values (`features/cached-pass.ts`). The rule that keeps a stale identity
 * impossible: only a store that produces the values itself gives one (a {@link PixelStore} given the
 * content identities of its bytes), and only a view that passes values through unchanged (subsets,
 * relabelling, picks and concatenations) forwards it. Any other store or view — a transform, text,
 * csv, anything new — has none unless it extends its source's identity with a full description of
 * what it changes, and examples without one are keyed by their values.
 */
import { scaleTables, swapsToBgr, valueRange, type PixelScale, type ValueRange } from './scale.js';

/** A labelled set of examples, stored compactly (pixel bytes for images), gathered into float batches on demand. */
export interface ExampleSet {
  /** Number of examples. */
  readonly count: number;
  /** Shape of one example: [h, w, c] for images, [features] for csv. */
  readonly shape: number[];
  /** Label index 0..numClasses-1 of each example (length `count`). */
  readonly labels: Int32Array;
  /**
   * Scaled value of black and white per channel, for augmentation (padding, clamping); absent for csv
   * features, which have no fixed range.
   */
  readonly range?: ValueRange;
  /** Where example `i` (0..count-1) came from (file path, "mnist:7#123", "data.csv row 17"): for error messages. */
  id(i: number): string;
  /**
   * Content identity of example `i` (see the module comment): equal identities mean equal gathered
   * values. Undefined (or the method absent) when the example has none.
   * @throws RangeError if `i` is not an integer in 0..count-1.
   */
  identity?(i: number): string | undefined;
  /**
   * Scaled float32 examples for `indices`, laid out [indices.length, ...shape] (row-major, channels last).
   * A fresh array each call, safe to augment in place.
   * @throws RangeError if an index is not an integer in 0..count-1.
   */
  gather(indices: ArrayLike<number>): Float32Array;
}

/** Number of floats in one example of `shape` (product of its dimensions). */
export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Backing storage of one source's examples, indexed by source position 0..count-1. */
export interface ExampleStore {
  /** Number of stored examples. */
  readonly count: number;
  /** Shape of one example as gathered (after channel expansion). */
  readonly shape: number[];
  /** See {@link ExampleSet.range}. */
  readonly range?: ValueRange;
  /** Where the example at `pos` came from. */
  id(pos: number): string;
  /** Content identity of the example at `pos` as `write` produces it (see the module comment); undefined or absent: none. */
  identity?(pos: number): string | undefined;
  /** Writes the scaled example at `pos` into `out[offset .. offset + exampleSize(shape))`. */
  write(pos: number, out: Float32Array, offset: number): void;
}

/** Options of a {@link PixelStore}. */
export interface PixelStoreOptions {
  /** Pixel bytes of all examples, [count, height, width, channels] row-major. Kept, not copied. */
  pixels: Uint8Array;
  count: number;
  height: number;
  width: number;
  /** Channels stored in `pixels` (1 or 3). */
  channels: number;
  /** Channels produced by `write` (default `channels`). Only 1 → 3 expansion (gray replicated) is supported. */
  outChannels?: number;
  /** Float scaling applied when gathering. */
  scale: PixelScale;
  /** Name of the example at a source position. */
  id: (pos: number) => string;
  /**
   * Content identity of the bytes at each source position (length `count`; undefined entries: none),
   * e.g. a decoded photo's (`sources/pixel-cache.ts`): equal identities must mean equal bytes.
   * {@link PixelStore.identity} extends it with what `write` applies (channels, scale).
   */
  identities?: readonly (string | undefined)[];
}

/** Bump when {@link PixelStore.write} changes the values it makes from the same bytes and options. */
const PIXEL_VALUES_FORMAT = 'pixel-values/1';

/** Image bytes scaled per batch through per-channel lookup tables. */
export class PixelStore implements ExampleStore {
  readonly count: number;
  readonly shape: number[];
  readonly range: ValueRange;
  private readonly pixels: Uint8Array;
  private readonly inChannels: number;
  private readonly pixelsPerImage: number;
  private readonly tables: Float32Array[];
  /** Source channel of output channels 0 and 2 (2 and 0 for BGR output, `caffe`). */
  private readonly first: number;
  private readonly third: number;
  private readonly idOf: (pos: number) => string;
  private readonly identities: readonly (string | undefined)[] | undefined;
  /** What `write` applies to the bytes, appended to their identity. */
  private readonly valuesId: string;

  /** @throws Error if `pixels` is shorter than count×height×width×channels or the channel change is unsupported. */
  constructor(o: PixelStoreOptions) {
    const outChannels = o.outChannels ?? o.channels;
    if (outChannels !== o.channels && !(o.channels === 1 && outChannels === 3)) {
      throw new Error(`PixelStore: cannot convert ${o.channels} stored channels to ${outChannels}`);
    }
    if (o.pixels.length < o.count * o.height * o.width * o.channels) {
      throw new Error(`PixelStore: ${o.pixels.length} bytes cannot hold ${o.count}×${o.height}×${o.width}×${o.channels}`);
    }
    this.pixels = o.pixels;
    this.count = o.count;
    this.inChannels = o.channels;
    this.pixelsPerImage = o.height * o.width;
    this.shape = [o.height, o.width, outChannels];
    this.tables = scaleTables(o.scale, outChannels);
    this.range = valueRange(o.scale, outChannels);
    const bgr = swapsToBgr(o.scale) && o.channels === 3;
    this.first = bgr ? 2 : 0;
    this.third = bgr ? 0 : 2;
    this.idOf = o.id;
    this.identities = o.identities;
    this.valuesId = `${PIXEL_VALUES_FORMAT} ${o.height}×${o.width}×${o.channels}→${outChannels} ${o.scale}`;
  }

  id(pos: number): string {
    return this.idOf(pos);
  }

  /**
   * The identity of the bytes at `pos` (option `identities`) followed by the shape, the channel change
   * and the scale `write` applies; undefined when the bytes have none.
   */
  identity(pos: number): string | undefined {
    const bytes = this.identities?.[pos];
    return bytes === undefined ? undefined : `${bytes}|${this.valuesId}`;
  }

  write(pos: number, out: Float32Array, offset: number): void {
    const n = this.pixelsPerImage;
    const outC = this.shape[2];
    const src = this.pixels;
    let s = pos * n * this.inChannels;
    if (outC === 1) {
      const t = this.tables[0];
      for (let k = 0; k < n; k++) out[offset + k] = t[src[s + k]];
    } else if (this.inChannels === 3) {
      const [t0, t1, t2] = this.tables;
      const { first, third } = this;
      for (let k = 0, o = offset; k < n; k++, o += 3, s += 3) {
        out[o] = t0[src[s + first]];
        out[o + 1] = t1[src[s + 1]];
        out[o + 2] = t2[src[s + third]];
      }
    } else {
      const [t0, t1, t2] = this.tables;
      for (let k = 0, o = offset; k < n; k++, o += 3) {
        const v = src[s + k];
        out[o] = t0[v];
        out[o + 1] = t1[v];
        out[o + 2] = t2[v];
      }
    }
  }
}

/** Float feature vectors (csv), stored once as float32 and copied unscaled. */
export class FloatStore implements ExampleStore {
  readonly shape: number[];
  /**
   * @param features [count, size] row-major feature values.
   * @param count    Number of examples.
   * @param size     Features per example.
   * @param idOf     Name of the example at a source position.
   */
  constructor(
    private readonly features: Float32Array,
    readonly count: number,
    size: number,
    private readonly idOf: (pos: number) => string,
  ) {
    this.shape = [size];
  }

  id(pos: number): string {
    return this.idOf(pos);
  }

  write(pos: number, out: Float32Array, offset: number): void {
    const n = this.shape[0];
    out.set(this.features.subarray(pos * n, pos * n + n), offset);
  }
}

/** An {@link ExampleSet} over a store: the examples at `positions`, with `labels`. */
export class ExampleView implements ExampleSet {
  readonly count: number;

  /**
   * @param store     Backing storage.
   * @param positions Store position of each example of this set.
   * @param labels    Label of each example (same length as `positions`).
   */
  constructor(
    readonly store: ExampleStore,
    readonly positions: Int32Array,
    readonly labels: Int32Array,
  ) {
    if (positions.length !== labels.length) throw new Error('ExampleView: positions and labels differ in length');
    this.count = positions.length;
  }

  /** A view of every example of `store` in store order, with `labels` (length `store.count`). */
  static all(store: ExampleStore, labels: Int32Array): ExampleView {
    const positions = new Int32Array(store.count);
    for (let i = 0; i < positions.length; i++) positions[i] = i;
    return new ExampleView(store, positions, labels);
  }

  get shape(): number[] {
    return this.store.shape;
  }

  get range(): ValueRange | undefined {
    return this.store.range;
  }

  id(i: number): string {
    return this.store.id(this.positions[this.check(i)]);
  }

  /** The store's identity of the example (labels do not change values). */
  identity(i: number): string | undefined {
    return this.store.identity?.(this.positions[this.check(i)]);
  }

  gather(indices: ArrayLike<number>): Float32Array {
    const size = exampleSize(this.store.shape);
    const out = new Float32Array(indices.length * size);
    for (let k = 0; k < indices.length; k++) {
      this.store.write(this.positions[this.check(indices[k])], out, k * size);
    }
    return out;
  }

  /** The examples at `indices` (indices into this view, in the given order), sharing the store. */
  subset(indices: ArrayLike<number>): ExampleView {
    const positions = new Int32Array(indices.length);
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = this.check(indices[k]);
      positions[k] = this.positions[i];
      labels[k] = this.labels[i];
    }
    return new ExampleView(this.store, positions, labels);
  }

  /** The same examples with each label `l` replaced by `map[l]`. */
  relabel(map: ArrayLike<number>): ExampleView {
    const labels = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) labels[i] = map[this.labels[i]];
    return new ExampleView(this.store, this.positions, labels);
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`example index ${i} out of range 0..${this.count - 1}`);
    }
    return i;
  }
}

/** Number of examples of each label 0..numClasses-1 in `set`. */
export function classCounts(set: Pick<ExampleSet, 'labels'>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of set.labels) counts[l]++;
  return counts;
}
