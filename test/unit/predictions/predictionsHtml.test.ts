// The "Classify with Run…" page as HTML: hostile file names, class names and document text are
// escaped (no element or attribute can be injected), the CSP allows scripts only with the nonce, the
// rows carry the probabilities to full precision and show them to one decimal, and files without a
// thumbnail URI (outside the resource roots) get none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictionResult } from '../../../src/core/prediction/predict.js';
import { predictionsHtml, type PredictionsPage } from '../../../src/extension/predictions/predictionsHtml.js';

const page: PredictionsPage = {
  cspSource: 'https://webview.test',
  nonce: 'N0nce+/=',
  cssUri: 'https://webview.test/media/predictions.css',
  scriptUri: 'https://webview.test/media/predictions.js',
  thumbnail: (f) => (f.startsWith('/ok/') ? `https://webview.test${f}` : null),
  shown: (f) => f.replace(/^\//, ''),
  bestValAccuracy: 0.9153,
};

test('image page: escaped names, nonce CSP, probabilities in full and to one decimal, thumbnails only inside the roots', () => {
  const evil = '/ok/"><img src=x onerror=alert(1)>.jpg';
  const r: PredictionResult = {
    runDir: '/runs/e/1',
    experiment: 'e<script>',
    runId: '1',
    checkpoint: 'best',
    kind: 'image',
    classNames: ['a&b', '<c>', 'd'],
    inputShape: [224, 224, 3],
    predictions: [
      {
        file: evil,
        top: [
          { className: '<c>', probability: 0.61234567 },
          { className: 'a&b', probability: 0.3 },
          { className: 'd', probability: 0.08765433 },
        ],
      },
      { file: '/elsewhere/x.png', top: [{ className: 'd', probability: 1 }] },
    ],
    skipped: [{ file: '/ok/bad.png', reason: 'Input buffer contains <unsupported> image format' }],
  };
  const html = predictionsHtml(r, page);
  assert.ok(!html.includes('<img src=x'), 'an <img> injected by a file name');
  assert.ok(!html.includes('<script>'), 'a script element from the experiment name');
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /<script nonce="N0nce\+\/=" src="https:\/\/webview\.test\/media\/predictions\.js"><\/script>/);
  assert.match(html, /content="default-src 'none'; img-src https:\/\/webview\.test; style-src https:\/\/webview\.test; script-src 'nonce-N0nce\+\/='"/);
  assert.match(html, /data-class="&lt;c&gt;" data-probability="0\.61234567"><span class="cls">&lt;c&gt;<\/span> <span class="num">61\.2%<\/span>/);
  assert.match(html, /data-class="a&amp;b" data-probability="0\.3"><span class="cls">a&amp;b<\/span> <span class="num">30\.0%<\/span>/);
  // thumbnails: the first file is inside the roots, the second is not
  assert.equal((html.match(/<img /g) ?? []).length, 1);
  assert.match(html, /<th>Next 2<\/th>/);
  assert.match(html, /2 files classified: a&amp;b 0 · &lt;c&gt; 1 · d 1 · <a href="#skipped">1 skipped<\/a>/);
  assert.match(html, /best val 91\.5%/);
  assert.match(html, /<span class="reason">Input buffer contains &lt;unsupported&gt; image format<\/span>/);
});

test('text page: snippets escaped, no thumbnails, "Other class" for two classes', () => {
  const r: PredictionResult = {
    runDir: '/runs/t/1',
    experiment: 't',
    runId: '1',
    checkpoint: 'last',
    kind: 'text',
    classNames: ['ham', 'spam'],
    inputShape: [256],
    predictions: [
      {
        file: '/ok/a.txt',
        snippet: 'Dear <b>friend</b> & "you"',
        top: [
          { className: 'spam', probability: 0.9 },
          { className: 'ham', probability: 0.1 },
        ],
      },
    ],
    skipped: [],
  };
  const html = predictionsHtml(r, page);
  assert.match(html, /<span class="snippet">Dear &lt;b&gt;friend&lt;\/b&gt; &amp; &quot;you&quot;<\/span>/);
  assert.ok(!html.includes('<img '));
  assert.match(html, /<th>Document<\/th><th>Predicted<\/th><th>Other class<\/th>/);
  assert.match(html, /1 document classified: ham 0 · spam 1/);
  assert.match(html, /input 256 tokens/);
});
