// Training a nested pretrained model (the committed Teachable Machine miniature) on real photos
// (the committed ants/bees subset, 32×32): freezing by inner layer names, ranges and upTo; frozen
// BatchNorm runs in inference mode and keeps its statistics, trainable BatchNorm does not; the frozen
// features are cached when no augmentation is on, recomputed every step when it is (validation stays
// cached), and cached again in a stage with `augment: false`; examples of another size than the
// network input are refused before a run starts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { augmentBatch, DataError, loadData, Rng, type LoadedData } from '../../../src/core/data/index.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';
import type { ResolvedExperiment } from '../../../src/core/experiment/types.js';
import { buildNetwork, loadBase, type Network } from '../../../src/core/models/network.js';
import type { RunEvent } from '../../../src/core/runs/events.js';
import { runExperiment } from '../../../src/core/tasks/train.js';
import { Trainer, type TrainerHooks } from '../../../src/core/training/trainer.js';

const TEACHABLE = path.join(__dirname, '../../fixtures/models/teachable/model.json');
const PHOTOS = path.join(__dirname, '../../fixtures/images/folder');

before(async () => {
  await initBackend('wasm');
});

async function setup(extra: Partial<ExperimentFile>): Promise<{ exp: ResolvedExperiment; data: LoadedData; net: Network }> {
  const photos = { kind: 'imageFolder' as const, path: PHOTOS, classes: ['ants', 'bees'] };
  const exp = resolveExperiment(
    {
      base: { kind: 'model', path: TEACHABLE },
      data: { train: photos, validation: photos, image: { scale: 'symmetric' } },
      training: { batchSize: 2, checkpoints: 'last' },
      ...extra,
    },
    path.join(os.tmpdir(), 'nested.transfer.json'),
  );
  const base = await loadBase(exp, { runsDir: os.tmpdir() });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  return { exp, data, net: buildNetwork(exp, base, data.classNames.length) };
}

const hooks = (events: RunEvent[], extra: Partial<TrainerHooks> = {}): TrainerHooks => ({
  emit: (e) => events.push(e),
  shouldStop: () => false,
  saveCheckpoint: async () => {},
  ...extra,
});

/** Wraps `layer.apply` to record the `training` flag of every call. */
function spyTraining(layer: tf.layers.Layer): boolean[] {
  const calls: boolean[] = [];
  const apply = layer.apply.bind(layer);
  layer.apply = ((inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }) => {
    calls.push(kwargs?.training === true);
    return apply(inputs, kwargs);
  }) as typeof layer.apply;
  return calls;
}

const values = (layer: tf.layers.Layer) => layer.weights.map((w) => Array.from(w.read().dataSync()));

test('freezing inner layers by upTo, names and range; frozen BatchNorm in inference mode keeps its statistics', async () => {
  const { exp, data, net } = await setup({
    transfer: {
      strategy: 'fineTune',
      stages: [
        // a prefix (stem and block 12) and one BatchNorm inside the trainable block 14
        { name: 'upTo+names', epochs: 2, freeze: { upTo: 'block_12_add', names: ['block_14_depthwise_BN'] } },
        { name: 'range', epochs: 1, freeze: { range: [0, 12] } },
      ],
    },
  });
  const trainer = new Trainer(exp, net, 2);
  const names = net.baseLayers;
  const frozenBn = net.model.getLayer('block_14_depthwise_BN');
  const trainableBn = net.model.getLayer('block_14_expand_BN');
  const frozenCalls = spyTraining(frozenBn);
  const trainableCalls = spyTraining(trainableBn);
  const stem = net.model.getLayer('Conv1');
  const before = { frozen: values(frozenBn), trainable: values(trainableBn), stem: values(stem) };
  let atStage1: { frozen: number[][]; trainable: number[][]; stem: number[][]; flags: [boolean[], boolean[]] } | undefined;
  const events: RunEvent[] = [];
  const result = await trainer.train(
    data.train,
    data.validation,
    hooks(events, {
      emit: (e) => {
        events.push(e);
        if (e.kind === 'stage' && e.stage === 1) {
          atStage1 = { frozen: values(frozenBn), trainable: values(trainableBn), stem: values(stem), flags: [[...frozenCalls], [...trainableCalls]] };
        }
      },
    }),
  );
  assert.equal(result.status, 'completed');
  assert.ok(atStage1, 'stage 2 started');
  const stage0 = events.find((e) => e.kind === 'stage' && e.stage === 0) as Extract<RunEvent, { kind: 'stage' }>;
  assert.deepEqual(stage0.frozen, [...names.slice(0, names.indexOf('block_12_add') + 1), 'block_14_depthwise_BN']);
  // Stage 1: the frozen BatchNorm inside the trainable part ran in inference mode on every call; the trainable one trained.
  const [frozenFlags, trainableFlags] = atStage1.flags;
  assert.ok(frozenFlags.length > 0 && frozenFlags.every((t) => !t), `frozen BN training flags: ${frozenFlags}`);
  assert.ok(
    trainableFlags.some((t) => t),
    'the trainable BN ran in training mode',
  );
  assert.deepEqual(atStage1.frozen, before.frozen, 'frozen BN: gamma, beta and moving statistics unchanged');
  assert.deepEqual(atStage1.stem, before.stem, 'frozen stem unchanged');
  assert.notDeepEqual(atStage1.trainable[2], before.trainable[2], 'the trainable BN’s moving mean moved');
  // Stage 2 (current): a range of inner-layer indices, the same prefix; the frozen prefix ends at block_12_add.
  assert.deepEqual([...trainer.frozenLayers], names.slice(0, 13));
  assert.equal(names[12], 'block_12_add');
  assert.equal(names[trainer.prefixEnd], 'block_12_add');
  trainer.dispose();
  net.model.dispose();
});

