/**
 * Decodes one image file into model-ready bytes with sharp (libvips): format detected from the
 * content, not the extension (JPEG, PNG, WebP, GIF (first frame), TIFF, AVIF …), EXIF orientation
 * applied, alpha dropped, 16-bit reduced to 8-bit, converted to gray or sRGB, resized to the target.
 */
import * as fs from 'node:fs';
import sharp from 'sharp';

/** Target of {@link decodeImage}. */
export interface DecodeTarget {
  /** Output height, pixels. */
  height: number;
  /** Output width, pixels. */
  width: number;
  /** 1 → luminance (`b-w`), 3 → sRGB. */
  channels: 1 | 3;
  /**
   * `cover`: scale to cover, centre-crop; `contain`: scale to fit, pad with black;
   * `stretch`: scale each axis independently.
   */
  resize: 'cover' | 'contain' | 'stretch';
}

const FIT = { cover: 'cover', contain: 'contain', stretch: 'fill' } as const;

/**
 * Reads, decodes and resizes one image.
 * @param file Image path (any name; the format is sniffed); named in errors.
 * @param bytes the file's contents when the caller has read them already (then the file is not read again).
 * @returns Bytes laid out [height, width, channels] row-major, exactly height×width×channels long.
 * @throws Error (sharp's message, e.g. "Input file contains unsupported image format" or
 *         "VipsJpeg: premature end of JPEG image") for an unreadable, unsupported, truncated or
 *         corrupt file. Callers report it as a skipped file.
 */
export async function decodeImage(file: string, target: DecodeTarget, bytes?: Buffer): Promise<Uint8Array> {
  try {
    return await decode(bytes ?? file, target);
  } catch (e) {
    // libvips sometimes reports a failed decode as just "Unknown error" (its error buffer is shared
    // between concurrent decodes): name the format from the file's magic bytes instead.
    const message = (e as Error).message;
    if (!/^unknown error$/i.test(message.trim())) throw e;
    throw new Error(`${await sniffFormat(file)} data is corrupt or truncated (the decoder gave no detail)`, { cause: e });
  }
}

/** Image format named by a file's first bytes: JPEG, PNG, GIF, WebP, or "image". */
async function sniffFormat(file: string): Promise<string> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(12);
    await fd.read(b, 0, 12, 0);
    if (b[0] === 0xff && b[1] === 0xd8) return 'JPEG';
    if (b.subarray(0, 4).toString('latin1') === '\x89PNG') return 'PNG';
    if (b.subarray(0, 3).toString('latin1') === 'GIF') return 'GIF';
    if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP';
    return 'image';
  } finally {
    await fd.close();
  }
}

async function decode(input: string | Buffer, target: DecodeTarget): Promise<Uint8Array> {
  const { data, info } = await sharp(input, { failOn: 'error' })
    .rotate() // apply EXIF orientation, then drop the tag
    .removeAlpha()
    .toColourspace(target.channels === 1 ? 'b-w' : 'srgb')
    .resize({
      width: target.width,
      height: target.height,
      fit: FIT[target.resize],
      position: 'centre',
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.width !== target.width || info.height !== target.height || info.channels !== target.channels) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${target.width}×${target.height}×${target.channels}`);
  }
  return data;
}
