/** Plain-text tables for the terminal. */

/** Renders rows as an aligned table with a header rule. Numbers are right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[-\d.]+%?$/.test(String(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** 0.8123 → "81.2%"; undefined → "–" (`core/format.ts`). */
export { percent as pct } from '../core/format.js';

/** Seconds with one decimal. */
export function secs(x: number | undefined): string {
  return x === undefined ? '–' : x.toFixed(1);
}
