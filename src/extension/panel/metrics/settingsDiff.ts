/**
 * The settings that differ between runs: each run's resolved config (`config.json`) flattened to
 * dotted paths (`learningRate.schedule.type`), keeping only the paths whose values are not all equal.
 * Paths that differ only by where the files live (`file`, `dir`) are left out. Pure.
 */
import type { SettingDifference } from '../../../protocol/webview.js';

/** Shown for a setting a run does not have. */
export const ABSENT = '—';

/** Flattens a JSON value to `a.b[0].c → JSON text` pairs; arrays of scalars stay one value. */
export function flattenSettings(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    value.forEach((v, i) => flattenSettings(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flattenSettings(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** True for paths that hold where files are, not how the run trains. */
function isLocation(key: string): boolean {
  return /(^|\.)(file|dir)$/.test(key);
}

/** The settings whose values are not the same in every config, sorted by path. */
export function settingsDiff(configs: readonly unknown[]): SettingDifference[] {
  const flat = configs.map((c) => flattenSettings(c));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].filter((k) => !isLocation(k)).sort();
  const out: SettingDifference[] = [];
  for (const key of keys) {
    const values = flat.map((m) => m.get(key) ?? ABSENT);
    if (new Set(values).size > 1) out.push({ key, values });
  }
  return out;
}
