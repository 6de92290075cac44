/**
 * Frozen features through the persistent cache: the features of a frozen prefix for the examples of
 * a set, read from {@link FeatureDiskCache} where present and computed (then stored) where not.
 *
 * What a cached value depends on is what its key covers:
 * - the **pass key**: every op of the prefix (Keras class, configuration without the layer name, its
 *   input and output tensor keys), the values of every weight of those ops (BatchNorm moving
 *   statistics included), the output tensor, the example shape and the pooling cap;
 * - the **example key**: SHA-256 of the example's float32 input values as the network receives them
 *   — after decoding, resizing, channel conversion, `data.image.scale` and any source transform. An
 *   edited or replaced photo therefore misses even under the same name; a renamed or copied one hits.
 *   A file's name never enters the key.
 */
import { createHash } from 'node:crypto';
import type { ExampleSet } from '../data/example-set.js';
import type { OpGraph } from '../models/graph.js';
import type { FeatureDiskCache, ReadStats } from './disk-cache.js';

/** Bump when the computation of a frozen pass changes in a way its key does not see. */
const PASS_FORMAT = 'frozen-pass/1';

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
}

/** Features of a set, one row per requested example. */
export interface PassResult {
  /** [rows, prod(shape)] row-major. */
  data: Float32Array;
  /** Shape of one example's features. */
  shape: number[];
  stats: PassStats;
}

/**
 * Computes the features of `x` (`n` gathered examples laid out [n, ...set.shape]).
 * @returns values [n, ...shape] and `shape`.
 */
export type FeatureCompute = (x: Float32Array, n: number) => { data: Float32Array; shape: number[] };

/**
 * The features of examples `indices` of `set`, in batches of `batchSize`: read from `cache` when
 * present and valid, else computed with `compute` and stored. Without a cache (or with it off) every
 * example is computed. Memory: rows × feature size × 4 bytes plus one batch of inputs. `onBatch`
 * is told how many examples each batch covered (read or computed), for progress.
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
  const n = indices.length;
  const inSize = set.shape.reduce((a, b) => a * b, 1);
  const read: ReadStats = { hits: 0, corrupt: 0 };
  const on = cache?.enabled ? cache : undefined;
  let data: Float32Array | undefined;
  let shape: number[] = [];
  let size = 0;
  let computed = 0;
  let wrote = false;
  const place = (row: number, values: Float32Array, s: number[]) => {
    if (!data) {
      shape = s;
      size = s.reduce((a, b) => a * b, 1);
      data = new Float32Array(n * size);
    }
    data.set(values, row * size);
  };
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const idx = Array.from({ length: m }, (_, i) => indices[start + i]!);
    const x = set.gather(idx);
    const keys = on
      ? idx.map((_, i) =>
          createHash('sha256')
            .update(new Uint8Array(x.buffer, x.byteOffset + i * inSize * 4, inSize * 4))
            .digest('hex'),
        )
      : [];
    const missing: number[] = [];
    for (let i = 0; i < m; i++) {
      const entry = on?.read(pass.key, keys[i]!, read);
      if (entry && (!data || entry.values.length === size)) place(start + i, entry.values, entry.shape);
      else missing.push(i);
    }
    if (missing.length === 0) {
      onBatch?.(m);
      continue;
    }
    const sub = missing.length === m ? x : new Float32Array(missing.length * inSize);
    if (sub !== x) missing.forEach((i, k) => sub.set(x.subarray(i * inSize, (i + 1) * inSize), k * inSize));
    const f = compute(sub, missing.length);
    const fSize = f.shape.reduce((a, b) => a * b, 1);
    missing.forEach((i, k) => {
      const values = f.data.subarray(k * fSize, (k + 1) * fSize);
      place(start + i, values, f.shape);
      if (!on) return;
      on.write(pass.key, keys[i]!, f.shape, values, wrote ? undefined : pass.description);
      wrote = true;
    });
    computed += missing.length;
    onBatch?.(m);
  }
  if (wrote) on!.evict();
  const stats = { hits: read.hits, computed, corrupt: read.corrupt, seconds: (performance.now() - t0) / 1000 };
  if (cache) for (const k of ['hits', 'computed', 'corrupt', 'seconds'] as const) cache.tally[k] += stats[k];
  return { data: data ?? new Float32Array(0), shape, stats };
}

/** "397 from the feature cache, 0 computed, 0.8 s" (with damaged entries when any). */
export function describeStats(s: PassStats): string {
  return `${s.hits} from the feature cache, ${s.computed} computed${s.corrupt ? ` (${s.corrupt} damaged entries replaced)` : ''}, ${s.seconds.toFixed(1)} s`;
}
