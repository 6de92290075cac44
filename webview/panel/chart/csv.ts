/**
 * The series of a chart as CSV (RFC 4180): one row per x value found in any series (sorted), one column
 * per series, an empty cell where a series has no point at that x.
 */

/** One named column of points. */
export interface CsvSeries {
  label: string;
  points: readonly { x: number; y: number | null }[];
}

/** Quotes a cell when it holds a comma, a quote or a line break (quotes doubled). */
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Builds the CSV text (CRLF line ends, as RFC 4180): header `xName,label1,label2…`, then the rows.
 * Numbers are written with JavaScript's shortest round-trip form (`String(n)`).
 */
export function seriesCsv(xName: string, series: readonly CsvSeries[]): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const maps = series.map((s) => new Map(s.points.map((p) => [p.x, p.y])));
  const lines = [[xName, ...series.map((s) => s.label)].map(csvCell).join(',')];
  for (const x of xs) {
    lines.push(
      [
        String(x),
        ...maps.map((m) => {
          const y = m.get(x);
          return y === null || y === undefined || !Number.isFinite(y) ? '' : String(y);
        }),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
