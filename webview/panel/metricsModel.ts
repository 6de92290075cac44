/**
 * The shown run's metrics in the page: the full history from a `state` / `metrics` message, then the
 * batched `metricsUpdate`s applied on top (the step tail replaced from `from`, epochs and stages
 * appended). It counts points that arrive twice (`duplicates`, which must stay 0: the host reads the
 * run store by offset) so the UI tests can check that hiding, showing and reloading lose and repeat
 * nothing. Pure (no DOM).
 */
import type { MetricsUpdate, RunMetrics } from '../../src/protocol/webview.js';

/** The shown run's history as the charts draw it. */
export class MetricsModel {
  metrics: RunMetrics | null = null;
  /** Points or epochs received twice since the last reset (should stay 0). */
  duplicates = 0;
  /** Updates applied since the last reset. */
  updates = 0;

  /** Replaces everything with a full history (or nothing). */
  reset(m: RunMetrics | null): void {
    this.metrics = m ? { ...m, steps: { stride: m.steps.stride, points: [...m.steps.points] }, epochs: [...m.epochs], stages: [...m.stages] } : null;
    this.duplicates = 0;
    this.updates = 0;
    if (this.metrics) this.duplicates += countRepeats(this.metrics.steps.points.map((p) => p.step)) + countRepeats(this.metrics.epochs.map((e) => e.epoch));
  }

  /** Applies an update of the shown run; false (ignored) when it is about another run. */
  apply(u: MetricsUpdate): boolean {
    const m = this.metrics;
    if (!m || m.runId !== u.runId) return false;
    this.updates++;
    if (u.steps.stride !== m.steps.stride) {
      m.steps = { stride: u.steps.stride, points: [...u.steps.points] };
    } else {
      const kept = m.steps.points.slice(0, Math.min(u.steps.from, m.steps.points.length));
      const last = kept.length ? kept[kept.length - 1].step : -1;
      for (const p of u.steps.points) if (p.step <= last) this.duplicates++;
      m.steps.points = kept.concat(u.steps.points.filter((p) => p.step > last));
    }
    for (const e of u.epochs) {
      const last = m.epochs.length ? m.epochs[m.epochs.length - 1].epoch : -1;
      if (e.epoch <= last) this.duplicates++;
      else m.epochs.push(e);
    }
    for (const s of u.stages) {
      if (m.stages.some((x) => x.stage === s.stage)) this.duplicates++;
      else m.stages.push(s);
    }
    m.status = u.status;
    if (u.test) m.test = u.test;
    if (u.bestEpoch !== undefined) m.bestEpoch = u.bestEpoch;
    if (u.error) m.error = u.error;
    if (u.skipped) m.skipped = u.skipped;
    return true;
  }
}

/** How many values are not greater than the one before (repeats or going back). */
function countRepeats(xs: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] <= xs[i - 1]) n++;
  return n;
}
