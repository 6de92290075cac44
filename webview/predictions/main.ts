/**
 * Script of the "Classify with Run…" result page (`media/predictions.js`, loaded with the page's
 * nonce): a click or Enter on a row asks the host to open that file; the "Classify more…" button asks
 * for a file picker; CSP violations are counted on `body[data-csp-violations]` and reported.
 */
import type { PredictionsToHostMessages } from '../../src/protocol/predictions.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

function post<K extends keyof PredictionsToHostMessages>(type: K, payload: PredictionsToHostMessages[K]): void {
  api.postMessage({ type, payload });
}

/** The row (`tr[data-index]` or `li[data-index]`) an event happened in. */
function rowOf(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? (target.closest('[data-index]') as HTMLElement | null) : null;
}

function open(row: HTMLElement): void {
  post('open', { index: Number(row.dataset.index), ...(row.dataset.skipped ? { skipped: true } : {}) });
}

document.addEventListener('click', (e) => {
  if (e.target instanceof Element && e.target.closest('#classify-more')) {
    post('classifyMore', {});
    return;
  }
  const row = rowOf(e.target);
  if (row) open(row);
});
document.addEventListener('keydown', (e) => {
  const row = rowOf(e.target);
  if (row && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    open(row);
  }
});
let violations = 0;
document.body.dataset.cspViolations = '0';
document.addEventListener('securitypolicyviolation', (e) => {
  document.body.dataset.cspViolations = String(++violations);
  post('cspViolation', { directive: e.violatedDirective, blocked: e.blockedURI });
});
