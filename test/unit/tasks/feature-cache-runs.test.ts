// Runs through the persistent frozen-feature cache, in process on the real wasm backend: a second
// training run on the same photos reads every frozen feature from the cache and ends with bitwise the
// same losses; a layer sweep and an unsupervised run computed once are read back the second time;
// with the cap at 0 nothing is stored. The cache folder comes from TRANSFER_LAB_CACHE_DIR, as the
// CLI and VS Code pass it to the worker.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTask } from '../../../src/core/tasks/run-task.js';
import { readMetrics } from '../../../src/core/runs/store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-cache-runs-'));
const runsDir = path.join(dir, 'runs');
const cacheDir = path.join(dir, 'cache');
const saved = { dir: process.env.TRANSFER_LAB_CACHE_DIR, size: process.env.TRANSFER_LAB_CACHE_SIZE_MB };
process.env.TRANSFER_LAB_CACHE_DIR = cacheDir;
process.env.TRANSFER_LAB_CACHE_SIZE_MB = '256';
after(() => {
  for (const [k, v] of [
    ['TRANSFER_LAB_CACHE_DIR', saved.dir],
    ['TRANSFER_LAB_CACHE_SIZE_MB', saved.size],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, body: object): string {
  const file = path.join(dir, `${name}.transfer.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}
const logs = (name: string, runId: string) =>
  readMetrics(path.join(runsDir, name, runId)).flatMap((e) => (e.kind === 'log' ? [(e as { message: string }).message] : []));

test('a second training run on the same photos reads every frozen feature from the cache, with the same result', async () => {
  const photos = path.join(dir, 'photos');
  for (const cls of ['ants', 'bees']) {
    fs.mkdirSync(path.join(photos, cls), { recursive: true });
    const src = path.join('/work/shared/data/hymenoptera_data/train', cls);
    for (const f of fs.readdirSync(src).sort().slice(0, 8)) fs.copyFileSync(path.join(src, f), path.join(photos, cls, f));
  }
  const file = write('photos', {
    base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [32, 32, 3] },
    data: { train: { kind: 'imageFolder', path: photos }, split: { validation: 0.25 } },
    transfer: { strategy: 'featureExtraction' },
    training: { epochs: 2, batchSize: 4 },
  });
  const first = await runTask('train', { experimentFile: file, runsDir, backend: 'wasm' });
  const second = await runTask('train', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(first.status, 'completed', first.error);
  assert.equal(second.status, 'completed', second.error);
  const line = (id: string) => logs('photos', id).filter((m) => m.includes('frozen features of'));
  assert.match(line(first.runId)[0]!, /frozen features of 12 training examples: 0 from the feature cache, 12 computed/);
  assert.match(line(first.runId)[1]!, /frozen features of 4 validation examples: 0 from the feature cache, 4 computed/);
  assert.match(line(second.runId)[0]!, /frozen features of 12 training examples: 12 from the feature cache, 0 computed/);
  assert.match(line(second.runId)[1]!, /frozen features of 4 validation examples: 4 from the feature cache, 0 computed/);
  assert.deepEqual(second.final, first.final, 'the same features give bitwise the same losses');
});

test('layer sweep and unsupervised runs: computed the first time, read from the cache the second', async () => {
  const sweep = write('sweep', {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [3, 8], perClass: 20 }, split: { validation: 0.3 } },
    transfer: { sweep: { iterations: 5, layers: { names: ['pool1', 'fc1'] } } },
  });
  const unsup = write('unsup', {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 15 } },
    transfer: { kind: 'unsupervised', unsupervised: { components: 3, clusters: 2, compareRaw: false } },
  });
  for (const [name, task, file] of [
    ['sweep', 'layerSweep', sweep],
    ['unsup', 'train', unsup],
  ] as const) {
    const a = await runTask(task, { experimentFile: file, runsDir, backend: 'wasm' });
    const b = await runTask(task, { experimentFile: file, runsDir, backend: 'wasm' });
    assert.equal(b.status, 'completed', b.error);
    const use = (id: string) => logs(name, id).find((m) => m.startsWith('frozen features:'))!;
    const [hitsA, computedA] = use(a.runId)
      .match(/(\d+) from the feature cache, (\d+) computed/)!
      .slice(1)
      .map(Number);
    const [hitsB, computedB] = use(b.runId)
      .match(/(\d+) from the feature cache, (\d+) computed/)!
      .slice(1)
      .map(Number);
    assert.equal(hitsA, 0, name);
    assert.ok(computedA! > 0, name);
    assert.deepEqual([hitsB, computedB], [computedA, 0], name);
  }
});

test('with the cap at 0 the cache is off: nothing is stored', async () => {
  process.env.TRANSFER_LAB_CACHE_DIR = path.join(dir, 'off');
  process.env.TRANSFER_LAB_CACHE_SIZE_MB = '0';
  const file = write('off', {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 10 } },
    transfer: { kind: 'unsupervised', unsupervised: { components: 2, clusters: 2, compareRaw: false } },
  });
  const s = await runTask('train', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  assert.match(
    logs('off', s.runId).find((m) => m.startsWith('frozen features:'))!,
    /20 computed, .* \(feature cache off/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'off')), false);
});
