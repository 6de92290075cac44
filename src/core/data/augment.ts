/**
 * Random augmentation of a gathered training batch, in place, driven by a seeded {@link Rng} (the
 * same seed, spec and batch give the same result). Images are [n, h, w, c] channels-last float32 in
 * the scaled range (see `ExampleSet.range`); each example gets its own random draws, in this order:
 *
 * 0. `crop` = f: keep a random window whose sides are a fraction s ∈ [1 − f, 1] of the image's
 *    (s drawn uniformly, the same for both sides, so the aspect ratio is kept), placed uniformly at
 *    random, and resize it back to h × w bilinearly (half-pixel centres, as `tf.image.resizeBilinear`
 *    with `halfPixelCenters`): a random zoom of up to 1 / (1 − f) with no padding — the photo
 *    counterpart of torchvision's `RandomResizedCrop` without its aspect-ratio change.
 * 1. `flipHorizontal`: mirror left–right with probability ½.
 * 2. `shift` = N: translate by dx, dy drawn uniformly from −N..N pixels; the uncovered border is
 *    filled with black (`range.low`) — pad-and-crop.
 * 3. `colorJitter` = j: brightness factor b and contrast factor k drawn from [1 − j, 1 + j]; in unit
 *    space u = (x − low) / (high − low): u ← u·b, then u ← (u − mean u)·k + mean u, each
 *    clamped to [0, 1] (as torchvision's ColorJitter does in [0, 1] space).
 * 4. `noise` = σ: add Gaussian noise of standard deviation σ (scaled units, not clamped).
 *
 * For 1-D examples ([features], csv) only noise applies.
 */
import type { AugmentSpec } from '../experiment/schema.js';
import type { Rng } from './rng.js';
import type { ValueRange } from './scale.js';

/** True when `spec` changes anything (then frozen-layer outputs cannot be cached). */
export function isAugmenting(spec: Partial<AugmentSpec> | undefined): boolean {
  return !!spec && (!!spec.flipHorizontal || (spec.shift ?? 0) > 0 || (spec.noise ?? 0) > 0 || (spec.colorJitter ?? 0) > 0 || (spec.crop ?? 0) > 0);
}

/**
 * Augments `batch` in place.
 * @param batch Examples laid out [n, ...shape], n = batch.length / product(shape).
 * @param shape [h, w, c] (images) or [features].
 * @param spec  Which augmentations; absent fields are off.
 * @param rng   Seeded generator; advanced by the draws.
 * @param range Scaled black/white per channel (default 0 and 1): padding value and jitter clamp.
 * @throws RangeError if `batch.length` is not a multiple of the example size.
 */
export function augmentBatch(batch: Float32Array, shape: readonly number[], spec: Partial<AugmentSpec>, rng: Rng, range?: ValueRange): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0 || batch.length % size !== 0) {
    throw new RangeError(`batch of ${batch.length} values is not a whole number of [${shape.join(', ')}] examples`);
  }
  const n = batch.length / size;
  const noise = spec.noise ?? 0;
  if (shape.length !== 3) {
    if (noise > 0) addNoise(batch, noise, rng);
    return;
  }
  const [h, w, c] = shape;
  const low = range?.low ?? new Float32Array(c).fill(0);
  const high = range?.high ?? new Float32Array(c).fill(1);
  const shift = Math.floor(spec.shift ?? 0);
  const jitter = spec.colorJitter ?? 0;
  const crop = Math.min(spec.crop ?? 0, 0.95);
  const scratch = shift > 0 || crop > 0 ? new Float32Array(size) : undefined;
  for (let k = 0; k < n; k++) {
    const img = batch.subarray(k * size, (k + 1) * size);
    if (crop > 0) {
      const s = rng.uniform(1 - crop, 1);
      const ch = Math.max(1, Math.round(h * s));
      const cw = Math.max(1, Math.round(w * s));
      cropResize(img, h, w, c, rng.int(h - ch + 1), rng.int(w - cw + 1), ch, cw, scratch!);
    }
    if (spec.flipHorizontal && rng.next() < 0.5) flipHorizontal(img, h, w, c);
    if (shift > 0) {
      const dy = rng.int(2 * shift + 1) - shift;
      const dx = rng.int(2 * shift + 1) - shift;
      translate(img, h, w, c, dy, dx, low, scratch!);
    }
    if (jitter > 0) colorJitter(img, c, rng.uniform(1 - jitter, 1 + jitter), rng.uniform(1 - jitter, 1 + jitter), low, high);
    if (noise > 0) addNoise(img, noise, rng);
  }
}

