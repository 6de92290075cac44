/**
 * Frozen features through the persistent cache: the features of a frozen prefix for the examples of
 * a set, read from {@link FeatureDiskCache} where present and computed (then stored) where not.
 *
 * What a cached value depends on is what its key covers:
 * - the **pass key**: every op of the prefix (Keras class, configuration without the layer name, its
 *   input and output tensor keys), the values of every weight of those ops (BatchNorm moving
 *   statistics included), the output tensor, the example shape and the pooling cap;
 * - the **example key**: for an example with a content identity (`ExampleSet.identity`, see
 *   `data/example-set.ts`), SHA-256 of that identity. A photo read from an image folder with the
 *   persistent cache on has one: the SHA-256 of the file's bytes, the decode target (height, width,
 *   channels, resize) and the sharp/libvips versions (`data/sources/pixel-cache.ts`), then the
 *   channel change and `data.image.scale` applied when gathering (`PixelStore.identity`). Every
 *   other example — MNIST/IDX, csv, text, a transformed source (`transform`), or a photo loaded with
 *   the cache off — is keyed by the SHA-256 of its float32 input values as the network receives
 *   them. Augmentation never reaches a frozen pass (it applies to training batches). Either way an
 *   edited or replaced photo misses even under the same name, a photo at another size, resize,
 *   channel count or scale misses, and a renamed or copied one hits. A file's name never enters the
 *   key. With identities, finding the cached features of a set reads no pixels: only the examples
 *   whose features are missing are gathered.
 */
import { createHash } from 'node:crypto';
import type { ExampleSet } from '../data/example-set.js';
import type { OpGraph } from '../models/graph.js';
import type { FeatureDiskCache, ReadStats } from './disk-cache.js';
import type { FeatureBatch, RemotePass } from './pass-helpers.js';

/**
 * Bump when the computation of a frozen pass changes in a way its key does not see (2: photos keyed
 * by content identity; 3: BatchNorm folded into convolutions).
 */
const PASS_FORMAT = 'frozen-pass/3';
/** Prefix of the hashed content identity of an example (the other keys hash raw float bytes). */
const IDENTITY_KEY = 'example-identity/1';

/** Identity of one frozen pass. */
export interface PassIdentity {
  /** Hex SHA-256 over everything the features depend on except the example. */
  key: string;
  /** Human summary for `transfer-lab cache ls`, e.g. "ops 0..153 → out_relu, input 224×224×3". */
  description: string;
}

/**
 * The identity of running ops `0..end` of `graph` (inference mode) up to tensor `outputKey`.
 * @param exampleShape shape of one input example, e.g. [224, 224, 3].
 * @param extra anything else that changes the stored values (e.g. the pooling cap), part of the key.
 */
