// A `run` base names its source experiment by file; the source's runs are stored under the source's
// `name` when it sets one. The checker, the loader and `transfer-lab runs <file>` must all look there:
// the loader used the file name, so a target on a source that sets `name` passed `validate` and then
// failed at run time with "no completed run of ...". Real digits, a real (one-epoch) source run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadExperiment } from '../../../src/core/experiment/load.js';
import { experimentNameOfFile, latestCheckpoint } from '../../../src/core/experiment/name.js';
import { loadBase } from '../../../src/core/models/network.js';
import { runExperiment } from '../../../src/core/tasks/train.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-run-base-'));
const runsDir = path.join(dir, 'runs');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (file: string, body: object | string) => {
  fs.writeFileSync(path.join(dir, file), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return path.join(dir, file);
};

const source = write('source.transfer.json', {
  name: 'digits-custom',
  base: { kind: 'builtin' },
  data: { train: { kind: 'mnist', classes: [0, 1], perClass: 20 }, split: { validation: 0.25, test: 0 } },
  transfer: { strategy: 'scratch' },
  training: { epochs: 1, batchSize: 16 },
});
const target = write('target.transfer.json', {
  base: { kind: 'run', experiment: 'source.transfer.json' },
  data: { train: { kind: 'mnist', classes: [2, 3], perClass: 10 } },
});

before(async () => {
  await initBackend('wasm');
  const s = await runExperiment({ experimentFile: source, runsDir, backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  assert.equal(s.experiment, 'digits-custom');
});

test('experimentNameOfFile: the `name` field, else the file name (also for a missing or broken file)', () => {
  assert.equal(experimentNameOfFile(source), 'digits-custom');
  assert.equal(experimentNameOfFile(target), 'target');
  assert.equal(experimentNameOfFile(write('commented.transfer.json', '// a comment\n{ "name": "with-comments", }')), 'with-comments');
  assert.equal(experimentNameOfFile(write('broken.transfer.json', '{ "name": ')), 'broken');
  assert.equal(experimentNameOfFile(path.join(dir, 'missing.transfer.json')), 'missing');
  assert.equal(experimentNameOfFile(write('empty-name.transfer.json', { name: '' })), 'empty-name');
});

test('the source run is stored under its name, and latestCheckpoint finds it there only', () => {
  assert.ok(latestCheckpoint(runsDir, 'digits-custom', 'best')?.startsWith(path.join(runsDir, 'digits-custom') + path.sep));
  assert.equal(latestCheckpoint(runsDir, 'source', 'best'), undefined);
});

test('a run base whose source sets `name`: the checker finds its checkpoint and the loader loads it', async () => {
  const { experiment, problems } = await loadExperiment(target, { runsDir });
  assert.deepEqual(
    problems.filter((p) => /no completed run/.test(p.message)).map((p) => p.message),
    [],
    'the checker looks under the source name',
  );
  const base = await loadBase(experiment, { runsDir });
  try {
    assert.equal(base.source, latestCheckpoint(runsDir, 'digits-custom', 'best'));
  } finally {
    base.model.dispose();
  }
});
