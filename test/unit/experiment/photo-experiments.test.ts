// Experiments on photos with a nested Teachable Machine export: the committed photo examples check
// clean in a workspace laid out as the README says (fixtures; and the real data when present); on the
// miniature export, inner layer names are the base's layers, the default cut drops the nested old head
// (and says so), the export's metadata.json asks for [-1, 1] pixels, a stage's augment flag needs
// data.augment, data.image.size must match the network input.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import { formatProblem } from '../../../src/core/experiment/problem.js';
import { PHOTO_EXAMPLES, photoWorkspace, SHARED_DATA } from '../../fixtures/photo-workspace.js';

const TEACHABLE = path.join(__dirname, '../../fixtures/models/teachable/model.json');
const PHOTOS = path.join(__dirname, '../../fixtures/images/folder');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-semantic-nested-'));
const FILE = path.join(dir, 'photos.transfer.json');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function check(extra: Record<string, unknown>, image: Record<string, unknown> = { scale: 'symmetric' }) {
  const text = JSON.stringify(
    { base: { kind: 'model', path: TEACHABLE }, data: { train: { kind: 'imageFolder', path: PHOTOS, classes: ['ants', 'bees'] }, image }, ...extra },
    null,
    2,
  );
  const c = await checkExperimentText(text, FILE);
  return { ...c, shown: c.problems.map((p) => formatProblem('exp', p)).join('\n') };
}

test('inner layer names, ranges and upTo of the nested base check clean; the metadata is returned', async () => {
  const c = await check({
    transfer: {
      strategy: 'fineTune',
      stages: [
        { name: 'head', epochs: 1, freeze: { all: true } },
        { name: 'block 14', epochs: 1, freeze: { upTo: 'block_12_add', names: ['block_14_depthwise_BN'], range: [0, 3], regex: '_BN$' } },
      ],
    },
  });
  assert.deepEqual(c.problems, [], c.shown);
  assert.deepEqual(c.metadata?.labels, ['Class 1', 'Class 2', 'Class 3']);
  assert.equal(c.layers?.at(-1)?.name, 'dense_Dense2');
});

test('a layer of the old head is after the default cut, which names the nested model it drops', async () => {
  const c = await check({ transfer: { strategy: 'fineTune', freeze: { names: ['dense_Dense1'] } } });
  const p = c.problems.find((x) => x.path === '/transfer/freeze/names/0');
  assert.ok(p, c.shown);
  assert.match(
    p.message,
    /"dense_Dense1" is after the cut layer "global_average_pooling2d_GlobalAveragePooling2D2".*nested model "sequential_5", is replaced by the head/,
  );
});

test('a Teachable Machine base without [-1, 1] scaling warns at data.image.scale; a stage augment flag without data.augment warns', async () => {
  const c = await check({ transfer: { strategy: 'featureExtraction', stages: [{ epochs: 1, freeze: { all: true }, augment: false }] } }, { scale: 'unit' });
  const scale = c.problems.find((x) => x.path === '/data/image/scale');
  assert.equal(scale?.severity, 'warning', c.shown);
  assert.match(scale!.message, /Teachable Machine image model .* expects pixels in \[-1, 1\]: set data.image.scale to "symmetric"/);
  const aug = c.problems.find((x) => x.path === '/transfer/stages/0/augment');
  assert.equal(aug?.severity, 'warning', c.shown);
  const unset = await check({}, {});
  assert.ok(
    unset.problems.some((x) => x.path === '/data' && /Teachable Machine/.test(x.message)),
    unset.shown,
  );
});

test('data.image.size must match the network input: an error naming base.inputShape, none when it is set', async () => {
  const c = await check({}, { scale: 'symmetric', size: [48, 48] });
  const p = c.problems.find((x) => x.path === '/data/image/size');
  assert.equal(p?.severity, 'error', c.shown);
  assert.match(p!.message, /photos resized to \[48, 48\] but the network takes 32×32 \(the model's own input\): set base.inputShape to \[48, 48, 3\]/);
  const ok = await check({ base: { kind: 'model', path: TEACHABLE, inputShape: [48, 48, 3] } }, { scale: 'symmetric', size: [48, 48] });
  assert.deepEqual(ok.problems, [], ok.shown);
});

for (const data of ['fixtures', 'shared'] as const) {
  const skip = data === 'shared' && !fs.existsSync(SHARED_DATA) && 'shared data not present';
  test(
    `the committed photo examples check clean against ${data === 'fixtures' ? 'the committed fixtures' : 'the real data'} laid out as the README says`,
    { skip },
    async () => {
      const ws = photoWorkspace(data);
      try {
        for (const name of PHOTO_EXAMPLES) {
          const file = path.join(ws.dir, name);
          const c = await checkExperimentText(fs.readFileSync(file, 'utf8'), file);
          assert.deepEqual(
            c.problems.map((p) => formatProblem(name, p)),
            [],
            name,
          );
          assert.ok(
            c.layers?.some((l) => l.name === 'block_12_add'),
            name,
          );
        }
      } finally {
        fs.rmSync(ws.dir, { recursive: true, force: true });
      }
    },
  );
}
