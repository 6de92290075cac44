/**
 * The comparison's model, pure (no DOM): a label per compared run for legends and columns, and the
 * x axis of "setting against best validation accuracy" — numeric when every run has a number for the
 * setting (logarithmic when they are all positive and span a factor of 10 or more, as learning rates
 * do), else one category per distinct value (a run without the setting is the category `—`).
 */
import type { ComparedRun, SettingDifference } from '../../src/protocol/webview.js';
import { runTime } from './format.js';

/** Shown for a setting a run does not have (as `settingsDiff` writes it). */
const ABSENT = '—';

/**
 * One label per run: its name, else its start time; prefixed with the experiment when the runs come
 * from more than one; made unique with the run id's last 4 characters when two would read the same.
 */
export function runLabels(runs: readonly Pick<ComparedRun, 'runId' | 'experiment' | 'name'>[]): string[] {
  const several = new Set(runs.map((r) => r.experiment)).size > 1;
  const base = runs.map((r) => `${several ? `${r.experiment} · ` : ''}${r.name ?? runTime(r.runId)}`);
  return base.map((b, i) => (base.indexOf(b) !== i || base.lastIndexOf(b) !== i ? `${b} (${runs[i].runId.slice(-4)})` : b));
}

/** How a value of `settingsDiff` (JSON text or `—`) reads on an axis: strings without quotes. */
export function valueText(json: string): string {
  if (json === ABSENT) return ABSENT;
  try {
    const v = JSON.parse(json) as unknown;
    return typeof v === 'string' ? v : json;
  } catch {
    return json;
  }
}

/** The x axis of a setting over the compared runs, and each run's x (same order as the runs). */
export type SettingAxis = { kind: 'numeric'; log: boolean; x: number[] } | { kind: 'category'; labels: string[]; x: number[] };

/** The axis for one setting's values (JSON text per run, `—` when absent). */
export function settingAxis(values: readonly string[]): SettingAxis {
  const nums = values.map((v) => {
    if (v === ABSENT) return NaN;
    try {
      const n = JSON.parse(v) as unknown;
      return typeof n === 'number' ? n : NaN;
    } catch {
      return NaN;
    }
  });
  if (nums.length > 0 && nums.every(Number.isFinite)) {
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    return { kind: 'numeric', log: min > 0 && max / min >= 10, x: nums };
  }
  const texts = values.map(valueText);
  const labels = [...new Set(texts)].sort((a, b) => (a === ABSENT ? 1 : b === ABSENT ? -1 : a.localeCompare(b, 'en', { numeric: true })));
  return { kind: 'category', labels, x: texts.map((t) => labels.indexOf(t)) };
}

/**
 * Limits of a numeric axis with room around the points (a marker on the axis' edge is half hidden):
 * 10 % of the span on each side (of the value, or 1, when all values are equal); on a log axis the
 * same share of the span in decades.
 */
export function paddedRange(xs: readonly number[], log: boolean): { min: number; max: number } {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (log) {
    const factor = max > min ? Math.pow(max / min, 0.1) : 2;
    return { min: min / factor, max: max * factor };
  }
  const pad = 0.1 * (max - min || Math.abs(max) || 1);
  return { min: min - pad, max: max + pad };
}

/** The setting to plot first: the one picked when it still differs, else the first that is not the experiment's name. */
export function defaultSetting(differences: readonly SettingDifference[], picked: string | undefined): string | undefined {
  if (picked && differences.some((d) => d.key === picked)) return picked;
  return (differences.find((d) => d.key !== 'name') ?? differences[0])?.key;
}
