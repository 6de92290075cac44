/**
 * The page of a "Classify with Run…" result: which run classified (experiment, run id, checkpoint,
 * input, classes), a count per predicted class, then a table with one row per file — a thumbnail
 * (images) or the document's first lines (text), the file, its predicted class and the next classes
 * of its top-k, each with its probability —
 * and the files skipped with the reason. Rows are focusable; a click or Enter opens the file (the
 * script `media/predictions.js`). Content-Security-Policy: nothing by default; images and the
 * stylesheet only from the webview's own sources, scripts only with this load's nonce.
 */
import * as path from 'node:path';
import type { Prediction, PredictionResult } from '../../core/prediction/predict.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What {@link predictionsHtml} needs besides the result. */
export interface PredictionsPage {
  /** The webview's `cspSource`. */
  cspSource: string;
  /** A fresh nonce for the script. */
  nonce: string;
  /** Webview URI of the stylesheet (`media/predictions.css`). */
  cssUri: string;
  /** Webview URI of the script (`media/predictions.js`). */
  scriptUri: string;
  /** Webview URI of an image file (null: no thumbnail). */
  thumbnail(file: string): string | null;
  /** A file's path as shown (relative to the workspace when inside it). */
  shown(file: string): string;
  /** Best validation accuracy of the run (0–1), when known. */
  bestValAccuracy?: number;
}

/** The Content-Security-Policy of the page. */
export function predictionsCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `img-src ${cspSource}`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** Percent with one decimal (`73.4%`): what the table shows of a probability. */
export const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The file cell: its name, the folder it is in (muted) below, and a document's first lines. */
function fileCell(shown: string, file: string, snippet?: string): string {
  const dir = path.dirname(shown);
  return (
    `<td class="file" title="${escapeHtml(file)}"><span class="name">${escapeHtml(path.basename(shown))}</span>` +
    `${dir && dir !== '.' ? `<span class="dir">${escapeHtml(dir)}</span>` : ''}${snippet !== undefined ? `<span class="snippet">${escapeHtml(snippet)}</span>` : ''}</td>`
  );
}

/** The whole page. */
export function predictionsHtml(r: PredictionResult, page: PredictionsPage): string {
  const text = r.kind === 'text';
  const k = Math.max(0, ...r.predictions.map((p) => p.top.length));
  const head = [...(text ? ['Document'] : ['', 'File']), 'Predicted', ...(k > 1 ? [k === 2 ? 'Other class' : `Next ${k - 1}`] : [])];
  const counts = new Map<string, number>(r.classNames.map((c) => [c, 0]));
  for (const p of r.predictions) if (p.top[0]) counts.set(p.top[0].className, (counts.get(p.top[0].className) ?? 0) + 1);
  const rows = r.predictions.map((p, index) => {
    const shown = page.shown(p.file);
    const thumb = text ? null : page.thumbnail(p.file);
    const first = text ? '' : `<td class="thumb">${thumb ? `<img src="${escapeHtml(thumb)}" alt="" width="56" height="56">` : ''}</td>`;
    const guess = (t: Prediction['top'][number]) =>
      `<span class="guess" data-class="${escapeHtml(t.className)}" data-probability="${t.probability}"><span class="cls">${escapeHtml(t.className)}</span> <span class="num">${pct(t.probability)}</span></span>`;
    const cells = [
      `<td class="top">${p.top[0] ? guess(p.top[0]) : ''}</td>`,
      ...(k > 1 ? [`<td class="other">${p.top.slice(1).map(guess).join('')}</td>`] : []),
    ];
    return `<tr data-index="${index}" tabindex="0" title="Open ${escapeHtml(shown)}">${first}${fileCell(shown, p.file, text ? (p.snippet ?? '') : undefined)}${cells.join('')}</tr>`;
  });
  const skipped = r.skipped.length
    ? `<h2>Skipped (${r.skipped.length})</h2><ul id="skipped">${r.skipped
        .map(
          (s, index) =>
            `<li data-index="${index}" data-skipped="1" tabindex="0" title="Open ${escapeHtml(page.shown(s.file))}"><code>${escapeHtml(page.shown(s.file))}</code>: <span class="reason">${escapeHtml(s.reason)}</span></li>`,
        )
        .join('')}</ul>`
    : '';
  const counted = [...counts].map(([c, n]) => `${escapeHtml(c)} ${n}`).join(' · ');
  const best = page.bestValAccuracy !== undefined ? ` · best val ${pct(page.bestValAccuracy)}` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${predictionsCsp(page.cspSource, page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.cssUri)}">
<title>Predictions</title>
</head>
<body class="${text ? 'text' : 'image'}">
<header>
<h1>${escapeHtml(r.experiment)} <span class="run">run ${escapeHtml(r.runId)}</span></h1>
<p class="meta">${r.checkpoint} checkpoint${best} · input ${r.inputShape.join('×')}${text ? ' tokens' : ''} · classes ${r.classNames.map(escapeHtml).join(', ')}</p>
<div class="bar"><p id="prediction-summary">${r.predictions.length} ${text ? 'document' : 'file'}${r.predictions.length === 1 ? '' : 's'} classified: ${counted}${r.skipped.length ? ` · <a href="#skipped">${r.skipped.length} skipped</a>` : ''}</p><button type="button" id="classify-more" title="Pick more ${text ? 'text files' : 'images'} or folders to classify with this run">Classify more…</button></div>
</header>
<table id="predictions">
<thead><tr>${head.map((h, i) => `<th${i === 0 && !text ? ' class="thumb"' : ''}>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${skipped}
<script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}
