// The layer sweep on a text base scores only layers with one vector per document: a Conv1D encoder's
// token ids, embedding and conv outputs are sequences, so its pooled output is the one candidate.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LayerSweepFile } from '../../../src/core/runs/artifacts.js';
import { runTask } from '../../../src/core/tasks/run-task.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-text-sweep-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('layer sweep on a wordVectors base (conv encoder, Brown news vs romance): only the pooled layer is a candidate', async () => {
  const file = path.join(dir, 'sweep.transfer.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'wordVectors', vectors: 'glove-100d', encoder: 'conv', filters: 8, kernelSize: 3, maxWords: 5000 },
      data: { train: { kind: 'brownCorpus', classes: ['news', 'romance'] }, split: { validation: 0.3 }, text: { maxLength: 200 } },
      transfer: { sweep: { iterations: 20, includeInput: true } },
    }),
  );
  const s = await runTask('layerSweep', { experimentFile: file, runsDir: path.join(dir, 'runs'), backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  const f = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'sweep', s.runId, 'layer-sweep.json'), 'utf8')) as LayerSweepFile;
  assert.deepEqual(
    f.layers.map((l) => l.layer),
    ['pool'],
  );
  const acc = f.layers[0]!.valAccuracy ?? -1;
  assert.ok(acc >= 0 && acc <= 1, String(acc));
});
