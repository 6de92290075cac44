/**
 * The `imageFolder` source: `<path>/<class name>/<image files>`, the layout of torchvision's
 * `ImageFolder` and Keras' `image_dataset_from_directory`.
 *
 * - Hidden entries are ignored everywhere: names starting with "." (`.DS_Store`, `.ipynb_checkpoints`,
 *   AppleDouble `._x.jpg`), `__MACOSX`, `Thumbs.db`, `desktop.ini`. Subfolders of a class folder are
 *   ignored too.
 * - Class names are the folder names NFC-normalised (macOS writes NFD), sorted by UTF-16 code unit
 *   (locale-independent) unless `classes` gives the order. Files are read in the same order of their
 *   names.
 * - Every file is decoded by content; one that cannot be decoded is reported in `skipped` and, with
 *   `perClass`, replaced by the next file of its class, so `perClass` counts readable images.
 * - Decoding runs {@link DECODE_CONCURRENCY} files at a time, through the decoded-photo cache when
 *   the load has one (`pixel-cache.ts`: a photo already decoded to the same target is read back).
 * - With that cache, each example carries its photo's content identity (`PixelStore.identity`), which
 *   keys its frozen features.
 */
import path from 'node:path';
import type { ImageFolderSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import { byCodePoint, listClassFiles, listClassFolders } from './class-folders.js';
import { ExampleView, PixelStore } from '../example-set.js';
import { decodeImage, type DecodeTarget } from './decode-image.js';
import type { DecodedPhoto, PixelCache } from './pixel-cache.js';
import type { SkippedFile, SourceContext, SourceData } from './source.js';

/** Images decoded at the same time (sharp also uses libvips threads inside each decode). */
export const DECODE_CONCURRENCY = 4;

export { isHiddenEntry } from './class-folders.js';

/**
 * Reads an image folder, each image resized to `ctx.image.size` with `ctx.image.channels` channels.
 * Ids are the absolute file paths.
 * @throws DataError naming the path if the folder is missing or not a folder, has no class folders,
 *         lacks a class listed in `classes`, has two folders with the same NFC name, or has a class
 *         folder with no image files (or none readable); and if the model input is not an image shape.
 */
export async function loadImageFolder(src: ImageFolderSource, ctx: SourceContext): Promise<SourceData> {
  const root = src.path;
  const size = ctx.image.size;
  if (!size) {
    throw new DataError(`image folder ${root} needs an image size: set data.image.size or use a model with an [h, w, c] input`, root);
  }
  const target: DecodeTarget = { height: size[0], width: size[1], channels: ctx.image.channels, resize: ctx.image.resize };
  const folders = listClassFolders(root);
  const classNames = src.classes ? src.classes.map((c) => c.normalize('NFC')) : [...folders.keys()].sort(byCodePoint);
  for (const name of classNames) {
    if (!folders.has(name)) {
      throw new DataError(`class folder "${name}" not found in ${root} (found: ${[...folders.keys()].sort(byCodePoint).join(', ')})`, root);
    }
  }

  const classFiles: string[][] = [];
  for (const name of classNames) {
    const dir = path.join(root, folders.get(name)!);
    const files = listClassFiles(dir);
    if (files.length === 0) throw new DataError(`class folder ${dir} is empty (no image files)`, dir);
    classFiles.push(files);
  }

  const bytesPer = target.height * target.width * target.channels;
  const cap = src.perClass ?? Infinity;
  const capacity = classFiles.reduce((a, f) => a + Math.min(cap, f.length), 0);
  let pixels = new Uint8Array(capacity * bytesPer);
  const ids: string[] = [];
  const identities: (string | undefined)[] = [];
  const labelList: number[] = [];
  const skipped: SkippedFile[] = [];
  const meter = ctx.meter?.(capacity);
  for (let c = 0; c < classNames.length; c++) {
    const decoded = await decodeFirst(classFiles[c], Math.min(cap, classFiles[c].length), target, skipped, ctx.pixels, meter);
    if (decoded.length === 0) {
      throw new DataError(
        `class folder ${path.dirname(classFiles[c][0])} has no readable images (${classFiles[c].length} skipped)`,
        path.dirname(classFiles[c][0]),
      );
    }
    for (const { file, data, identity } of decoded) {
      pixels.set(data, ids.length * bytesPer);
      identities.push(identity);
      ids.push(file);
      labelList.push(c);
    }
  }
  if (ids.length < capacity) pixels = pixels.subarray(0, ids.length * bytesPer);
  skipped.sort((a, b) => byCodePoint(a.file, b.file));
  const store = new PixelStore({
    pixels,
    count: ids.length,
    height: target.height,
    width: target.width,
    channels: target.channels,
    scale: ctx.image.scale,
    id: (pos) => ids[pos],
    identities,
  });
  return { classNames, set: ExampleView.all(store, Int32Array.from(labelList)), skipped };
}

/**
 * Decodes files in order, {@link DECODE_CONCURRENCY} at a time, until `need` have decoded (or the
 * files run out). The result is always the first `need` readable files in order, whatever the
 * timing: a file is started only while (decoded + in flight) < need. Failures go to `skipped`.
 * Each decoded file is added to `meter`.
 */
async function decodeFirst(
  files: string[],
  need: number,
  target: DecodeTarget,
  skipped: SkippedFile[],
  pixels: PixelCache | undefined,
  meter?: { add(n?: number): void },
): Promise<{ file: string; data: Uint8Array; identity?: string }[]> {
  const results: (DecodedPhoto | null)[] = new Array<DecodedPhoto | null>(files.length).fill(null);
  let next = 0;
  let ok = 0;
  let inFlight = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && ok + inFlight < need) {
      const k = next++;
      inFlight++;
      try {
        results[k] = pixels ? await pixels.decode(files[k], target) : { pixels: await decodeImage(files[k], target) };
        ok++;
        meter?.add();
      } catch (e) {
        skipped.push({ file: files[k], reason: errorMessage(e).split('\n')[0] });
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
  const out: { file: string; data: Uint8Array; identity?: string }[] = [];
  results.forEach((r, k) => {
    if (r) out.push({ file: files[k], data: r.pixels, ...(r.identity ? { identity: r.identity } : {}) });
  });
  return out;
}
