// Following a run in a real run store: the history, then only what was appended (a half-written line
// waits for its newline), nothing twice however often it is read, the final test event and status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { RunSummary } from '../../../src/core/runs/events.js';
import { createRun, type RunHandle } from '../../../src/core/runs/store.js';
import { compareRunFolders } from '../../../src/extension/panel/metrics/runComparison.js';
import { RunFollower } from '../../../src/extension/panel/metrics/runFollower.js';
import { MetricsModel } from '../../../webview/panel/metricsModel.js';

let root: string;
let run: RunHandle;
const summary = (status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary => ({
  runId: run.id,
  experiment: 'f',
  experimentFile: '/x/f.transfer.json',
  status,
  startedAt: new Date(0).toISOString(),
  seconds: 1,
  strategy: 'scratch',
  epochsPlanned: 2,
  epochsDone: 0,
  ...extra,
});
const stepEv = (i: number) => ({ kind: 'step' as const, step: i, epoch: Math.floor(i / 4), stage: 0, loss: 1 / (i + 1), lr: { head: 0.01, base: 0.001 } });
const epochEv = (e: number) => ({
  kind: 'epoch' as const,
  epoch: e,
  stage: 0,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss: 1.1,
  valAccuracy: 0.4 + e / 10,
  seconds: 1,
  samplesPerSecond: 100,
  numTensors: 10,
});

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-follow-'));
  const exp = resolveExperiment(
    { name: 'f', base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } }, transfer: { strategy: 'scratch' } },
    path.join(root, 'f.transfer.json'),
  );
  run = createRun(root, exp);
});
after(() => {
  run.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('history, then updates of only the new events, none twice', () => {
  run.writeSummary(summary('running'));
  run.append({ kind: 'stage', stage: 0, name: 'scratch', epochs: 2, frozen: [], trainable: ['conv1'] });
  for (let i = 0; i < 4; i++) run.append(stepEv(i));
  run.append(epochEv(0));

  const f = new RunFollower(run.dir, run.id);
  f.read();
  const h = f.history();
  assert.equal(h.status, 'running');
  assert.deepEqual(
    h.steps.points.map((p) => p.step),
    [0, 1, 2, 3],
  );
  assert.equal(h.epochs.length, 1);
  assert.equal(h.stages.length, 1);
  assert.equal(f.update(), undefined, 'nothing new');

  // a line being written (no newline yet) is not read
  fs.appendFileSync(run.metricsPath, JSON.stringify(stepEv(4)).slice(0, 10));
  assert.equal(f.update(), undefined);
  fs.appendFileSync(run.metricsPath, JSON.stringify(stepEv(4)).slice(10) + '\n');
  for (let i = 5; i < 8; i++) run.append(stepEv(i));
  const u = f.update()!;
  assert.deepEqual(
    u.steps.points.map((p) => p.step),
    [4, 5, 6, 7],
  );
  assert.equal(u.steps.from, 4);
  assert.deepEqual(u.epochs, []);

  run.append(epochEv(1));
  run.append({ kind: 'test', loss: 0.9, accuracy: 0.7, checkpoint: 'best', examples: 50 });
  run.writeSummary(summary('completed', { bestEpoch: 1, epochsDone: 2 }));
  const last = f.update()!;
  assert.equal(last.status, 'completed');
  assert.deepEqual(
    last.epochs.map((e) => e.epoch),
    [1],
  );
  assert.equal(last.test?.accuracy, 0.7);
  assert.equal(last.bestEpoch, 1);
  assert.equal(f.update(), undefined);

  // a second follower (the panel shown again) replays the same history once
  const again = new RunFollower(run.dir, run.id);
  again.read();
  const full = again.history();
  assert.deepEqual(
    full.steps.points.map((p) => p.step),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.deepEqual(
    full.epochs.map((e) => e.epoch),
    [0, 1],
  );
  assert.equal(full.status, 'completed');
});

test('a comparison reads the epochs and bests of each run', () => {
  const view = compareRunFolders([
    { runId: run.id, runDir: run.dir, experiment: 'e' },
    { runId: run.id, runDir: run.dir, experiment: 'e' },
  ]);
  assert.equal(view.runs.length, 2);
  assert.deepEqual(
    view.runs[0].epochs.map((e) => e.valAccuracy),
    [0.4, 0.5],
  );
  assert.equal(view.runs[0].bestEpoch, 1);
  assert.deepEqual(view.differences, []);
});

test('the skipped files of summary.json reach the panel: in the history and in the page model', () => {
  const skipped = {
    count: 2,
    reasons: [
      { reason: 'unsupported image format', count: 1, files: ['/d/a.png'] },
      { reason: 'premature end of JPEG', count: 1, files: ['/d/b.jpg'] },
    ],
  };
  run.writeSummary(summary('completed', { skipped }));
  const f = new RunFollower(run.dir, run.id);
  f.read();
  const h = f.history();
  assert.deepEqual(h.skipped, skipped);
  const page = new MetricsModel();
  page.reset({ ...h, skipped: undefined });
  page.apply({
    runId: run.id,
    status: 'completed',
    steps: { stride: h.steps.stride, from: h.steps.points.length, points: [] },
    epochs: [],
    stages: [],
    skipped,
  });
  assert.deepEqual(page.metrics!.skipped, skipped);
});
