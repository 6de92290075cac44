/**
 * The host↔webview contract of the "Classify with Run…" result page (`src/extension/predictions/`):
 * the page is static HTML the host renders; its script only reports what the user does. Rows are named
 * by index, never by path: the host opens the file it classified at that index, whatever the page says.
 */

/** `viewType` of the predictions panel. */
export const PREDICTIONS_VIEW_TYPE = 'transferLab.predictions';

/** Messages the page posts to the host, by name. */
export interface PredictionsToHostMessages {
  /** Open the file of `predictions[index]` (or of `skipped[index]` when `skipped`). */
  open: { index: number; skipped?: boolean };
  /** Classify more files with the same run (a file picker in the host). */
  classifyMore: Record<string, never>;
  /** The page saw a Content-Security-Policy violation (should never happen). */
  cspViolation: { directive: string; blocked: string };
}

/** One message from the page. */
export type PredictionsMessage = {
  [K in keyof PredictionsToHostMessages]: { type: K; payload: PredictionsToHostMessages[K] };
}[keyof PredictionsToHostMessages];
