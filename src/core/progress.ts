/**
 * Progress of a run's preparation — decoding photos, computing the frozen layers' features — which
 * can take minutes before the first step. The worker reports it (not recorded in the run store: it
 * describes a moment, not the run); the CLI, the status bar, the Experiments view and the panel show
 * it in the words of {@link phaseText}. Pure (the clock is injectable for tests).
 */

/** What a run is preparing. */
export type Phase = 'decoding' | 'features';

/** One report of a preparation phase. */
export interface PhaseProgress {
  phase: Phase;
  /** Which examples (`train`, `validation`, `test`, `target`). */
  of: string;
  /** Items done (photos decoded, examples through the frozen layers) and their total. */
  done: number;
  total: number;
  /** Seconds left at the rate so far; absent until the phase has run {@link ETA_AFTER_MS} with something done. */
  etaSeconds?: number;
}

/** A phase reports an ETA once it has run this long (ms): earlier rates mislead (start-up, caches). */
export const ETA_AFTER_MS = 1000;

const WHAT: Record<Phase, string> = { decoding: 'decoding photos', features: 'frozen features' };

/** "decoding photos 120/398 (train) · ETA 35 s": the words every surface uses. */
export function phaseText(p: PhaseProgress): string {
  const eta = p.etaSeconds !== undefined && p.done < p.total ? ` · ETA ${formatEta(p.etaSeconds)}` : '';
  return `${WHAT[p.phase]} ${p.done}/${p.total} (${p.of})${eta}`;
}

/** "35 s", "2 min 5 s". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Counts a phase's items and reports them at most every `intervalMs` (always the first item and the
 * last), with the ETA from the mean rate since the phase began.
 */
export class PhaseMeter {
  private done = 0;
  private readonly t0: number;
  private lastReport = -Infinity;

  constructor(
    private readonly phase: Phase,
    private readonly of: string,
    private readonly total: number,
    private readonly report: (p: PhaseProgress) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
  }

  /** Adds `n` items done; reports when due. */
  add(n = 1): void {
    this.done = Math.min(this.total, this.done + n);
    const t = this.now();
    if (this.done < this.total && this.done > n && t - this.lastReport < this.intervalMs) return;
    this.lastReport = t;
    const elapsed = t - this.t0;
    const eta = this.done > 0 && elapsed >= ETA_AFTER_MS ? ((elapsed / this.done) * (this.total - this.done)) / 1000 : undefined;
    this.report({ phase: this.phase, of: this.of, done: this.done, total: this.total, ...(eta !== undefined ? { etaSeconds: eta } : {}) });
  }
}
