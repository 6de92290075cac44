// What the tfjs-free readers take from a Teachable Machine export: the default cut (no
// transfer.cutLayer: a trailing nested model, the export's old head, is dropped whole, else the last
// layer alone) on the committed miniature and, when present, the real export; and its metadata.json
// (read when present, lenient about odd fields, an error naming the file when it is not JSON).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baseLayerNames, cutIndex, defaultCut } from '../../../src/core/models/cut.js';
import { describeMetadata, isTeachableImageModel, parseModelMetadata, readModelMetadata } from '../../../src/core/models/metadata.js';
import { readModelTopology } from '../../../src/core/models/topology.js';

const TEACHABLE = path.join(__dirname, '../../fixtures/models/teachable/model.json');
const NESTED = path.join(__dirname, '../../fixtures/models/nested/model.json');
/** The real Teachable Machine export, present on the team's machines and in CI, not in a user's clone. */
const SHARED = path.join(__dirname, '../../../../shared/data/mobilenetv2-teachable/model.json');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-metadata-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const L = (name: string, parent?: string) => ({ name, ...(parent ? { parent } : {}) });

test('rules: a trailing nested model is dropped whole; a top-level last layer or an all-nested model drops the last layer', () => {
  const teachable = [L('conv', 'model2'), L('out_relu', 'model2'), L('gap', 'sequential_3'), L('d1', 'sequential_5'), L('d2', 'sequential_5')];
  assert.deepEqual(defaultCut(teachable), { index: 2, dropped: ['d1', 'd2'], droppedModel: 'sequential_5' });
  assert.deepEqual(defaultCut([L('conv'), L('gap'), L('predictions')]), { index: 1, dropped: ['predictions'] });
  // one nested model holds every layer (a Sequential wrapping a whole functional classifier)
  assert.deepEqual(defaultCut([L('a', 'm'), L('b', 'm'), L('predictions', 'm')]), { index: 1, dropped: ['predictions'] });
  assert.deepEqual(defaultCut([L('only')]), { index: -1, dropped: ['only'] });
  assert.equal(cutIndex(teachable, 'out_relu'), 1);
  assert.equal(cutIndex(teachable, 'nope'), -1);
  assert.deepEqual(baseLayerNames(teachable, undefined), ['conv', 'out_relu', 'gap']);
  assert.deepEqual(baseLayerNames(teachable, 'conv'), ['conv']);
  assert.equal(baseLayerNames(teachable, 'nope'), undefined);
});

test('the miniature Teachable export is cut at its pooling layer; the hand-made nested fixture before its top-level logits', async () => {
  const t = await readModelTopology(TEACHABLE);
  const cut = defaultCut(t.layers);
  assert.equal(t.layers[cut.index]!.name, 'global_average_pooling2d_GlobalAveragePooling2D2');
  assert.deepEqual(cut.dropped, ['dense_Dense1', 'dense_Dense2']);
  assert.equal(cut.droppedModel, 'sequential_5');
  const n = await readModelTopology(NESTED);
  assert.deepEqual(defaultCut(n.layers).dropped, ['logits']);
});

test(
  'the real Teachable Machine MobileNetV2 (when present) is cut at its 1280-feature pooling',
  { skip: !fs.existsSync(SHARED) && 'shared data not present' },
  async () => {
    const t = await readModelTopology(SHARED);
    const cut = defaultCut(t.layers);
    const layer = t.layers[cut.index]!;
    assert.equal(layer.name, 'global_average_pooling2d_GlobalAveragePooling2D2');
    assert.deepEqual(layer.outputShape, [null, 1280]);
    assert.equal(cut.droppedModel, 'sequential_5');
    assert.ok(baseLayerNames(t.layers, undefined)!.includes('block_13_expand'));
  },
);

test('the miniature export: labels, image size, Teachable Machine package', () => {
  const m = readModelMetadata(TEACHABLE)!;
  assert.equal(m.file, path.join(path.dirname(TEACHABLE), 'metadata.json'));
  assert.deepEqual(m.labels, ['Class 1', 'Class 2', 'Class 3']);
  assert.equal(m.imageSize, 32);
  assert.ok(isTeachableImageModel(m));
  assert.match(describeMetadata(m), /^Teachable Machine image model, "tiny-teachable-fixture", 32×32, old head labels: Class 1, Class 2, Class 3/);
});

test('absent → undefined; invalid JSON → an error naming the file; wrong-typed fields are left out', () => {
  const dir = path.join(tmp, 'm');
  fs.mkdirSync(dir);
  const model = path.join(dir, 'model.json');
  assert.equal(readModelMetadata(model), undefined);
  fs.writeFileSync(path.join(dir, 'metadata.json'), '{"labels": [');
  assert.throws(
    () => readModelMetadata(model),
    (e: Error) => e.message.includes(path.join(dir, 'metadata.json')) && /invalid JSON/.test(e.message),
  );
  const odd = parseModelMetadata({ labels: ['a', 1], imageSize: '224', packageName: '', modelName: 'x' }, 'f');
  assert.deepEqual(odd, { file: 'f', modelName: 'x' });
  assert.equal(isTeachableImageModel(odd), false);
  assert.throws(() => parseModelMetadata([], 'f'), /must be a JSON object/);
});
