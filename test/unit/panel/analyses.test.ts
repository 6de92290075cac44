// What the panel's analysis views are given: the newest result of each kind (the shown run's first),
// the advisor's edit judged against the file's text, and the scatter's points sampled without ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmbeddingFile } from '../../../src/core/runs/artifacts.js';
import type { RunSummary } from '../../../src/core/runs/events.js';
import { analysesKey, ArtifactCache, collectAnalyses, editsInEffect, scatterPoints } from '../../../src/extension/panel/analyses/analyses.js';
import type { RunRecord } from '../../../src/extension/runs/runRecords.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-analyses-'));

/** A run folder with the given result files (name → content) listed in its summary. */
function run(id: string, files: Record<string, [string, unknown]>): RunRecord {
  const runDir = path.join(dir, id);
  fs.mkdirSync(runDir, { recursive: true });
  const artifacts: Record<string, string> = {};
  for (const [name, [file, value]] of Object.entries(files)) {
    fs.writeFileSync(path.join(runDir, file), JSON.stringify(value));
    artifacts[name] = file;
  }
  const summary = { runId: id, startedAt: `2026-01-01T00:00:0${id.slice(-1)}Z`, status: 'completed', artifacts } as unknown as RunSummary;
  return { runId: id, runDir, experiment: 'x', summary, status: 'completed', meta: {} };
}

const sweep = (best: string) => ['layer-sweep.json', { version: 1, best, layers: [] }] as [string, unknown];
const advice = (edits: unknown[]) => ['advice.json', { version: 1, edits }] as [string, unknown];

test('each kind comes from the newest run that has it, unless the shown run has one', () => {
  const newest = run('r3', { layerSweep: sweep('pool2') });
  const middle = run('r2', { advice: advice([]), layerSweep: sweep('conv2') });
  const oldest = run('r1', { gaborMatch: ['gabor-match.json', { version: 1, filters: [] }] });
  const runs = [newest, middle, oldest];
  const cache = new ArtifactCache();
  const v = collectAnalyses(runs, undefined, '{}', cache);
  assert.equal(v.layerSweep?.runId, 'r3');
  assert.equal(v.advice?.runId, 'r2');
  assert.equal(v.gaborMatch?.runId, 'r1');
  assert.equal(v.clusters, undefined);
  assert.equal(v.transductive, undefined);
  assert.equal(v.layerSweep?.startedAt, '2026-01-01T00:00:03Z');
  const shown = collectAnalyses(runs, 'r2', '{}', cache);
  assert.equal(shown.layerSweep?.runId, 'r2');
  assert.equal((shown.layerSweep?.value as { best: string }).best, 'conv2');
  assert.notEqual(analysesKey(v), analysesKey(shown));
  assert.equal(analysesKey(v), analysesKey(collectAnalyses(runs, undefined, '{}', cache)));
});

test('a run folder whose result file is gone is skipped; pruned runs are forgotten', () => {
  const a = run('q2', { layerSweep: sweep('fc1') });
  const b = run('q1', { layerSweep: sweep('flatten') });
  const cache = new ArtifactCache();
  fs.rmSync(path.join(a.runDir, 'layer-sweep.json'));
  assert.equal(collectAnalyses([a, b], undefined, undefined, cache).layerSweep?.runId, 'q1');
  cache.prune([a]);
  fs.rmSync(b.runDir, { recursive: true });
  assert.equal(collectAnalyses([a, b], undefined, undefined, cache).layerSweep, undefined);
});

test('the advice is in effect when every set value is in the text and every removed property is absent', () => {
  const edits = [
    { pointer: '/transfer/strategy', value: 'featureExtraction' },
    { pointer: '/transfer/cutLayer', value: 'pool2' },
    { pointer: '/transfer/stages' },
  ];
  const yes = '{\n  // comment\n  "transfer": { "strategy": "featureExtraction", /* c */ "cutLayer": "pool2" }\n}';
  assert.equal(editsInEffect(yes, edits), true);
  assert.equal(editsInEffect(yes.replace('pool2', 'conv2'), edits), false);
  assert.equal(editsInEffect(yes.replace('}\n}', ', "stages": [] }\n}'), edits), false);
  assert.equal(editsInEffect('{ "learningRate": { "baseMultiplier": 0.1 } }', [{ pointer: '/learningRate/baseMultiplier', value: 0.1 }]), true);
  const r = run('p1', { advice: advice(edits) });
  assert.equal(collectAnalyses([r], undefined, yes, new ArtifactCache()).advice?.inEffect, true);
  assert.equal(collectAnalyses([r], undefined, '{}', new ArtifactCache()).advice?.inEffect, false);
});

test('scatter points: ids dropped, every field sampled at the same indices, the total kept', () => {
  const n = 10;
  const e: EmbeddingFile = {
    version: 1,
    ids: Array.from({ length: n }, (_, i) => `mnist:${i}`),
    x: Array.from({ length: n }, (_, i) => i),
    y: Array.from({ length: n }, (_, i) => -i),
    cluster: Array.from({ length: n }, (_, i) => i % 3),
    label: Array.from({ length: n }, (_, i) => i % 2),
    classNames: ['a', 'b'],
  };
  const all = scatterPoints(e);
  assert.equal('ids' in all, false);
  assert.deepEqual(all.x, e.x);
  assert.equal(all.total, 10);
  assert.equal(all.rawCluster, undefined);
  const few = scatterPoints(e, 4);
  assert.deepEqual(few.x, [0, 2, 5, 7]);
  assert.deepEqual(few.y, [-0, -2, -5, -7]);
  assert.deepEqual(few.cluster, [0, 2, 2, 1]);
  assert.deepEqual(few.label, [0, 0, 1, 1]);
  assert.equal(few.total, 10);
});

test('the evaluation comes with a thumbnail per mistake that has a file (the host decides which files it serves)', () => {
  const mistakes = [
    { id: '/data/bees/a.jpg', path: '/data/bees/a.jpg', trueClass: 'bees', predictedClass: 'ants', probability: 0.9, trueProbability: 0.1 },
    { id: 'mnist:3#1', trueClass: '3', predictedClass: '8', probability: 0.8, trueProbability: 0.2 },
    { id: '/elsewhere/b.jpg', path: '/elsewhere/b.jpg', trueClass: 'ants', predictedClass: 'bees', probability: 0.7, trueProbability: 0.3 },
  ];
  const r = run('e1', { evaluation: ['evaluation.json', { version: 1, confusion: [[0]], mistakes }] });
  const asked: string[] = [];
  const v = collectAnalyses([r], undefined, undefined, new ArtifactCache(), (file, from) => {
    asked.push(file);
    assert.equal(from, r);
    return file.startsWith('/data/') ? `webview:${file}` : null;
  });
  assert.equal(v.evaluation?.runId, 'e1');
  assert.deepEqual(v.evaluation?.thumbnails, ['webview:/data/bees/a.jpg', null, null]);
  assert.deepEqual(asked, ['/data/bees/a.jpg', '/elsewhere/b.jpg']);
  assert.notEqual(analysesKey(v), analysesKey({}));
});
