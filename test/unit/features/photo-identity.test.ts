// Frozen features keyed by a photo's content identity (file bytes + decode target + library versions
// + channels and scale), on real photos (ants and bees) through the real Teachable Machine
// MobileNetV2 and the trainer's frozen pass, as a run prepares: a second load hits every photo with
// features bitwise those computed without any cache, and finds them without gathering one pixel; an
// edited or replaced photo (same name) misses; another scale, resize or size misses; a renamed or
// copied photo hits; a transformed source (a view that changes values) has no identity and is keyed
// by its values, so it never picks up the untransformed photos' features. Reference: the same trainer
// with the cache off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadData, type ExampleSet } from '../../../src/core/data/index.js';
import { ConcatSet, PickedSet } from '../../../src/core/data/set-views.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ImagePreprocess, InputShape } from '../../../src/core/experiment/schema.js';
import { exampleKeys } from '../../../src/core/features/cached-pass.js';
import { FeatureDiskCache } from '../../../src/core/features/disk-cache.js';
import { buildNetwork, loadBase } from '../../../src/core/models/network.js';
import { Trainer } from '../../../src/core/training/trainer.js';

const ROOT = path.join(__dirname, '..', '..', '..');
// The team's shared data (README, "Photo examples"): examples/data when linked, else ../shared/data.
const DATA = [path.join(ROOT, 'examples', 'data'), path.join(ROOT, '..', 'shared', 'data')].find((d) =>
  fs.existsSync(path.join(d, 'mobilenetv2-teachable', 'model.json')),
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-photo-identity-'));

before(async () => {
  await initBackend('wasm');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Two real photos per class copied from the shared data. */
function photoFolder(): string {
  const root = path.join(tmp, 'photos');
  for (const cls of ['ants', 'bees']) {
    fs.mkdirSync(path.join(root, cls), { recursive: true });
    const src = path.join(DATA!, 'hymenoptera_data', 'train', cls);
    for (const f of fs.readdirSync(src).sort().slice(0, 2)) fs.copyFileSync(path.join(src, f), path.join(root, cls, f));
  }
  return root;
}

type Image = Partial<ImagePreprocess>;

/**
 * Loads `root` as a run does and returns the frozen features of every example (the trainer's pass
 * at the MobileNetV2's pooled 1280 features) with how they were obtained.
 */
async function prepare(root: string, cache: FeatureDiskCache | undefined, o: { image?: Image; inputShape?: InputShape; transform?: { invert: boolean } } = {}) {
  const exp = resolveExperiment(
    {
      base: { kind: 'model', path: path.join(DATA!, 'mobilenetv2-teachable', 'model.json'), ...(o.inputShape ? { inputShape: o.inputShape } : {}) },
      data: {
        train: { kind: 'imageFolder', path: root, ...(o.transform ? { transform: o.transform } : {}) },
        split: { validation: 0, test: 0 },
        image: { resize: 'cover', scale: 'symmetric', ...o.image },
      },
      transfer: { strategy: 'featureExtraction' },
      training: { epochs: 1, batchSize: 4, seed: 1 },
    },
    path.join(root, 'x.transfer.json'),
  );
  const base = await loadBase(exp, { runsDir: tmp });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: 1, ...(cache ? { cache } : {}) });
  const net = buildNetwork(exp, base, data.classNames.length);
  try {
    const trainer = new Trainer(exp, net, data.classNames.length, cache);
    trainer.setStage(0);
    const f = await trainer.cacheFeatures(data.train, 4);
    return { set: data.train, data: f.data, stats: f.stats, ids: Array.from({ length: data.train.count }, (_, i) => path.basename(data.train.id(i))) };
  } finally {
    net.model.dispose();
  }
}

test('photo features keyed by content identity: hits bitwise, without pixels; edits, scale, resize and size miss; renames hit', async () => {
  assert.ok(DATA, 'the shared data (mobilenetv2-teachable, hymenoptera_data) is needed: link it as examples/data');
  const root = photoFolder();
  const cache = new FeatureDiskCache({ dir: path.join(tmp, 'cache'), maxBytes: 256 << 20 });

  const reference = await prepare(root, undefined);
  assert.equal(reference.set.identity?.(0), undefined, 'no cache, no hashed file: no identity');
  const first = await prepare(root, cache);
  assert.deepEqual([first.stats.hits, first.stats.computed], [0, 4]);
  assert.deepEqual(first.data, reference.data, 'stored features are the computed ones');
  assert.equal(first.data.length, 4 * 1280);

  // The identity: the file's SHA-256 and the decode target, then channels and scale.
  const sha = createHash('sha256')
    .update(fs.readFileSync(first.set.id(0)))
    .digest('hex');
  const identity = first.set.identity!(0)!;
  assert.match(identity, new RegExp(`^photo [0-9a-f]{64} ${sha}\\|pixel-values/1 224×224×3→3 symmetric$`));
  const keys = exampleKeys(first.set, [0, 1, 2, 3]);
  assert.equal(new Set(keys).size, 4);
  assert.equal(keys[0], createHash('sha256').update(`example-identity/1|${identity}`).digest('hex'));

  // Second load: every photo from the pixel cache, every feature from the feature cache, and the keys
  // are found without gathering: a set whose pixels cannot be gathered still gets them.
  const second = await prepare(root, cache);
  assert.deepEqual([second.stats.hits, second.stats.computed, second.stats.corrupt], [4, 0, 0]);
  assert.deepEqual(second.data, reference.data, 'cached features are bitwise the computed ones');
  const noPixels: ExampleSet = {
    count: second.set.count,
    shape: second.set.shape,
    labels: second.set.labels,
    id: (i) => second.set.id(i),
    identity: (i) => second.set.identity!(i),
    gather: () => {
      throw new Error('gathered');
    },
  };
  assert.deepEqual(exampleKeys(noPixels, [0, 1, 2, 3]), keys);
  // Views that only pick or join examples keep the identity.
  assert.equal(new PickedSet(second.set, [2, 0]).identity!(1), identity);
  assert.equal(new ConcatSet(new PickedSet(second.set, [1]), second.set).identity!(1), identity);
  assert.equal(second.set.identity!(0), identity);

  // Another scale: same pass (network, shape), other inputs: every photo misses.
  const unit = await prepare(root, cache, { image: { scale: 'unit' } });
  assert.deepEqual([unit.stats.hits, unit.stats.computed], [0, 4], 'scale unit misses');
  assert.deepEqual(unit.data, (await prepare(root, undefined, { image: { scale: 'unit' } })).data);
  // Another resize: other pixels.
  const contain = await prepare(root, cache, { image: { resize: 'contain' } });
  assert.deepEqual([contain.stats.hits, contain.stats.computed], [0, 4], 'resize contain misses');
  assert.notDeepEqual(contain.data, reference.data);
  // Another size (the base run at 192×192).
  const small = await prepare(root, cache, { image: { size: [192, 192] }, inputShape: [192, 192, 3] });
  assert.deepEqual([small.stats.hits, small.stats.computed], [0, 4], 'size 192 misses');
  assert.deepEqual(small.data, (await prepare(root, undefined, { image: { size: [192, 192] }, inputShape: [192, 192, 3] })).data);
  // The first settings still hit.
  assert.deepEqual((await prepare(root, cache)).stats.hits, 4);

  // Edit one photo in place (mirrored, same name), replace another by a different photo (same name).
  const ants = path.join(root, 'ants');
  const [edited, replaced] = fs.readdirSync(ants).sort();
  fs.writeFileSync(path.join(ants, edited!), await sharp(path.join(ants, edited!)).flop().jpeg().toBuffer());
  const other = fs.readdirSync(path.join(DATA!, 'hymenoptera_data', 'train', 'ants')).sort()[10]!;
  fs.copyFileSync(path.join(DATA!, 'hymenoptera_data', 'train', 'ants', other), path.join(ants, replaced!));
  const afterEdit = await prepare(root, cache);
  assert.deepEqual([afterEdit.stats.hits, afterEdit.stats.computed], [2, 2], 'same names, new content: two misses');
  const editedReference = await prepare(root, undefined);
  assert.deepEqual(afterEdit.data, editedReference.data, 'and the new photos get their own features');
  assert.notDeepEqual(afterEdit.data.subarray(0, 2560), reference.data.subarray(0, 2560));

  // A renamed photo and a copy of one under a new name (same bytes) are the same examples: hits.
  fs.renameSync(path.join(ants, edited!), path.join(ants, 'zz-renamed.jpg'));
  fs.copyFileSync(path.join(root, 'bees', fs.readdirSync(path.join(root, 'bees')).sort()[0]!), path.join(root, 'bees', 'zz-copy.jpg'));
  const renamed = await prepare(root, cache);
  assert.deepEqual([renamed.stats.hits, renamed.stats.computed], [5, 0]);
  assert.deepEqual(renamed.ids, [replaced, 'zz-renamed.jpg', ...fs.readdirSync(path.join(root, 'bees')).sort()]);

  // A transform changes values: the transformed source has no identity, its features are keyed by
  // values and computed, never the untransformed photos' (all of which are in the cache).
  const inverted = await prepare(root, cache, { transform: { invert: true } });
  assert.equal(inverted.set.identity?.(0), undefined);
  assert.deepEqual([inverted.stats.hits, inverted.stats.computed], [0, 5], 'a transformed photo misses');
  const invertedReference = await prepare(root, undefined, { transform: { invert: true } });
  assert.deepEqual(inverted.data, invertedReference.data);
  // …and a second transformed run hits by values.
  assert.deepEqual((await prepare(root, cache, { transform: { invert: true } })).stats.hits, 5);
});
