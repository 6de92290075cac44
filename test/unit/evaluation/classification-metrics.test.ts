// Confusion matrix, per-class precision/recall/F1/support, macro/weighted averages, top-k accuracy and
// the cross-entropy of src/core/evaluation against scikit-learn 1.2.1 on seeded random logits
// (test/fixtures/evaluation/sklearn-reference.json, written by scripts/sklearn-classification-reference.py
// with Debian's python3-sklearn), plus cases small enough to check by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  argmaxRows,
  averageScores,
  biggestConfusions,
  confidentMistakes,
  confusionMatrix,
  perClassScores,
  softmaxRows,
  topKAccuracy,
  topKValues,
} from '../../../src/core/evaluation/classification-metrics.js';
import { evaluationReport } from '../../../src/core/evaluation/evaluate.js';
import type { ExampleSet } from '../../../src/core/data/example-set.js';

interface Case {
  classes: number;
  labels: number[];
  logits: number[];
  confusion: number[][];
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  topK: { k: number; accuracy: number }[];
  logLoss: number;
  accuracy: number;
}
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/evaluation/sklearn-reference.json'), 'utf8')) as { cases: Case[] };
const close = (a: number, b: number, what: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('confusion matrix, per-class scores and averages match scikit-learn', () => {
  assert.equal(ref.cases.length, 4);
  for (const c of ref.cases) {
    const k = c.classes;
    const pred = argmaxRows(softmaxRows(c.logits, k), k);
    const m = confusionMatrix(c.labels, pred, k);
    assert.deepEqual(m, c.confusion, `${k} classes: confusion`);
    const scores = perClassScores(m);
    scores.forEach((s, j) => {
      close(s.precision, c.precision[j]!, `${k} classes, class ${j} precision`);
      close(s.recall, c.recall[j]!, `${k} classes, class ${j} recall`);
      close(s.f1, c.f1[j]!, `${k} classes, class ${j} F1`);
      assert.equal(s.support, c.support[j]);
    });
    const { macro, weighted } = averageScores(scores);
    for (const f of ['precision', 'recall', 'f1'] as const) {
      close(macro[f], c.macro[f], `${k} classes macro ${f}`);
      close(weighted[f], c.weighted[f], `${k} classes weighted ${f}`);
    }
    assert.equal(macro.support, c.labels.length);
  }
  // The 3-class case never predicts class 2: its precision is 0/0, reported as 0 (zero_division=0).
  const three = ref.cases.find((c) => c.classes === 3)!;
  assert.equal(
    three.confusion.reduce((a, r) => a + r[2]!, 0),
    0,
  );
});

test('top-k accuracy and the report match scikit-learn (top_k_accuracy_score, log_loss)', () => {
  for (const c of ref.cases) {
    const k = c.classes;
    const probs = softmaxRows(c.logits, k);
    assert.deepEqual(
      topKValues(k),
      c.topK.map((t) => t.k),
    );
    for (const t of c.topK) close(topKAccuracy(probs, c.labels, k, t.k), t.accuracy, `${k} classes top-${t.k}`);
    const set: ExampleSet = { count: c.labels.length, shape: [1], labels: Int32Array.from(c.labels), id: (i) => `row ${i}`, gather: () => new Float32Array(0) };
    const names = Array.from({ length: k }, (_, j) => `c${j}`);
    const r = evaluationReport(c.logits, set, { experiment: 'x', split: 'test', checkpoint: 'best', classNames: names });
    close(r.loss, c.logLoss, `${k} classes log loss`, 1e-12);
    close(r.accuracy, c.accuracy, `${k} classes accuracy`);
    assert.deepEqual(r.confusion, c.confusion);
    assert.equal(r.mistakesTotal, Math.round((1 - c.accuracy) * c.labels.length));
    assert.equal(r.perClass.map((p) => p.name).join(), names.join());
    // Mistakes: wrong, most confident first, probabilities from the softmax.
    for (let i = 1; i < r.mistakes.length; i++) assert.ok(r.mistakes[i - 1]!.probability >= r.mistakes[i]!.probability);
    for (const m of r.mistakes) {
      assert.notEqual(m.trueClass, m.predictedClass);
      const row = Number(m.id.slice(4));
      assert.equal(`c${c.labels[row]}`, m.trueClass);
      close(m.probability, Math.max(...Array.from(probs.subarray(row * k, row * k + k))), 'mistake probability');
      assert.equal(m.path, undefined);
    }
  }
});

test('hand-checked case: 2 classes, ties, the biggest confusions and the most confident mistakes', () => {
  // true 0 0 0 1 1 ; predicted 0 1 1 1 0
  const probs = [0.9, 0.1, 0.3, 0.7, 0.45, 0.55, 0.2, 0.8, 0.6, 0.4];
  const m = confusionMatrix([0, 0, 0, 1, 1], argmaxRows(probs, 2), 2);
  assert.deepEqual(m, [
    [1, 2],
    [1, 1],
  ]);
  const [s0, s1] = perClassScores(m);
  // class 0: precision 1/2, recall 1/3, F1 = 2·(1/2)(1/3)/(5/6) = 0.4; class 1: 1/3, 1/2, 0.4
  close(s0!.precision, 1 / 2, 'p0');
  close(s0!.recall, 1 / 3, 'r0');
  close(s0!.f1, 0.4, 'f0');
  close(s1!.precision, 1 / 3, 'p1');
  close(s1!.f1, 0.4, 'f1');
  assert.deepEqual(biggestConfusions(m, 5), [
    { trueClass: 0, predictedClass: 1, count: 2 },
    { trueClass: 1, predictedClass: 0, count: 1 },
  ]);
  assert.deepEqual(
    confidentMistakes(probs, [0, 0, 0, 1, 1], 2, 2).map((x) => [x.index, x.probability]),
    [
      [1, 0.7],
      [4, 0.6],
    ],
  );
  // Equal scores: the true class counts for top-1 when no class scores strictly higher.
  assert.equal(topKAccuracy([0.5, 0.5, 0.5, 0.5], [1, 0], 2, 1), 1);
  assert.equal(argmaxRows([0.5, 0.5], 2)[0], 0);
});

test('bad shapes and labels throw RangeErrors that say what is wrong', () => {
  assert.throws(() => confusionMatrix([0, 1], [0], 2), /2 true labels but 1 predictions/);
  assert.throws(() => confusionMatrix([0, 2], [0, 1], 2), /example 1 has true class 2/);
  assert.throws(() => topKAccuracy([0.1, 0.9], [0], 2, 3), /k = 3 is not in 1..2/);
  assert.throws(() => argmaxRows([1, 2, 3], 2), /not rows of 2/);
});
