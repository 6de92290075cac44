/**
 * The run table's model, pure (no DOM): training runs apart from analysis runs, filtering by tag and
 * status, and sorting by any column (runs without a value last, whichever the direction; ties keep
 * the newest-first order the host sends).
 */
import type { RunItem } from '../../src/protocol/webview.js';

/** Columns the table sorts by. */
export type SortKey = 'name' | 'started' | 'tags' | 'status' | 'epochs' | 'bestValAccuracy' | 'bestEpoch' | 'testAccuracy' | 'backend' | 'seconds';
export type SortDir = 'asc' | 'desc';

const SORT_KEYS: readonly string[] = ['name', 'started', 'tags', 'status', 'epochs', 'bestValAccuracy', 'bestEpoch', 'testAccuracy', 'backend', 'seconds'];

/** True for a column the table sorts by (a saved sort from another version may name another). */
export function isSortKey(k: unknown): k is SortKey {
  return typeof k === 'string' && SORT_KEYS.includes(k);
}

/** A sort order of the table. */
export interface RunSort {
  key: SortKey;
  dir: SortDir;
}

/** What the table shows: the host's order (newest first). */
export const DEFAULT_SORT: RunSort = { key: 'started', dir: 'desc' };

/** Filters of the table: a tag (undefined: any) and a status (undefined: any). */
export interface RunFilter {
  tag?: string;
  status?: string;
}

/** True for a run that trains (no analysis task). */
export function isTrainingItem(r: Pick<RunItem, 'task'>): boolean {
  return !r.task;
}

/** Training runs and analysis runs, each in the given order. */
export function splitRuns<T extends Pick<RunItem, 'task'>>(runs: readonly T[]): { training: T[]; analyses: T[] } {
  return { training: runs.filter(isTrainingItem), analyses: runs.filter((r) => !isTrainingItem(r)) };
}

/** The value a run sorts by under `key` (undefined: no value, sorted last). */
export function sortValue(r: RunItem, key: SortKey): string | number | undefined {
  switch (key) {
    case 'name':
      return r.name?.toLowerCase();
    case 'started':
      return r.runId; // ids sort by start time
    case 'tags':
      return r.tags?.length ? r.tags.join(',') : undefined;
    case 'status':
      return r.status;
    case 'epochs':
      return r.task ? undefined : r.epochsDone;
    case 'bestValAccuracy':
      return r.bestValAccuracy;
    case 'bestEpoch':
      return r.bestEpoch;
    case 'testAccuracy':
      return r.testAccuracy;
    case 'backend':
      return r.backend;
    case 'seconds':
      return r.seconds;
  }
}

/** The runs sorted by `sort`; stable (equal values keep their order), runs without a value last. */
export function sortRuns<T extends RunItem>(runs: readonly T[], sort: RunSort): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return runs
    .map((r, i) => ({ r, i, v: sortValue(r, sort.key) }))
    .sort((a, b) => {
      const missA = a.v === undefined || (typeof a.v === 'number' && Number.isNaN(a.v));
      const missB = b.v === undefined || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (missA || missB) return missA === missB ? a.i - b.i : missA ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'en', { numeric: true });
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.r);
}

/** The sort after a click on `key`'s header: the same column flips; another starts with its natural direction. */
export function nextSort(current: RunSort, key: SortKey): RunSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  const text = key === 'name' || key === 'tags' || key === 'status' || key === 'backend';
  return { key, dir: text ? 'asc' : 'desc' };
}

/** The runs that pass the filter. */
export function filterRuns<T extends Pick<RunItem, 'tags' | 'status'>>(runs: readonly T[], f: RunFilter): T[] {
  return runs.filter((r) => (!f.tag || (r.tags ?? []).includes(f.tag)) && (!f.status || r.status === f.status));
}

/** Every tag of the runs, sorted, each once. */
export function allTags(runs: readonly Pick<RunItem, 'tags'>[]): string[] {
  return [...new Set(runs.flatMap((r) => r.tags ?? []))].sort();
}

/** Every status of the runs, sorted, each once. */
export function allStatuses(runs: readonly Pick<RunItem, 'status'>[]): string[] {
  return [...new Set(runs.map((r) => r.status))].sort();
}