test('the frozen-feature cache: on without augmentation, off for augmented training steps (validation stays cached), on in a stage with augment false', async () => {
  const { exp, data, net } = await setup({
    data: {
      train: { kind: 'imageFolder', path: PHOTOS, classes: ['ants', 'bees'] },
      validation: { kind: 'imageFolder', path: PHOTOS, classes: ['ants', 'bees'] },
      image: { scale: 'symmetric' },
      augment: { flipHorizontal: true, crop: 0.2, colorJitter: 0.1 },
    },
    transfer: {
      strategy: 'fineTune',
      stages: [
        { name: 'head', epochs: 2, freeze: { all: true }, augment: false },
        { name: 'last block', epochs: 2, freeze: { upTo: 'block_12_add' } },
      ],
    },
  });
  assert.ok(exp.data.augment);
  const trainer = new Trainer(exp, net, 2);
  const firstLayer = spyTraining(net.model.getLayer('Conv1_pad'));
  let augmented = 0;
  const rng = new Rng(1);
  const events: RunEvent[] = [];
  const perStage: number[] = [];
  await trainer.train(
    data.train,
    data.validation,
    hooks(events, {
      emit: (e) => {
        events.push(e);
        if (e.kind === 'stage') perStage.push(firstLayer.length);
      },
      augment: (x) => {
        augmented++;
        augmentBatch(x, data.train.shape, exp.data.augment!, rng, data.train.range);
      },
    }),
  );
  perStage.push(firstLayer.length);
  const batches = (n: number, b: number) => Math.ceil(n / b);
  const cacheCalls = batches(data.train.count, trainer.inferenceBatch) + batches(data.validation.count, trainer.inferenceBatch);
  const steps = batches(data.train.count, exp.training.batchSize);
  // stage 1: train and validation features computed once for two epochs
  assert.equal(perStage[1]! - perStage[0]!, cacheCalls);
  // stage 2: validation cached once, then the frozen prefix runs on every augmented training step
  assert.equal(perStage[2]! - perStage[1]!, batches(data.validation.count, trainer.inferenceBatch) + 2 * steps);
  assert.equal(augmented, 2 * steps, 'augmentation ran only in the augmented stage');
  const all = events.filter((e): e is Extract<RunEvent, { kind: 'log' }> => e.kind === 'log').map((e) => e.message);
  const logs = all.filter((m) => m.includes('frozen leading layers'));
  assert.match(logs[0]!, /^stage 0: .* run once on training and validation examples/);
  assert.match(logs[1]!, /^stage 1: .* run every step on augmented training examples, once on validation examples/);
  // Without a persistent cache every frozen feature is computed, and the log says so.
  const n = data.train.count;
  assert.ok(
    all.some((m) => m.startsWith(`stage 0: frozen features of ${n} training examples: 0 from the feature cache, ${n} computed, `)),
    all.join('\n'),
  );
  trainer.dispose();
  net.model.dispose();
});

test('examples of another size than the network input are a DataError before any run starts', async () => {
  // MNIST digits are not resized (28×28, replicated to 3 channels), the miniature takes 32×32. (For an
  // image folder with data.image.size the semantic checks already refuse the file.)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-size-'));
  const file = path.join(dir, 'size.transfer.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'model', path: TEACHABLE },
      data: { train: { kind: 'mnist', classes: [0, 1], perClass: 4 }, image: { scale: 'symmetric' } },
      transfer: { strategy: 'featureExtraction' },
    }),
  );
  try {
    await assert.rejects(
      runExperiment({ experimentFile: file, runsDir: path.join(dir, 'runs'), backend: 'wasm' }),
      (e: Error) =>
        e instanceof DataError &&
        /examples are \[28, 28, 3\] but the network takes \[32, 32, 3\]: set base.inputShape to \[28, 28, 3\] to run the base at that size \(a convolutional base can\)$/.test(
          e.message,
        ),
    );
    assert.equal(fs.existsSync(path.join(dir, 'runs')), false, 'no run folder');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
