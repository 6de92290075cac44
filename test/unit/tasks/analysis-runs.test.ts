// The new kinds and tasks end to end on real digits, in process and small: an unsupervised run, a
// transductive run (AdaBN + one self-training round) and a layer sweep each write their result file,
// list it in summary.json and announce it with an `artifact` event.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTask } from '../../../src/core/tasks/run-task.js';
import { readMetrics } from '../../../src/core/runs/store.js';
import type { ClustersFile, EmbeddingFile, LayerSweepFile, TransductiveFile } from '../../../src/core/runs/artifacts.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-analysis-'));
const runsDir = path.join(dir, 'runs');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, body: object): string {
  const file = path.join(dir, `${name}.transfer.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}
const read = <T>(runDir: string, file: string) => JSON.parse(fs.readFileSync(path.join(runDir, file), 'utf8')) as T;
const runDirOf = (name: string, id: string) => path.join(runsDir, name, id);

test('unsupervised: clusters.json and embedding.json, NMI/ARI for features and raw pixels', async () => {
  const file = write('unsup', {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1, 7], perClass: 20 } },
    transfer: { kind: 'unsupervised', unsupervised: { components: 5, clusters: 3 } },
  });
  const s = await runTask('train', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  assert.equal(s.transferKind, 'unsupervised');
  assert.deepEqual(s.artifacts, { clusters: 'clusters.json', embedding: 'embedding.json' });
  const d = runDirOf('unsup', s.runId);
  const c = read<ClustersFile>(d, 'clusters.json');
  assert.equal(c.examples, 60);
  assert.equal(c.features.k, 3);
  assert.equal(c.raw?.k, 3);
  for (const r of [c.features, c.raw!]) assert.ok(r.scores.nmi! >= 0 && r.scores.nmi! <= 1 && r.scores.ari! <= 1);
  const e = read<EmbeddingFile>(d, 'embedding.json');
  assert.equal(e.x.length, 60);
  assert.equal(e.cluster.length, 60);
  assert.equal(new Set(e.ids).size, 60);
  assert.deepEqual(
    readMetrics(d)
      .filter((m) => m.kind === 'artifact')
      .map((m) => (m as { name: string }).name),
    ['clusters', 'embedding'],
  );
});

test('transductive: source accuracy, AdaBN and a self-training round on a shifted target', async () => {
  const file = write('trans', {
    base: { kind: 'builtin', architecture: 'mobileNetLike', inputShape: [28, 28, 1] },
    data: {
      train: { kind: 'mnist', classes: [0, 1], perClass: 40 },
      split: { validation: 0.25 },
      target: { kind: 'mnist', classes: [0, 1], perClass: 60, transform: { contrast: 0.5, brightness: 0.2 } },
    },
    transfer: { kind: 'transductive', strategy: 'scratch', transductive: { selfTraining: { rounds: 1, threshold: 0, epochs: 1 } } },
    training: { epochs: 1, batchSize: 16 },
  });
  const s = await runTask('train', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  const t = read<TransductiveFile>(runDirOf('trans', s.runId), 'transductive.json');
  // 60 per class in the target, of which the first 40 of each are training or validation examples.
  assert.equal(t.targetExamples, 40);
  assert.equal(t.targetOverlapRemoved, 80);
  assert.deepEqual(
    t.phases.map((p) => p.phase),
    ['source', 'adaBN', 'selfTraining'],
  );
  assert.equal(t.phases[1]!.batchNormLayers!.length, 13);
  assert.ok(fs.existsSync(path.join(runDirOf('trans', s.runId), 'checkpoints', 'adapted', 'model.json')));
  assert.deepEqual(
    s.results?.map((r) => r.name),
    ['target accuracy, source model', 'after AdaBN', 'after self-training'],
  );
});

test('layer sweep task: one entry per cut point, the input first, best by validation', async () => {
  const file = write('sweep', {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [3, 8], perClass: 30 }, split: { validation: 0.3 } },
    transfer: { sweep: { iterations: 20 } },
  });
  const s = await runTask('layerSweep', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  assert.equal(s.task, 'layerSweep');
  const f = read<LayerSweepFile>(runDirOf('sweep', s.runId), 'layer-sweep.json');
  assert.deepEqual(
    f.layers.map((l) => l.layer),
    ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1'],
  );
  assert.equal(f.currentCutLayer, 'fc1');
  assert.ok(f.best && f.layers.some((l) => l.layer === f.best));
  // The summary's results: validation accuracy per layer, then the sweep's choice (what the Experiments view shows).
  assert.deepEqual(
    s.results?.map((r) => r.name),
    [...f.layers.map((l) => `val accuracy ${l.layer}`), `best cut ${f.best}`],
  );
  assert.equal(s.results?.at(-1)?.value, f.layers.find((l) => l.layer === f.best)!.valAccuracy);
  assert.equal(readMetrics(runDirOf('sweep', s.runId)).filter((e) => e.kind === 'sweep').length, 7);
});
