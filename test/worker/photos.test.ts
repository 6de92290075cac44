// The committed fine-tuning example for photos, run by the real CLI and worker on the committed
// fixtures (the miniature Teachable Machine export and six ants/bees photos, laid out as the README
// says): both stages run, the nested old head is dropped, the metadata is read, memory is recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMetrics } from '../../src/core/runs/store.js';
import { photoWorkspace } from '../fixtures/photo-workspace.js';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

test('run examples/hymenoptera-fine-tune.transfer.json: head on cached features, then the last blocks with augmentation', () => {
  const ws = photoWorkspace('fixtures');
  try {
    const r = spawnSync(process.execPath, [CLI, 'run', 'hymenoptera-fine-tune.transfer.json', '--json'], { cwd: ws.dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, 'completed', s.error);
    assert.equal(s.epochsDone, 20);
    assert.ok(s.memory.rssPeakBytes > 0);
    assert.ok(s.memory.wasmHeapBytes > 0 && s.memory.wasmHeapBytes < 512 * 1024 ** 2, `wasm heap ${s.memory.wasmHeapBytes}`);
    const runDir = path.join(ws.runs, 'hymenoptera-fine-tune', s.runId);
    const events = readMetrics(runDir);
    const logs = events.filter((e) => e.kind === 'log').map((e) => (e as { message: string }).message);
    assert.ok(
      logs.some((m) => m === 'old head dropped: the nested model "sequential_5" (dense_Dense1, dense_Dense2)'),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => /metadata\.json: Teachable Machine image model, "tiny-teachable-fixture", 32×32/.test(m)),
      logs.join('\n'),
    );
    assert.ok(logs.some((m) => /^stage 0: .* run once on training and validation examples/.test(m)));
    assert.ok(logs.some((m) => /^stage 1: .* run every step on augmented training examples/.test(m)));
    const stages = events.filter((e) => e.kind === 'stage') as { name: string; trainable: string[] }[];
    assert.deepEqual(
      stages.map((e) => e.name),
      ['head', 'last blocks'],
    );
    assert.deepEqual(stages[0]!.trainable, []);
    assert.ok(stages[1]!.trainable.includes('block_14_expand') && !stages[1]!.trainable.includes('block_14_expand_BN'));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'labels.json'), 'utf8')).classNames, ['ants', 'bees']);
    assert.ok(fs.existsSync(path.join(runDir, 'checkpoints', 'best', 'model.json')));
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('run without a terminal: the preparation prints its phases on stderr (decoding photos, frozen features), first and last item of each', () => {
  const ws = photoWorkspace('fixtures');
  try {
    // spawnSync pipes stderr: not a TTY, so lines, not a redrawn bar
    const r = spawnSync(process.execPath, [CLI, 'run', 'hymenoptera-feature-extraction.transfer.json'], { cwd: ws.dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => /^(decoding photos|frozen features) /.test(l));
    console.log(`    ${lines.join('\n    ')}`);
    // the committed fixture folder: 3 readable ants and 3 bees, the same folders for train and val
    for (const of of ['train', 'validation']) {
      assert.ok(lines.includes(`decoding photos 1/6 (${of})`), lines.join('\n'));
      assert.ok(lines.includes(`decoding photos 6/6 (${of})`), lines.join('\n'));
      assert.ok(lines.includes(`frozen features 6/6 (${of})`), lines.join('\n'));
    }
    // in order: decoding before the frozen pass, the frozen pass before the first epoch line
    const at = (re: RegExp) => r.stderr.split('\n').findIndex((l) => re.test(l));
    assert.ok(at(/^decoding photos 6\/6 \(validation\)/) < at(/^frozen features 6\/6 \(train\)/));
    assert.ok(at(/^frozen features 6\/6 \(validation\)/) < at(/^epoch 1:/), r.stderr);
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});
