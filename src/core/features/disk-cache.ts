/**
 * The on-disk store of the persistent frozen-feature cache: one file per (frozen pass, example),
 * written atomically (temporary file, then rename) and checked on every read (SHA-256 of header and
 * values), so a corrupt, truncated or half-written entry is reported as a miss and rewritten, never
 * used. Least-recently-used eviction: a hit sets the entry's modification time to now, and after a
 * run has written its entries the oldest files are deleted until the store is under its size cap.
 *
 * Layout: `<dir>/v1/<pass key, 2 hex>/<pass key>/<example key>.tlf`; an entry file is
 * `TLFEAT1\n` · u32 little-endian header length · header JSON `{ shape, dtype? }` · values · SHA-256
 * of everything before it (32 bytes). Values are float32 (frozen features; `dtype` absent) or uint8
 * (`"dtype": "uint8"`: decoded photo pixels, see `data/sources/pixel-cache.ts`).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAGIC = Buffer.from('TLFEAT1\n', 'latin1');
const DIGEST_BYTES = 32;
/** Format folder: a change of the entry format or of what a key covers gets a new one. */
const VERSION_DIR = 'v1';
const ENTRY_EXT = '.tlf';

/** Location and size cap of a cache. */
export interface FeatureCacheConfig {
  /** Cache folder (created on first write). */
  dir: string;
  /** Size cap, bytes; 0 turns the cache off. */
  maxBytes: number;
}

/** One stored entry, as read back. */
export interface CacheEntry {
  /** Shape of one example's features, e.g. [7, 7, 1280]. */
  shape: number[];
  values: Float32Array;
}

/** One stored byte entry (uint8 values), as read back. */
export interface ByteEntry {
  /** Shape of the stored array, e.g. [224, 224, 3]. */
  shape: number[];
  bytes: Uint8Array;
}

/** What {@link FeatureDiskCache.list} reports for one frozen pass. */
export interface PassUsage {
  /** Pass key (hex). */
  key: string;
  /** Description written with the first entry (base, cut layer, input), when present. */
  description?: string;
  entries: number;
  bytes: number;
  /** Most recent use, ms since the epoch. */
  lastUsed: number;
}

/** Counts of one read pass, for the run log. */
export interface ReadStats {
  hits: number;
  /** Entries present but unreadable (bad checksum, truncated): deleted, then recomputed. */
  corrupt: number;
}

/** A feature cache folder. Methods never throw for a damaged entry; they throw only for I/O errors writing the folder. */
export class FeatureDiskCache {
  readonly root: string;
  /** Totals of every pass through this instance (one instance per run): for the run's log. */
  readonly tally = { hits: 0, computed: 0, corrupt: 0, seconds: 0 };

  constructor(readonly config: FeatureCacheConfig) {
    this.root = path.join(config.dir, VERSION_DIR);
  }

  /** False when the size cap is 0 (cache off). */
  get enabled(): boolean {
    return this.config.maxBytes > 0;
  }

  private passDir(pass: string): string {
    return path.join(this.root, pass.slice(0, 2), pass);
  }

  private entryPath(pass: string, example: string): string {
    return path.join(this.passDir(pass), example + ENTRY_EXT);
  }

  /**
   * The entry of `example` under `pass`, or undefined when absent or damaged (a damaged file is
   * deleted and counted in `stats.corrupt`). A hit marks the entry as used now (for eviction).
   */
  read(pass: string, example: string, stats?: ReadStats): CacheEntry | undefined {
    return this.readChecked(pass, example, decodeEntry, stats);
  }

  /** Like {@link read}, for an entry stored by {@link writeBytes}. */
  readBytes(pass: string, example: string, stats?: ReadStats): ByteEntry | undefined {
    return this.readChecked(pass, example, decodeByteEntry, stats);
  }

