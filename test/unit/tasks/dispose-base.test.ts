// An in-process run must give back every tensor it made: the loaded base model (including the old
// head the cut leaves out of the network) was never disposed, so each runExperiment in a long-lived
// process (tests, benchmarks, the extension host's in-process callers) kept +8 tensors (small CNN)
// or +67 (MobileNet-like) allocated. Real runs on real digits; the count is tf.memory().numTensors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { runTask } from '../../../src/core/tasks/run-task.js';
import { runExperiment } from '../../../src/core/tasks/train.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-dispose-'));
const runsDir = path.join(dir, 'runs');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
before(async () => void (await initBackend('wasm')));

function experiment(name: string, architecture: string, strategy: string): string {
  const file = path.join(dir, `${name}.transfer.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'builtin', architecture, inputShape: [28, 28, 1] },
      data: { train: { kind: 'mnist', classes: [0, 1], perClass: 12 }, split: { validation: 0.25, test: 0.25 } },
      transfer: { strategy },
      training: { epochs: 1, batchSize: 8 },
    }),
  );
  return file;
}

for (const [architecture, strategy] of [
  ['smallCnn', 'featureExtraction'],
  ['mobileNetLike', 'fineTune'],
] as const) {
  test(`runExperiment (${architecture}, ${strategy}) leaves tf.memory().numTensors as it found it`, async () => {
    const file = experiment(`${architecture}-${strategy}`, architecture, strategy);
    // The first run may create tensors tfjs keeps for the process (kernel constants); count from the second.
    const first = await runExperiment({ experimentFile: file, runsDir, backend: 'wasm' });
    assert.equal(first.status, 'completed', first.error);
    const before = tf.memory().numTensors;
    const s = await runExperiment({ experimentFile: file, runsDir, backend: 'wasm' });
    assert.equal(s.status, 'completed', s.error);
    assert.equal(tf.memory().numTensors - before, 0, 'tensors left allocated by one run');
  });
}

test('a layer sweep (runTask layerSweep) leaves tf.memory().numTensors as it found it', async () => {
  const file = experiment('sweep-smallCnn', 'smallCnn', 'featureExtraction');
  const first = await runTask('layerSweep', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(first.status, 'completed', first.error);
  const before = tf.memory().numTensors;
  const s = await runTask('layerSweep', { experimentFile: file, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  assert.equal(tf.memory().numTensors - before, 0, 'tensors left allocated by one sweep');
});
