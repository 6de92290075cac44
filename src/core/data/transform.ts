/**
 * Deterministic domain shifts of a source's examples (`transform` of an image source): rotation,
 * inversion, contrast, brightness and Gaussian noise, applied when examples are gathered. Used to
 * build a shifted target domain for transductive experiments (e.g. inverted or noisy digits).
 *
 * Every operation works in the unit range u = (x − low) / (high − low) per channel, where low/high
 * are the scaled values of black and white (`ExampleSet.range`), so the same spec means the same
 * shift under every pixel scaling. Order: rotate, invert, contrast, brightness, noise; contrast,
 * brightness and noise clamp u to [0, 1]. Noise is drawn from a generator seeded by the example's id,
 * so an example looks the same in every batch, split and run. Example ids are kept: a shifted example
 * is still recognised as the same underlying image (transductive runs leave out target examples that
 * are also training examples).
 */
import type { TransformSpec } from '../experiment/schema.js';
import { ExampleView, exampleSize, type ExampleStore } from './example-set.js';
import { deriveSeed, Rng } from './rng.js';
import type { ValueRange } from './scale.js';
import type { SourceData } from './sources/source.js';

/** True when `spec` changes anything. */
export function isShifting(spec: TransformSpec | undefined): boolean {
  return !!spec && (!!spec.invert || (spec.rotate ?? 0) !== 0 || (spec.contrast ?? 1) !== 1 || (spec.brightness ?? 0) !== 0 || (spec.noise ?? 0) > 0);
}

/**
 * Shifts one image in place.
 * @param img   [h, w, c] channels-last scaled values.
 * @param shape [h, w, c].
 * @param spec  the shift; absent fields are off.
 * @param range scaled black/white per channel (default 0 and 1).
 * @param noiseSeed seed of the noise draws (only read when `spec.noise` > 0).
 * @param scratch optional buffer of img.length floats (rotation), to avoid an allocation per image.
 * @throws RangeError when `img` is not h·w·c long.
 */
export function shiftImage(
  img: Float32Array,
  shape: readonly number[],
  spec: TransformSpec,
  range: ValueRange | undefined,
  noiseSeed: number,
  scratch?: Float32Array,
): void {
  const [h, w, c] = shape as [number, number, number];
  if (shape.length !== 3 || img.length !== h * w * c) throw new RangeError(`a ${img.length}-value example is not a [${shape.join(', ')}] image`);
  const low = range?.low ?? new Float32Array(c).fill(0);
  const high = range?.high ?? new Float32Array(c).fill(1);
  // to the unit range
  for (let i = 0; i < img.length; i++) {
    const ch = i % c;
    img[i] = (img[i]! - low[ch]!) / (high[ch]! - low[ch]!);
  }
  const angle = spec.rotate ?? 0;
  if (angle !== 0) rotateUnit(img, h, w, c, (angle * Math.PI) / 180, scratch ?? new Float32Array(img.length));
  const contrast = spec.contrast ?? 1;
  const brightness = spec.brightness ?? 0;
  const noise = spec.noise ?? 0;
  const rng = noise > 0 ? new Rng(noiseSeed) : undefined;
  const clamp = contrast !== 1 || brightness !== 0 || noise > 0;
  for (let i = 0; i < img.length; i++) {
    let u = img[i]!;
    if (spec.invert) u = 1 - u;
    u = 0.5 + contrast * (u - 0.5) + brightness;
    if (rng) u += noise * rng.normal();
    if (clamp) u = u < 0 ? 0 : u > 1 ? 1 : u;
    const ch = i % c;
    img[i] = low[ch]! + u * (high[ch]! - low[ch]!);
  }
}

/**
 * Rotates a unit-range image counter-clockwise (as seen on screen, rows growing downwards) by
 * `radians` about its centre ((w − 1)/2, (h − 1)/2), bilinear; pixels from outside are black (0).
 */
function rotateUnit(img: Float32Array, h: number, w: number, c: number, radians: number, scratch: Float32Array): void {
  scratch.set(img);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const at = (y: number, x: number, ch: number) => (y >= 0 && y < h && x >= 0 && x < w ? scratch[(y * w + x) * c + ch]! : 0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Output pixel (x, y) samples the source at the inverse rotation; "up" is −y.
      const dx = x - cx;
      const du = cy - y;
      const sx = cx + dx * cos + du * sin;
      const sy = cy - (-dx * sin + du * cos);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let ch = 0; ch < c; ch++) {
        img[(y * w + x) * c + ch] =
          (1 - fy) * ((1 - fx) * at(y0, x0, ch) + fx * at(y0, x0 + 1, ch)) + fy * ((1 - fx) * at(y0 + 1, x0, ch) + fx * at(y0 + 1, x0 + 1, ch));
      }
    }
  }
}

/**
 * A store whose examples are those of `inner`, shifted by `spec` when written. It has no content
 * identity (`example-set.ts`) on purpose: its values are not `inner`'s, and the noise seed comes from
 * the example's id, so a frozen pass over it keys features by their values.
 */
export class ShiftedStore implements ExampleStore {
  private readonly scratch: Float32Array;

  constructor(
    private readonly inner: ExampleStore,
    private readonly spec: TransformSpec,
  ) {
    this.scratch = new Float32Array(exampleSize(inner.shape));
  }

  get count(): number {
    return this.inner.count;
  }

  get shape(): number[] {
    return this.inner.shape;
  }

  get range(): ValueRange | undefined {
    return this.inner.range;
  }

  id(pos: number): string {
    return this.inner.id(pos);
  }

  write(pos: number, out: Float32Array, offset: number): void {
    this.inner.write(pos, out, offset);
    const img = out.subarray(offset, offset + this.scratch.length);
    shiftImage(img, this.inner.shape, this.spec, this.inner.range, deriveSeed(0, `transform:${this.inner.id(pos)}`), this.scratch);
  }
}

/**
 * `data` with `spec` applied to every example (same positions, labels and ids); `data` itself when
 * the spec changes nothing.
 * @throws RangeError when the examples are not images ([h, w, c]).
 */
export function withTransform(data: SourceData, spec: TransformSpec | undefined): SourceData {
  if (!isShifting(spec)) return data;
  if (data.set.shape.length !== 3) throw new RangeError(`a transform applies to images, but these examples are [${data.set.shape.join(', ')}]`);
  const store = new ShiftedStore(data.set.store, spec!);
  return { ...data, set: new ExampleView(store, data.set.positions, data.set.labels) };
}
