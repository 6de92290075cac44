// Files the loader skips (corrupt images) were only warned about: the run record now keeps them,
// counted and grouped by reason, in summary.json (`skipped`), for training runs and analyses alike.
// Real runs on the committed fixture folder (two corrupt files among eleven images).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSummary } from '../../../src/core/runs/store.js';
import { skippedSummary } from '../../../src/core/runs/skipped.js';
import { runTask } from '../../../src/core/tasks/run-task.js';

const FOLDER = path.join(__dirname, '..', '..', 'fixtures', 'images', 'folder');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-skipped-'));
const runsDir = path.join(dir, 'runs');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('skippedSummary: grouped by reason, most frequent first, files capped at 10 per reason, undefined for none', () => {
  assert.equal(skippedSummary([]), undefined);
  const files = [
    ...Array.from({ length: 12 }, (_, i) => ({ file: `/d/t${i}.jpg`, reason: 'premature end of JPEG image' })),
    { file: '/d/x.png', reason: 'unsupported image format' },
  ];
  const s = skippedSummary([files[12]!, ...files.slice(0, 12)])!;
  assert.equal(s.count, 13);
  assert.deepEqual(
    s.reasons.map((r) => [r.reason, r.count, r.files.length]),
    [
      ['premature end of JPEG image', 12, 10],
      ['unsupported image format', 1, 1],
    ],
  );
  assert.deepEqual(s.reasons[0]!.files.slice(0, 2), ['/d/t0.jpg', '/d/t1.jpg']);
});

for (const task of ['train', 'layerSweep'] as const) {
  test(`a ${task} run on a folder with two corrupt images records them in summary.json`, async () => {
    const file = path.join(dir, `${task}.transfer.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [32, 32, 3] },
        data: { train: { kind: 'imageFolder', path: FOLDER }, split: { validation: 0.3, test: 0 } },
        transfer: { strategy: 'scratch' },
        training: { epochs: 1, batchSize: 4 },
      }),
    );
    const s = await runTask(task, { experimentFile: file, runsDir, backend: 'wasm' });
    assert.equal(s.status, 'completed', s.error);
    const onDisk = readSummary(path.join(runsDir, task, s.runId))!;
    assert.equal(onDisk.skipped?.count, 2);
    const reasons = onDisk.skipped!.reasons;
    assert.deepEqual(reasons.map((r) => r.files.map((f) => path.basename(f))).sort(), [['random-bytes.png'], ['truncated.jpg']]);
    assert.match(reasons.find((r) => r.files[0]!.endsWith('truncated.jpg'))!.reason, /JPEG/i);
    assert.match(reasons.find((r) => r.files[0]!.endsWith('random-bytes.png'))!.reason, /unsupported image format/);
  });
}
