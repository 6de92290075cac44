/**
 * The `skipped` field of a run's `summary.json`: the input files the data loader left out (corrupt or
 * unreadable images), counted and grouped by reason, so the record says what the run did not see.
 */
import type { SkippedFile } from '../data/sources/source.js';
import type { SkippedSummary } from './events.js';

/** Files listed per reason; the count covers them all. */
export const SKIPPED_FILES_PER_REASON = 10;

/**
 * Groups skipped files by reason, most frequent first (ties: first seen first), with the first
 * {@link SKIPPED_FILES_PER_REASON} files of each.
 * @returns undefined when nothing was skipped.
 */
export function skippedSummary(skipped: readonly SkippedFile[]): SkippedSummary | undefined {
  if (skipped.length === 0) return undefined;
  const byReason = new Map<string, { reason: string; count: number; files: string[] }>();
  for (const s of skipped) {
    let r = byReason.get(s.reason);
    if (!r) byReason.set(s.reason, (r = { reason: s.reason, count: 0, files: [] }));
    r.count++;
    if (r.files.length < SKIPPED_FILES_PER_REASON) r.files.push(s.file);
  }
  return { count: skipped.length, reasons: [...byReason.values()].sort((a, b) => b.count - a.count) };
}