  private readChecked<T>(pass: string, example: string, decodeAs: (buf: Buffer) => T | undefined, stats?: ReadStats): T | undefined {
    const file = this.entryPath(pass, example);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const entry = decodeAs(buf);
    if (!entry) {
      if (stats) stats.corrupt++;
      fs.rmSync(file, { force: true });
      return undefined;
    }
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // Evicted by another process between the read and now: the values read are still valid.
    }
    if (stats) stats.hits++;
    return entry;
  }

  /**
   * Stores `values` (one example's features of `shape`) atomically: a reader sees the old entry,
   * none, or the whole new one.
   * @param description written once per pass (`about.txt`) for `transfer-lab cache ls`.
   * @throws Error from the file system (no space, no permission).
   */
  write(pass: string, example: string, shape: readonly number[], values: Float32Array, description?: string): void {
    this.writeEncoded(pass, example, encodeEntry(shape, values), description);
  }

  /** Like {@link write}, for uint8 values (decoded pixels). @throws Error from the file system. */
  writeBytes(pass: string, example: string, shape: readonly number[], bytes: Uint8Array, description?: string): void {
    this.writeEncoded(pass, example, encodeEntry(shape, bytes), description);
  }

  private writeEncoded(pass: string, example: string, entry: Buffer, description?: string): void {
    const dir = this.passDir(pass);
    fs.mkdirSync(dir, { recursive: true });
    if (description !== undefined) {
      const about = path.join(dir, 'about.txt');
      if (!fs.existsSync(about)) writeAtomic(about, Buffer.from(description + '\n'));
    }
    writeAtomic(this.entryPath(pass, example), entry);
  }

  /** Every pass in the cache with its entries, size and last use, most recent first. */
  list(): PassUsage[] {
    const out: PassUsage[] = [];
    for (const dir of this.passDirs()) {
      let entries = 0;
      let bytes = 0;
      let lastUsed = 0;
      for (const f of this.entryFiles(dir)) {
        entries++;
        bytes += f.size;
        lastUsed = Math.max(lastUsed, f.mtimeMs);
      }
      let description: string | undefined;
      try {
        description = fs.readFileSync(path.join(dir, 'about.txt'), 'utf8').trim();
      } catch {
        description = undefined;
      }
      out.push({ key: path.basename(dir), ...(description ? { description } : {}), entries, bytes, lastUsed });
    }
    return out.sort((a, b) => b.lastUsed - a.lastUsed);
  }

  /** Total bytes of all entries. */
  size(): number {
    return this.list().reduce((a, p) => a + p.bytes, 0);
  }

  /**
   * Deletes least-recently-used entries until the total is at most `maxBytes` (default the cap).
   * @returns entries and bytes deleted.
   */
  evict(maxBytes = this.config.maxBytes): { entries: number; bytes: number } {
    const all: { file: string; size: number; mtimeMs: number }[] = [];
    for (const dir of this.passDirs()) all.push(...this.entryFiles(dir));
    let total = all.reduce((a, f) => a + f.size, 0);
    all.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const removed = { entries: 0, bytes: 0 };
    for (const f of all) {
      if (total <= maxBytes) break;
      fs.rmSync(f.file, { force: true });
      total -= f.size;
      removed.entries++;
      removed.bytes += f.size;
    }
    for (const dir of this.passDirs()) if (this.entryFiles(dir).length === 0) fs.rmSync(dir, { recursive: true, force: true });
    return removed;
  }

  /** Deletes every entry (the whole format folder). @returns bytes deleted. */
  clear(): number {
    const bytes = this.size();
    fs.rmSync(this.root, { recursive: true, force: true });
    return bytes;
  }

  private passDirs(): string[] {
    const out: string[] = [];
    for (const shard of readdirOrEmpty(this.root)) {
      for (const pass of readdirOrEmpty(path.join(this.root, shard))) out.push(path.join(this.root, shard, pass));
    }
    return out;
  }

  private entryFiles(dir: string): { file: string; size: number; mtimeMs: number }[] {
    const out: { file: string; size: number; mtimeMs: number }[] = [];
    for (const name of readdirOrEmpty(dir)) {
      if (!name.endsWith(ENTRY_EXT)) continue;
      const file = path.join(dir, name);
      try {
        const st = fs.statSync(file);
        out.push({ file, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Deleted meanwhile by another process.
      }
    }
    return out;
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Writes `data` to a temporary file beside `file`, then renames it over `file`. */
function writeAtomic(file: string, data: Buffer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** The bytes of an entry file (see the module comment): float32 values, or uint8 ones (`dtype` in the header). */
export function encodeEntry(shape: readonly number[], values: Float32Array | Uint8Array): Buffer {
  const header = Buffer.from(JSON.stringify(values instanceof Uint8Array ? { shape, dtype: 'uint8' } : { shape }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const body = Buffer.concat([MAGIC, len, header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** Shape, dtype and value bytes of an entry file, or undefined when the magic, lengths or checksum are wrong. */
function decodeRaw(buf: Buffer): { shape: number[]; dtype: 'float32' | 'uint8'; payload: Buffer } | undefined {
  if (buf.length < MAGIC.length + 4 + DIGEST_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const body = buf.subarray(0, buf.length - DIGEST_BYTES);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(buf.subarray(buf.length - DIGEST_BYTES))
  )
    return undefined;
  const headerLen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLen;
  if (start > body.length) return undefined;
  let header: { shape?: unknown; dtype?: unknown };
  try {
    header = JSON.parse(body.subarray(MAGIC.length + 4, start).toString('utf8')) as { shape?: unknown; dtype?: unknown };
  } catch {
    return undefined;
  }
  const shape = header.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return undefined;
  const dtype = header.dtype === undefined ? 'float32' : header.dtype;
  if (dtype !== 'float32' && dtype !== 'uint8') return undefined;
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (body.length - start !== count * (dtype === 'uint8' ? 1 : 4)) return undefined;
  return { shape: shape as number[], dtype, payload: body.subarray(start) };
}

/** A float32 entry file's contents, or undefined when damaged or not float32. */
export function decodeEntry(buf: Buffer): CacheEntry | undefined {
  const raw = decodeRaw(buf);
  if (!raw || raw.dtype !== 'float32') return undefined;
  // Copy: the values must be 4-byte aligned and independent of the file buffer.
  const values = new Float32Array(raw.payload.length / 4);
  new Uint8Array(values.buffer).set(raw.payload);
  return { shape: raw.shape, values };
}

/**
 * A uint8 entry file's contents, or undefined when damaged or not uint8. The bytes are a view of
 * `buf` (no copy: a second run reads 600 MB of pixels for 4,000 photos), so `buf` must not be reused.
 */
export function decodeByteEntry(buf: Buffer): ByteEntry | undefined {
  const raw = decodeRaw(buf);
  if (!raw || raw.dtype !== 'uint8') return undefined;
  return { shape: raw.shape, bytes: new Uint8Array(raw.payload.buffer, raw.payload.byteOffset, raw.payload.length) };
}
