/** Number and time formatting for the panel. */

/** A rate or loss with 3 significant digits (`1.23e-4` when small). */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e5 ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

/** A fraction as a percentage with one decimal. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`;
}

/** An integer with thousands separators. */
export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Seconds as `12.3 s` / `4 min 05 s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, '0')} s`;
}

/** A run id `20250101-120000-abcd` as `2025-01-01 12:00:00` (UTC, as in the id). */
export function runTime(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(runId);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : runId;
}

/** What the panel calls an analysis task (the names of its buttons). */
export const TASK_LABELS: Record<string, string> = { advise: 'Recommend strategy', layerSweep: 'Sweep cut layers', gaborMatch: 'Compare filters with Gabor' };

/** `Recommend strategy` for `advise`; the task itself when unknown. */
export function taskLabel(task: string): string {
  return TASK_LABELS[task] ?? task;
}

/**
 * The Epochs cell of a run row: epochs done/planned for a training run; what the run is for a run
 * without epochs — an analysis's task, `Clustering` for an unsupervised run (`0/0` said nothing).
 * `kind` tells the row's style: `task` for a run that does not train.
 */
export function epochsCell(x: { task?: string; transferKind?: string; epochsDone: number; epochsPlanned: number }): {
  text: string;
  kind: 'task' | 'epochs';
  title?: string;
} {
  if (x.task) return { text: taskLabel(x.task), kind: 'task' };
  if (x.transferKind === 'unsupervised')
    return { text: 'Clustering', kind: 'task', title: 'Unsupervised: the features are clustered, nothing trains (no epochs)' };
  return { text: `${x.epochsDone}/${x.epochsPlanned}`, kind: 'epochs' };
}
