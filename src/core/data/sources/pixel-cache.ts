/**
 * Decoded photos through the persistent cache (the frozen-feature cache's folder and size cap): a
 * photo decoded and resized once is read back as its pixel bytes by every later run, analysis or
 * stage that needs the same photo at the same target, so a second run on the same photos neither
 * decodes nor resizes.
 *
 * What a cached value depends on is what its key covers:
 * - the **pass key**: the format of this module ({@link PIXEL_FORMAT}), the versions of sharp and
 *   libvips (a new decoder may round differently), and the target (height, width, channels, resize);
 * - the **example key**: SHA-256 of the file's bytes. An edited or replaced photo therefore misses
 *   even under the same name; a renamed or copied one hits. A file's name never enters the key.
 *
 * A damaged entry (checksum, length) is a miss: deleted, decoded again, rewritten.
 *
 * The same two keys make a decoded photo's **content identity** ({@link DecodedPhoto.identity}): equal
 * identities mean equal pixel bytes, so the frozen-feature cache keys a photo's features by it (plus
 * the scaling, see `PixelStore.identity`) instead of hashing its float input.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import sharp from 'sharp';
import type { FeatureDiskCache, ReadStats } from '../../features/disk-cache.js';
import { decodeImage, type DecodeTarget } from './decode-image.js';

/** Bump when decoding changes in a way the key does not see. */
const PIXEL_FORMAT = 'decoded-pixels/1';

/** How the photos of a load were obtained. */
export interface PixelCacheStats {
  /** Photos read from the cache. */
  hits: number;
  /** Photos decoded (and stored, when the cache is on). */
  decoded: number;
  /** Entries found damaged, deleted and decoded again; included in `decoded`. */
  corrupt: number;
  /** Wall time spent reading, hashing, decoding and storing, seconds (summed over concurrent decodes). */
  seconds: number;
}

/** One decoded photo. */
export interface DecodedPhoto {
  /** [height, width, channels] bytes. */
  pixels: Uint8Array;
  /**
   * What determines `pixels`: "photo <pass key> <SHA-256 of the file's bytes>" (the pass key covers
   * {@link PIXEL_FORMAT}, the sharp/libvips versions and the target). Absent with the cache off (the
   * file is then not hashed).
   */
  identity?: string;
}

/** Decodes photos through a {@link FeatureDiskCache}; one instance per data load. */
export class PixelCache {
  readonly stats: PixelCacheStats = { hits: 0, decoded: 0, corrupt: 0, seconds: 0 };
  private readonly passKeys = new Map<string, string>();
  private wrote = false;

  /** @param cache the run's cache; undefined or off (size 0): every photo is decoded. */
  constructor(private readonly cache: FeatureDiskCache | undefined) {}

  /**
   * Pixels of `file` decoded to `target`, [height, width, channels] bytes, with their content identity
   * when the cache is on.
   * @throws Error as {@link decodeImage} (unreadable, unsupported, corrupt file), never for a damaged
   *   cache entry; Error from the file system when an entry cannot be written.
   */
  async decode(file: string, target: DecodeTarget): Promise<DecodedPhoto> {
    const t0 = performance.now();
    try {
      const on = this.cache?.enabled ? this.cache : undefined;
      if (!on) {
        const pixels = await decodeImage(file, target);
        this.stats.decoded++;
        return { pixels };
      }
      const bytes = await fs.promises.readFile(file);
      const pass = this.passKey(target);
      const example = createHash('sha256').update(bytes).digest('hex');
      const identity = `photo ${pass} ${example}`;
      const read: ReadStats = { hits: 0, corrupt: 0 };
      const entry = on.readBytes(pass, example, read);
      this.stats.corrupt += read.corrupt;
      const want = target.height * target.width * target.channels;
      if (entry && entry.bytes.length === want) {
        this.stats.hits++;
        return { pixels: entry.bytes, identity };
      }
      const data = await decodeImage(file, target, bytes);
      this.stats.decoded++;
      on.writeBytes(
        pass,
        example,
        [target.height, target.width, target.channels],
        data,
        `decoded photos ${target.height}×${target.width}×${target.channels}, ${target.resize}`,
      );
      this.wrote = true;
      return { pixels: data, identity };
    } finally {
      this.stats.seconds += (performance.now() - t0) / 1000;
    }
  }

  /** Evicts least-recently-used entries if this load wrote any (keeps the cache under its cap). */
  finish(): void {
    if (this.wrote) this.cache!.evict();
    this.wrote = false;
  }

  private passKey(target: DecodeTarget): string {
    const id = `${target.height}×${target.width}×${target.channels} ${target.resize}`;
    let key = this.passKeys.get(id);
    if (!key) {
      key = createHash('sha256')
        .update(`${PIXEL_FORMAT}|${JSON.stringify(sharp.versions)}|${id}`)
        .digest('hex');
      this.passKeys.set(id, key);
    }
    return key;
  }
}

/** "398 from the cache, 0 decoded, 1.2 s" (with damaged entries when any). */
export function describePixelStats(s: PixelCacheStats): string {
  return `${s.hits} from the cache, ${s.decoded} decoded${s.corrupt ? ` (${s.corrupt} damaged entries replaced)` : ''}, ${s.seconds.toFixed(1)} s`;
}