/**
 * Replaces one [h, w, c] image in place by its window of `ch` × `cw` pixels at row `top`, column
 * `left`, resized back to h × w bilinearly with half-pixel centres. A full-size window at (0, 0) is
 * the identity. `scratch` must hold h×w×c floats.
 */
export function cropResize(img: Float32Array, h: number, w: number, c: number, top: number, left: number, ch: number, cw: number, scratch: Float32Array): void {
  if (ch === h && cw === w) return;
  scratch.set(img.subarray(0, h * w * c));
  const sy = ch / h;
  const sx = cw / w;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), ch - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, ch - 1);
    const ay = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), cw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, cw - 1);
      const ax = fx - x0;
      const p00 = ((top + y0) * w + left + x0) * c;
      const p01 = ((top + y0) * w + left + x1) * c;
      const p10 = ((top + y1) * w + left + x0) * c;
      const p11 = ((top + y1) * w + left + x1) * c;
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) {
        const a = scratch[p00 + k] + (scratch[p01 + k] - scratch[p00 + k]) * ax;
        const b = scratch[p10 + k] + (scratch[p11 + k] - scratch[p10 + k]) * ax;
        img[o + k] = a + (b - a) * ay;
      }
    }
  }
}

/** Mirrors one [h, w, c] image left–right in place. Applying it twice is the identity. */
export function flipHorizontal(img: Float32Array, h: number, w: number, c: number): void {
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let x = 0, xr = w - 1; x < xr; x++, xr--) {
      for (let ch = 0; ch < c; ch++) {
        const a = row + x * c + ch;
        const b = row + xr * c + ch;
        const t = img[a];
        img[a] = img[b];
        img[b] = t;
      }
    }
  }
}

/**
 * Moves one [h, w, c] image by dy rows down and dx columns right in place: out[y][x] = in[y−dy][x−dx],
 * and `fill[ch]` where that lies outside. `scratch` must hold h×w×c floats.
 */
export function translate(img: Float32Array, h: number, w: number, c: number, dy: number, dx: number, fill: ArrayLike<number>, scratch: Float32Array): void {
  if (dy === 0 && dx === 0) return;
  scratch.set(img.subarray(0, h * w * c));
  for (let y = 0; y < h; y++) {
    const sy = y - dy;
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const o = (y * w + x) * c;
      if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
        for (let ch = 0; ch < c; ch++) img[o + ch] = fill[ch];
      } else {
        const s = (sy * w + sx) * c;
        for (let ch = 0; ch < c; ch++) img[o + ch] = scratch[s + ch];
      }
    }
  }
}

/** Brightness factor `b` then contrast factor `k` on one image (see the module comment), clamped to [low, high]. */
function colorJitter(img: Float32Array, c: number, b: number, k: number, low: Float32Array, high: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < img.length; i++) {
    const ch = i % c;
    const u = Math.min(1, Math.max(0, ((img[i] - low[ch]) / (high[ch] - low[ch])) * b));
    img[i] = u; // keep unit-space value for the second pass
    sum += u;
  }
  const mean = sum / img.length;
  for (let i = 0; i < img.length; i++) {
    const ch = i % c;
    const u = Math.min(1, Math.max(0, (img[i] - mean) * k + mean));
    img[i] = low[ch] + u * (high[ch] - low[ch]);
  }
}

/** Adds N(0, sigma²) to every value. */
function addNoise(values: Float32Array, sigma: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] += sigma * rng.normal();
}
