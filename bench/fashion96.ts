/**
 * Writes the data of the MobileNet-style benchmark case: Fashion-MNIST (Debian's
 * `dataset-fashion-mnist`, 28×28 gray) upscaled to 96×96 by bilinear interpolation (half-pixel
 * centres, as `tf.image.resizeBilinear(…, halfPixelCenters = true)`), as raw IDX files that the
 * product's `idx` source reads unchanged (it replicates gray to the model's 3 channels).
 *
 * Only the first {@link FASHION96_PER_CLASS} examples of each class are written (9.2 MB for
 * training, 4.6 MB for test at 96×96), enough for any benchmark mode; experiments cap further with
 * `perClass`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIdx } from '../src/core/data/sources/idx.js';

/** Where Debian's `dataset-fashion-mnist` installs the IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Side of the upscaled images, pixels. */
export const FASHION96_SIZE = 96;

/** Examples written per class: training and test files. */
export const FASHION96_PER_CLASS = { train: 100, test: 50 } as const;

/** Output file names, per split, inside the data folder. */
export function fashion96Files(dir: string, split: 'train' | 'test'): { images: string; labels: string } {
  return {
    images: path.join(dir, `fashion96-${split}-images-idx3-ubyte`),
    labels: path.join(dir, `fashion96-${split}-labels-idx1-ubyte`),
  };
}

/**
 * Bilinear upscale of one gray image (half-pixel centres, edges clamped).
 * @param src `h`×`w` bytes, row-major.
 * @param out `size`×`size` bytes, written in place.
 */
export function resizeBilinear(src: Uint8Array, h: number, w: number, size: number, out: Uint8Array): void {
  const sy = h / size;
  const sx = w / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const top = src[y0 * w + x0]! * (1 - tx) + src[y0 * w + x1]! * tx;
      const bottom = src[y1 * w + x0]! * (1 - tx) + src[y1 * w + x1]! * tx;
      out[y * size + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
}

/** An IDX header (unsigned bytes) for `dims`. */
function idxHeader(dims: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b[2] = 0x08;
  b[3] = dims.length;
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
}

/**
 * Writes the upscaled training and test files into `dir` unless they are already there.
 * @returns the folder, and whether files were written.
 * @throws Error naming the package when Fashion-MNIST is not installed.
 */
export async function ensureFashion96(dir: string): Promise<{ dir: string; written: boolean }> {
  const splits = ['train', 'test'] as const;
  if (splits.every((s) => fs.existsSync(fashion96Files(dir, s).labels))) return { dir, written: false };
  if (!fs.existsSync(FASHION_MNIST_DIR)) {
    throw new Error(`Fashion-MNIST not found in ${FASHION_MNIST_DIR}: apt-get install dataset-fashion-mnist`);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const split of splits) {
    const prefix = split === 'train' ? 'train' : 't10k';
    const images = await readIdx(path.join(FASHION_MNIST_DIR, `${prefix}-images-idx3-ubyte.gz`), [3]);
    const labels = await readIdx(path.join(FASHION_MNIST_DIR, `${prefix}-labels-idx1-ubyte.gz`), [1]);
    const [n, h, w] = images.dims as [number, number, number];
    const perClass = FASHION96_PER_CLASS[split];
    const taken = new Array<number>(10).fill(0);
    const keep: number[] = [];
    for (let i = 0; i < n && keep.length < 10 * perClass; i++) {
      const y = labels.data[i]!;
      if (taken[y]! < perClass) {
        taken[y]!++;
        keep.push(i);
      }
    }
    const side = FASHION96_SIZE;
    const pixels = new Uint8Array(keep.length * side * side);
    keep.forEach((src, k) => {
      resizeBilinear(images.data.subarray(src * h * w, (src + 1) * h * w), h, w, side, pixels.subarray(k * side * side, (k + 1) * side * side));
    });
    const files = fashion96Files(dir, split);
    // Images first, labels last: the labels file marks a complete pair.
    fs.writeFileSync(files.images, Buffer.concat([idxHeader([keep.length, side, side]), pixels]));
    fs.writeFileSync(files.labels, Buffer.concat([idxHeader([keep.length]), Buffer.from(keep.map((i) => labels.data[i]!))]));
  }
  return { dir, written: true };
}
