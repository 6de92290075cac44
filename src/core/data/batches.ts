/**
 * The one batching loop: consecutive batches of example indices, for inference (feature caching,
 * evaluation, prediction, feature extraction, AdaBN statistics) and for the steps of an epoch.
 */

/** One batch: its position in the index list and the example indices it holds. */
export interface Batch {
  /** Offset of the batch's first entry in the index list (0, size, 2·size…). */
  start: number;
  /** Example indices of the batch (at most `size`; only the last batch is shorter). */
  idx: number[];
}

/**
 * Consecutive batches of `indices` (or of 0 … count − 1 when a count is given), in order, each of
 * `size` entries except a shorter last one; nothing for an empty list.
 * @throws RangeError when `size` is not a positive integer (the loop would not end).
 */
export function* batches(indices: number | ArrayLike<number>, size: number): Generator<Batch> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer (got ${size})`);
  const n = typeof indices === 'number' ? indices : indices.length;
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    const idx = Array.from({ length: end - start }, (_, i) => (typeof indices === 'number' ? start + i : indices[start + i]!));
    yield { start, idx };
  }
}
