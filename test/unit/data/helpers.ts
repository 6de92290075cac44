/** Shared builders for the data tests. */
import type { ResolvedData, ResolvedDataSource } from '../../../src/core/experiment/types.js';

/** A ResolvedData with defaults: split 0.1/0, cover resize, unit scale. */
export function resolvedData(train: ResolvedDataSource, over: Partial<ResolvedData> = {}): ResolvedData {
  return {
    train,
    split: { validation: 0.1, test: 0 },
    image: { resize: 'cover', scale: 'unit' },
    ...over,
  };
}

/** Sorted copy of every id of a set (for set comparisons). */
export function ids(set: { count: number; id(i: number): string }): string[] {
  return Array.from({ length: set.count }, (_, i) => set.id(i));
}

export const FASHION = '/usr/share/datasets/fashion-mnist';