export function passIdentity(graph: OpGraph, end: number, outputKey: number, exampleShape: readonly number[], extra = ''): PassIdentity {
  const h = createHash('sha256');
  h.update(`${PASS_FORMAT}|${JSON.stringify(exampleShape)}|out ${outputKey}|${extra}|inputs ${JSON.stringify(graph.inputs)}\n`);
  for (let i = 0; i <= end; i++) {
    const op = graph.ops[i]!;
    const config = { ...(op.layer.getConfig() as Record<string, unknown>) };
    delete config.name;
    h.update(`${op.layer.getClassName()}|${JSON.stringify(config)}|${JSON.stringify(op.inputs)}|${JSON.stringify(op.outputs)}\n`);
    for (const w of op.layer.getWeights()) {
      const v = w.dataSync() as Float32Array;
      h.update(`${w.dtype}${JSON.stringify(w.shape)}`);
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  const last = end >= 0 ? graph.ops[end]!.layer.name : 'input';
  return { key: h.digest('hex'), description: `ops 0..${end} → ${last}, input ${exampleShape.join('×')}${extra ? `, ${extra}` : ''}` };
}

/** How the features of one call were obtained. */
export interface PassStats {
  /** Examples read from the cache. */
  hits: number;
  /** Examples computed (and stored). */
  computed: number;
  /** Entries found damaged (checksum, truncation), deleted and recomputed; included in `computed`. */
  corrupt: number;
  /** Wall time of the whole call, seconds. */
  seconds: number;
  /** Threads that computed (1: the caller's alone; more when helpers took part). Absent: 1. */
  threads?: number;
  /** Why helpers were not used or stopped helping (their batches were then computed by the caller). */
  helperProblem?: string;
}

/** Features of a set, one row per requested example. */
export interface PassResult {
  /** [rows, prod(shape)] row-major. */
  data: Float32Array;
  /** Shape of one example's features. */
  shape: number[];
  stats: PassStats;
  /** The pass ended early on a stop request: rows not computed are zero (those computed are in the cache). */
  stopped?: boolean;
}

/**
 * Computes the features of `x` (`n` gathered examples laid out [n, ...set.shape]).
 * @returns values [n, ...shape] and `shape`.
 */
export type FeatureCompute = (x: Float32Array, n: number) => FeatureBatch;

/**
 * The rows of one pass: filled from the cache first ({@link scan}), then from computed batches
 * ({@link PassRows.fill}), each computed row stored in the cache.
 */
class PassRows {
  data: Float32Array | undefined;
  shape: number[] = [];
  private size = 0;
  private wrote = false;
  /** Positions (0..n-1) still to compute. */
  readonly missing: number[] = [];
  /** Cache key of each position (empty with the cache off). */
  keys: string[] = [];
  readonly read: ReadStats = { hits: 0, corrupt: 0 };
  computed = 0;

  constructor(
    readonly n: number,
    readonly on: FeatureDiskCache | undefined,
    readonly pass: PassIdentity,
  ) {}

  place(row: number, values: Float32Array, s: number[]): void {
    if (!this.data) {
      this.shape = s;
      this.size = s.reduce((a, b) => a * b, 1);
      this.data = new Float32Array(this.n * this.size);
    }
    this.data.set(values, row * this.size);
  }

  /** Whether a cached entry fits the rows placed so far. */
  fits(values: Float32Array): boolean {
    return !this.data || values.length === this.size;
  }

  /** Places computed features of positions `rows` and stores them in the cache. */
  fill(rows: readonly number[], f: FeatureBatch): void {
    const fSize = f.shape.reduce((a, b) => a * b, 1);
    rows.forEach((row, k) => {
      const values = f.data.subarray(k * fSize, (k + 1) * fSize);
      this.place(row, values, f.shape);
      if (!this.on) return;
      this.on.write(this.pass.key, this.keys[row]!, f.shape, values, this.wrote ? undefined : this.pass.description);
      this.wrote = true;
    });
    this.computed += rows.length;
  }

  /** Evicts when anything was written; adds to the cache's tally. */
  finish(cache: FeatureDiskCache | undefined, t0: number, threads: number, helperProblem?: string): PassResult {
    if (this.wrote) this.on!.evict();
    const stats: PassStats = { hits: this.read.hits, computed: this.computed, corrupt: this.read.corrupt, seconds: (performance.now() - t0) / 1000 };
    if (threads > 1) stats.threads = threads;
    if (helperProblem) stats.helperProblem = helperProblem;
    if (cache) for (const k of ['hits', 'computed', 'corrupt', 'seconds'] as const) cache.tally[k] += stats[k];
    return { data: this.data ?? new Float32Array(0), shape: this.shape, stats };
  }
}

/**
 * The example key of each of `positions` (indices into `set`): the hash of its content identity when
 * it has one, else of its gathered float values (only those examples are gathered).
 */
export function exampleKeys(set: ExampleSet, positions: readonly number[]): string[] {
  const keys = new Array<string>(positions.length);
  const byValue: number[] = [];
  positions.forEach((p, k) => {
    const identity = set.identity?.(p);
    if (identity === undefined) byValue.push(k);
    else keys[k] = createHash('sha256').update(`${IDENTITY_KEY}|${identity}`).digest('hex');
  });
  if (byValue.length === 0) return keys;
  const inSize = set.shape.reduce((a, b) => a * b, 1);
  const x = set.gather(byValue.map((k) => positions[k]!));
  byValue.forEach((k, j) => {
    keys[k] = createHash('sha256')
      .update(new Uint8Array(x.buffer, x.byteOffset + j * inSize * 4, inSize * 4))
      .digest('hex');
  });
  return keys;
}

/**
 * Reads every example of `indices` found in the cache into `rows` and lists the others in
 * `rows.missing`. With the cache off nothing is gathered: every position is missing.
 */
function scan(rows: PassRows, set: ExampleSet, indices: ArrayLike<number>, batchSize: number, onBatch?: (examples: number) => void): void {
  const n = indices.length;
  if (!rows.on) {
    for (let i = 0; i < n; i++) rows.missing.push(i);
    return;
  }
  rows.keys = new Array<string>(n);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const keys = exampleKeys(
      set,
      Array.from({ length: m }, (_, i) => indices[start + i]!),
    );
    let hits = 0;
    for (let i = 0; i < m; i++) {
      const key = keys[i]!;
      rows.keys[start + i] = key;
      const entry = rows.on.read(rows.pass.key, key, rows.read);
      if (entry && rows.fits(entry.values)) {
        rows.place(start + i, entry.values, entry.shape);
        hits++;
      } else rows.missing.push(start + i);
    }
    if (hits) onBatch?.(hits);
  }
}

/** The missing positions in batches of `batchSize`. */
function chunks(missing: readonly number[], batchSize: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < missing.length; s += batchSize) out.push(missing.slice(s, s + batchSize));
  return out;
}

/**
 * The features of examples `indices` of `set`: read from `cache` when present and valid, else
 * computed with `compute` in batches of `batchSize` (of the missing examples) and stored. Without a
 * cache (or with it off) every example is computed. Memory: rows × feature size × 4 bytes plus one
 * batch of inputs. `onBatch` is told how many examples each step covered (read or computed), for
 * progress.
 * @throws whatever `compute` throws; Error from the file system when an entry cannot be written.
 */
