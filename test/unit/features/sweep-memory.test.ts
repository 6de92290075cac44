// A layer sweep on the Teachable Machine MobileNetV2 (224×224, α 0.35) must fit the memory of a
// feature-extraction run. Features were computed 128 examples at a time with every activation of the
// pass kept until its end: the sweep of two layers on the ants/bees photos grew the wasm heap past
// its 4 GiB cap ("table index is out of bounds", peak RSS 4.5 GB). Now activations are freed as soon
// as no later op reads them and the batch fits INFERENCE_MEMORY_BYTES. Real base, real photos.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryUsage } from '../../../src/core/backend/memory.js';
import { runTask } from '../../../src/core/tasks/run-task.js';
import type { LayerSweepFile } from '../../../src/core/runs/artifacts.js';

const ROOT = path.join(__dirname, '..', '..', '..');
// The team's shared data (README, "Photo examples"): examples/data when linked, else ../shared/data.
const DATA = [path.join(ROOT, 'examples', 'data'), path.join(ROOT, '..', 'shared', 'data')].find((d) =>
  fs.existsSync(path.join(d, 'mobilenetv2-teachable', 'model.json')),
);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-sweep-memory-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('sweep of two layers on the real MobileNetV2 photo base: completes with the wasm heap under 1 GiB (was > 4 GiB, aborted)', async () => {
  assert.ok(DATA, 'the shared data (mobilenetv2-teachable, hymenoptera_data) is needed: link it as examples/data');
  const file = path.join(dir, 'sweep.transfer.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'model', path: path.join(DATA, 'mobilenetv2-teachable', 'model.json') },
      // The 153 validation photos, split 96 / 57: enough for one 128-example batch before the fix.
      data: {
        train: { kind: 'imageFolder', path: path.join(DATA, 'hymenoptera_data', 'val') },
        split: { validation: 0.375, test: 0 },
        image: { resize: 'cover', scale: 'symmetric' },
      },
      transfer: { strategy: 'featureExtraction', sweep: { layers: { names: ['block_5_add', 'out_relu'] } } },
    }),
  );
  const s = await runTask('layerSweep', { experimentFile: file, runsDir: path.join(dir, 'runs'), backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  const sweep = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'sweep', s.runId, 'layer-sweep.json'), 'utf8')) as LayerSweepFile;
  assert.deepEqual(
    sweep.layers.map((l) => l.layer),
    ['input', 'block_5_add', 'out_relu'],
  );
  const heap = memoryUsage().wasmHeapBytes!;
  assert.ok(heap < 1024 ** 3, `wasm heap ${(heap / 1024 ** 2).toFixed(0)} MiB`);
});
