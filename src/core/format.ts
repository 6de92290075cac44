/**
 * Number formats shared by the CLI's tables, the Experiments view and the extension's messages (the
 * webview has its own copy in `webview/panel/format.ts`: browser code imports nothing from src/).
 */

/**
 * A fraction as a percentage with one decimal: 0.8123 → "81.2%".
 * @param missing what undefined, null or a non-finite number shows (default "–").
 */
export function percent(x: number | null | undefined, missing = '–'): string {
  return x === null || x === undefined || !Number.isFinite(x) ? missing : `${(100 * x).toFixed(1)}%`;
}