export function cachedPass(
  cache: FeatureDiskCache | undefined,
  pass: PassIdentity,
  set: ExampleSet,
  indices: ArrayLike<number>,
  batchSize: number,
  compute: FeatureCompute,
  onBatch?: (examples: number) => void,
): PassResult {
  const t0 = performance.now();
  const rows = new PassRows(indices.length, cache?.enabled ? cache : undefined, pass);
  scan(rows, set, indices, batchSize, onBatch);
  for (const c of chunks(rows.missing, batchSize)) {
    rows.fill(c, compute(set.gather(c.map((i) => indices[i]!)), c.length));
    onBatch?.(c.length);
  }
  return rows.finish(cache, t0, 1);
}

/** Batches each helper keeps queued, so that it never waits for the caller's synchronous batch to end. */
const IN_FLIGHT = 2;

/**
 * {@link cachedPass} with helpers on other cores: the missing examples are cut into batches that the
 * caller's thread (`compute`) and each helper take from one queue, so faster threads take more. A
 * helper's batch completes only when the caller's thread is between two of its own batches (it is
 * synchronous), so each helper keeps {@link IN_FLIGHT} batches queued. `startHelpers` is called only
 * when at least two batches are missing; when it throws, or a helper fails, its batches go back to
 * the queue and the caller computes them (`stats.helperProblem` says why). The values do not depend
 * on which thread computed a row (same kernels, same weights). The caller's thread yields between
 * its batches, so a stop request arriving over IPC is seen: `shouldStop` is polled before each batch
 * and, once true, no new batch starts and the result says `stopped`.
 * @throws whatever `compute` throws; Error from the file system when an entry cannot be written.
 */
export async function cachedPassParallel(
  cache: FeatureDiskCache | undefined,
  pass: PassIdentity,
  set: ExampleSet,
  indices: ArrayLike<number>,
  batchSize: number,
  compute: FeatureCompute,
  startHelpers: (() => Promise<RemotePass[]>) | undefined,
  onBatch?: (examples: number) => void,
  shouldStop?: () => boolean,
): Promise<PassResult> {
  const t0 = performance.now();
  const rows = new PassRows(indices.length, cache?.enabled ? cache : undefined, pass);
  scan(rows, set, indices, batchSize, onBatch);
  const queue = chunks(rows.missing, batchSize);
  let helpers: RemotePass[] = [];
  let problem: string | undefined;
  if (startHelpers && queue.length >= 2) {
    try {
      helpers = await startHelpers();
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  const gather = (c: number[]) => set.gather(c.map((i) => indices[i]!));
  let failed: unknown;
  let stopped = false;
  /** The next batch to compute, none once a stop was requested. */
  const next = () => {
    if (!stopped && shouldStop?.()) stopped = true;
    return stopped ? undefined : queue.shift();
  };
  const local = async () => {
    for (let c = next(); c; c = next()) {
      rows.fill(c, compute(gather(c), c.length));
      onBatch?.(c.length);
      // Lets helpers' answers in, and hands them their next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const lane = async (h: RemotePass, alive: { ok: boolean }) => {
    while (alive.ok && failed === undefined) {
      const c = next();
      if (!c) return;
      try {
        const f = await h.compute(gather(c), c.length);
        if (failed !== undefined) return;
        rows.fill(c, f);
        onBatch?.(c.length);
      } catch (e) {
        alive.ok = false;
        problem ??= (e as Error).message;
        queue.push(c);
        return;
      }
    }
  };
  const lanes = helpers.flatMap((h) => {
    const alive = { ok: true };
    return Array.from({ length: IN_FLIGHT }, () => lane(h, alive));
  });
  // A failure of `compute` (or of a cache write) ends the helpers' lanes too before rethrowing.
  const mine = local().catch((e: unknown) => {
    failed = e;
  });
  await Promise.all([mine, ...lanes]);
  if (failed !== undefined) throw failed;
  // Batches a failed helper gave back after the caller's thread had finished.
  for (let c = next(); c; c = next()) {
    rows.fill(c, compute(gather(c), c.length));
    onBatch?.(c.length);
  }
  const result = rows.finish(cache, t0, 1 + helpers.length, problem);
  return stopped ? { ...result, stopped } : result;
}

/** "397 from the feature cache, 0 computed, 0.8 s" (with damaged entries when any). */
export function describeStats(s: PassStats): string {
  const threads = s.threads && s.threads > 1 ? ` on ${s.threads} threads` : '';
  const problem = s.helperProblem ? ` (helper threads not used: ${s.helperProblem})` : '';
  return `${s.hits} from the feature cache, ${s.computed} computed${threads}${s.corrupt ? ` (${s.corrupt} damaged entries replaced)` : ''}, ${s.seconds.toFixed(1)} s${problem}`;
}
