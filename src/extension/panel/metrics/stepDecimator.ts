/**
 * Decimates the per-step series of a run for the charts: consecutive steps are grouped into buckets
 * of `stride` steps (mean loss, the rate applied at the bucket's first step); when there would be
 * more than `maxPoints` buckets the stride doubles and neighbouring buckets merge. Short runs keep
 * every step (stride 1). It also tracks which points changed since the last update, so the host
 * sends only the tail (the last bucket may still be filling). Pure.
 */
import type { StepEvent } from '../../../core/runs/events.js';
import type { StepPoint, StepSeries } from '../../../protocol/webview.js';

/** Default cap on the points of a step chart. */
export const MAX_STEP_POINTS = 1500;

interface Bucket {
  /** First global step in the bucket. */
  step: number;
  sum: number;
  /** Finite losses summed. */
  count: number;
  lr: Record<string, number>;
}

/** Points changed since the last {@link StepDecimator.takeUpdate}: keep `[0, from)`, replace the rest with `points`. */
export interface StepUpdate {
  stride: number;
  from: number;
  points: StepPoint[];
}

/** Incremental, bounded step series. */
export class StepDecimator {
  private buckets: Bucket[] = [];
  private strideValue = 1;
  /** Index of the first bucket changed since the last update (`buckets.length` when none). */
  private dirtyFrom = 0;
  private lastStep = -1;

  constructor(private readonly maxPoints = MAX_STEP_POINTS) {
    if (maxPoints < 2) throw new RangeError('maxPoints must be at least 2');
  }

  /** Steps per point. */
  get stride(): number {
    return this.strideValue;
  }

  /** Adds one step event (a step at or before the last one added is ignored: no duplicates). */
  add(e: Pick<StepEvent, 'step' | 'loss' | 'lr'>): void {
    if (e.step <= this.lastStep) return;
    this.lastStep = e.step;
    const loss = typeof e.loss === 'number' && Number.isFinite(e.loss) ? e.loss : undefined;
    const last = this.buckets[this.buckets.length - 1];
    if (last && Math.floor(last.step / this.strideValue) === Math.floor(e.step / this.strideValue)) {
      if (loss !== undefined) {
        last.sum += loss;
        last.count++;
      }
      this.dirtyFrom = Math.min(this.dirtyFrom, this.buckets.length - 1);
      return;
    }
    this.buckets.push({ step: e.step, sum: loss ?? 0, count: loss === undefined ? 0 : 1, lr: { ...e.lr } });
    this.dirtyFrom = Math.min(this.dirtyFrom, this.buckets.length - 1);
    if (this.buckets.length > this.maxPoints) this.coarsen();
  }

  /** Doubles the stride until the buckets fit, merging neighbours. */
  private coarsen(): void {
    while (this.buckets.length > this.maxPoints) {
      this.strideValue *= 2;
      const merged: Bucket[] = [];
      for (const b of this.buckets) {
        const prev = merged[merged.length - 1];
        if (prev && Math.floor(prev.step / this.strideValue) === Math.floor(b.step / this.strideValue)) {
          prev.sum += b.sum;
          prev.count += b.count;
        } else {
          merged.push({ ...b });
        }
      }
      this.buckets = merged;
    }
    this.dirtyFrom = 0;
  }

  /** The whole series. */
  series(): StepSeries {
    return { stride: this.strideValue, points: this.buckets.map(toPoint) };
  }

  /** What changed since the last call (undefined when nothing did), and marks it sent. */
  takeUpdate(): StepUpdate | undefined {
    if (this.dirtyFrom >= this.buckets.length) return undefined;
    const update = { stride: this.strideValue, from: this.dirtyFrom, points: this.buckets.slice(this.dirtyFrom).map(toPoint) };
    this.dirtyFrom = this.buckets.length;
    return update;
  }

  /** Marks everything as sent (after the whole series went out with the full state). */
  markSent(): void {
    this.dirtyFrom = this.buckets.length;
  }
}

function toPoint(b: Bucket): StepPoint {
  return { step: b.step, loss: b.count > 0 ? b.sum / b.count : null, lr: b.lr };
}
