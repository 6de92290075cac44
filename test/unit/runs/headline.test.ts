/**
 * What the Experiments view and the panel's run table say of a run, on summaries written by real runs
 * (test/fixtures/run-summaries/summaries.json: copied from `.transfer-lab/runs` of a layer sweep, an
 * unsupervised, a transductive, a Gabor-match, an advice and an ordinary training run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSummary } from '../../../src/core/runs/events.js';
import { runDescription, runHeadline } from '../../../src/core/runs/headline.js';
import { epochsCell } from '../../../webview/panel/format.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/run-summaries/summaries.json');
const real = JSON.parse(fs.readFileSync(FIXTURES, 'utf8')) as Record<
  'unsupervised' | 'layerSweep' | 'layerSweepGabor' | 'transductive' | 'gaborMatch' | 'advise' | 'train',
  RunSummary
>;

test('an unsupervised run: k and NMI of the features against raw pixels, not "k 4"', () => {
  assert.equal(runDescription('completed', real.unsupervised), 'clusters k=4 · NMI 0.33 vs 0.31 pixels');
  // Without labels there is no NMI: the silhouette says how well it clustered.
  const unlabelled: RunSummary = { ...real.unsupervised, results: real.unsupervised.results!.filter((r) => !/^(NMI|ARI)/.test(r.name)) };
  assert.equal(runDescription('completed', unlabelled), 'clusters k=4 · silhouette 0.27');
  // Without a raw-pixel comparison.
  const noRaw: RunSummary = { ...real.unsupervised, results: real.unsupervised.results!.filter((r) => !r.name.includes('raw')) };
  assert.equal(runDescription('completed', noRaw), 'clusters k=4 · NMI 0.33');
  assert.equal(runDescription('running', { ...real.unsupervised, status: 'running', results: undefined }), 'clustering');
  assert.equal(runDescription('failed', { ...real.unsupervised, status: 'failed', results: undefined }), 'failed · clusters');
});

test('a layer sweep names the best cut by validation accuracy, not its first result (the raw input)', () => {
  assert.equal(real.layerSweep.results![0]!.name, 'val accuracy input');
  // pool2 and flatten tie at 82.4%: the first of equals, as layer-sweep.json's best (same features).
  assert.equal(runDescription('completed', real.layerSweep), 'layer sweep · best cut pool2 82.4% (input 74.2%)');
  assert.equal(runDescription('completed', real.layerSweepGabor), 'layer sweep · best cut gabor_pool 94.3% (input 85.5%)');
  // Runs since the sweep wrote its own choice (`best cut <layer>`, ties broken by fewer features): that one.
  const withChoice: RunSummary = {
    ...real.layerSweep,
    results: [...real.layerSweep.results!, { name: 'best cut flatten', value: 0.8237704918032787, unit: 'fraction' }],
  };
  assert.equal(runDescription('completed', withChoice), 'layer sweep · best cut flatten 82.4% (input 74.2%)');
  const inputBest: RunSummary = {
    ...real.layerSweep,
    results: real.layerSweep.results!.map((r) => (r.name === 'val accuracy input' ? { ...r, value: 0.9 } : r)),
  };
  assert.equal(runDescription('completed', inputBest), 'layer sweep · best: raw input 90.0%');
  assert.equal(runDescription('running', { ...real.layerSweep, status: 'running', results: undefined }), 'layer sweep');
  assert.equal(runDescription('stopped', { ...real.layerSweep, status: 'stopped', results: undefined }), 'stopped · layer sweep');
});

test('the other analyses and a transductive run show their headline results; a training run its best metric', () => {
  assert.equal(runDescription('completed', real.transductive), 'target 22.4% → 87.3% AdaBN → 86.8% self-training');
  assert.equal(runDescription('completed', real.gaborMatch), 'Gabor match · mean r 0.854 vs 0.829 random kernels');
  assert.equal(runDescription('completed', real.advise), 'advice · 400 labels/class · domain classifier 89.4%');
  assert.equal(runDescription('completed', real.train), 'val acc 80.3%');
  assert.equal(runHeadline(real.train), undefined);
  // A transductive run stopped while training on the source: its best metric, as any training run.
  const early: RunSummary = { ...real.transductive, status: 'stopped', results: undefined };
  assert.equal(runDescription('stopped', early), 'stopped · val acc 88.6%');
  assert.equal(runDescription('running', { ...real.transductive, status: 'running', epochsDone: 1 }), 'epoch 1/3');
});

test('the run table names what a run without epochs is instead of "0/0"', () => {
  const item = (s: RunSummary) => ({
    ...(s.task && s.task !== 'train' ? { task: s.task } : {}),
    ...(s.transferKind && s.transferKind !== 'inductive' ? { transferKind: s.transferKind } : {}),
    epochsDone: s.epochsDone,
    epochsPlanned: s.epochsPlanned,
  });
  assert.deepEqual(epochsCell(item(real.unsupervised)), {
    text: 'Clustering',
    kind: 'task',
    title: 'Unsupervised: the features are clustered, nothing trains (no epochs)',
  });
  assert.deepEqual(epochsCell(item(real.layerSweep)), { text: 'Sweep cut layers', kind: 'task' });
  assert.deepEqual(epochsCell(item(real.transductive)), { text: '3/3', kind: 'epochs' });
  assert.deepEqual(epochsCell(item(real.train)), { text: '30/30', kind: 'epochs' });
});
