// The readable run summary ("Open Run Summary"): epochs from 1, seconds rounded, the raw JSON linked,
// the evaluation's per-class rows when there is one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundSeconds, summaryMarkdown } from '../../../src/core/runs/summary-text.js';
import type { RunSummary } from '../../../src/core/runs/events.js';
import type { EvaluationFile } from '../../../src/core/runs/artifacts.js';

const summary: RunSummary = {
  runId: '20261204-040442-2e29',
  experiment: 'tiny',
  experimentFile: '/w/tiny.transfer.json',
  status: 'completed',
  startedAt: '2026-12-04T04:04:42.123Z',
  seconds: 6.188611741000001,
  strategy: 'scratch',
  epochsPlanned: 20,
  epochsDone: 20,
  bestEpoch: 17,
  best: { valAccuracy: 0.9444, valLoss: 0.21 },
  final: { trainLoss: 0.1, trainAccuracy: 0.97, valLoss: 0.25, valAccuracy: 0.93 },
  test: { loss: 0.3, accuracy: 0.852, checkpoint: 'best', examples: 54 },
};

test('epochs count from 1, seconds are rounded, the raw summary.json is one link away', () => {
  const md = summaryMarkdown(summary, 'file:///runs/tiny/x/summary.json');
  assert.match(md, /^\| best epoch \| 18 \(val accuracy 94\.4%, val loss 0\.2100\) \|$/m);
  assert.match(md, /^\| time \| 6 s \|$/m);
  assert.match(md, /\[Raw summary\.json\]\(file:\/\/\/runs\/tiny\/x\/summary\.json\)/);
  assert.match(md, /^\| test \| accuracy 85\.2%, loss 0\.3000 on 54 examples \(best checkpoint\) \|$/m);
  assert.doesNotMatch(md, /6\.1886|bestEpoch|17/);
  assert.equal(roundSeconds(75.4), '1 min 15 s');
  assert.equal(roundSeconds(0.4), '0 s');
});

test('the evaluation adds per-class rows and the biggest confusions; pipes in class names are escaped', () => {
  const e: EvaluationFile = {
    version: 1,
    experiment: 'tiny',
    split: 'test',
    checkpoint: 'best',
    classNames: ['a|b', 'c'],
    examples: 4,
    loss: 0.5,
    accuracy: 0.75,
    confusion: [
      [2, 0],
      [1, 1],
    ],
    perClass: [
      { name: 'a|b', precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { name: 'c', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    ],
    macro: { precision: 5 / 6, recall: 0.75, f1: 11 / 15, support: 4 },
    weighted: { precision: 5 / 6, recall: 0.75, f1: 11 / 15, support: 4 },
    topK: [],
    confusions: [{ trueClass: 'c', predictedClass: 'a|b', count: 1 }],
    mistakes: [],
    mistakesTotal: 1,
  };
  const md = summaryMarkdown(summary, 'file:///s.json', e);
  assert.match(md, /^\| a\\\|b \| 0\.667 \| 1\.000 \| 0\.800 \| 2 \|$/m);
  assert.match(md, /^\| macro avg \| 0\.833 \| 0\.750 \| 0\.733 \| 4 \|$/m);
  assert.match(md, /Biggest confusions \(true → predicted\): c → a\|b ×1\./);
});
