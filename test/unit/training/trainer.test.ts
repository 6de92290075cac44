// The trainer on the real wasm backend and real MNIST digits: frozen weights and BatchNorm statistics
// stay bitwise unchanged, the logged rate is the applied rate (checked against an analytic float64
// gradient), tensors stay flat across epochs, checkpoints reload with identical predictions,
// divergence and stop end the run with the right status.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';
import type { ResolvedExperiment } from '../../../src/core/experiment/types.js';
import { loadData, type LoadedData } from '../../../src/core/data/index.js';
import { buildNetwork, loadBase, type Network } from '../../../src/core/models/network.js';
import { loadModelFile, saveModel } from '../../../src/core/models/io.js';
import { Trainer, type TrainerHooks } from '../../../src/core/training/trainer.js';
import { crossEntropy } from '../../../src/core/training/loss.js';
import type { EpochEvent, RunEvent, StepEvent } from '../../../src/core/runs/events.js';

before(async () => {
  await initBackend('wasm');
});

async function setup(file: ExperimentFile): Promise<{ exp: ResolvedExperiment; data: LoadedData; net: Network }> {
  const exp = resolveExperiment(file, path.join(os.tmpdir(), 'test.transfer.json'));
  const base = await loadBase(exp, { runsDir: os.tmpdir() });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  return { exp, data, net: buildNetwork(exp, base, data.classNames.length) };
}

function hooks(events: RunEvent[], extra: Partial<TrainerHooks> = {}): TrainerHooks {
  return { emit: (e) => events.push(e), shouldStop: () => false, saveCheckpoint: async () => {}, ...extra };
}

const snapshot = (net: Network) => new Map(net.model.weights.map((w) => [w.originalName + '#' + w.id, Float32Array.from(w.read().dataSync() as Float32Array)]));

test('frozen layers and frozen BatchNorm statistics are bitwise unchanged; trainable ones change', async () => {
  const { exp, data, net } = await setup({
    base: { kind: 'builtin', architecture: 'mobileNetLike', inputShape: [28, 28, 1] },
    data: { train: { kind: 'mnist', classes: [0, 1, 2], perClass: 40 }, split: { validation: 0.25, test: 0 } },
    // Frozen: the stem and block 1 (a prefix) and one BatchNorm deep inside the trainable part.
    transfer: { strategy: 'fineTune', freeze: { upTo: 'block1_pw_relu', names: ['block4_dw_bn'] } },
    training: { epochs: 1, batchSize: 16 },
  });
  const trainer = new Trainer(exp, net, data.classNames.length);
  const before = snapshot(net);
  const events: RunEvent[] = [];
  const result = await trainer.train(data.train, data.validation, hooks(events));
  assert.equal(result.status, 'completed');
  assert.ok(trainer.prefixEnd >= 0, 'a frozen prefix was split off');
  const after = snapshot(net);
  const frozen = trainer.frozenLayers;
  let changedTrainable = 0;
  let checkedFrozen = 0;
  for (const w of net.model.weights) {
    const key = w.originalName + '#' + w.id;
    const layer = w.originalName.split('/')[0]!;
    const same = Buffer.compare(Buffer.from(before.get(key)!.buffer), Buffer.from(after.get(key)!.buffer)) === 0;
    if (frozen.has(layer)) {
      assert.ok(same, `frozen weight ${w.originalName} changed`);
      checkedFrozen++;
    } else if (w.trainable || /moving_(mean|variance)/.test(w.originalName)) {
      if (!same) changedTrainable++;
    }
  }
  assert.ok(frozen.has('block4_dw_bn') && frozen.has('stem_bn'));
  assert.ok(checkedFrozen >= 4 + 4 + 2, `checked ${checkedFrozen} frozen weights`);
  assert.ok(changedTrainable > 10, `only ${changedTrainable} trainable weights changed`);
  // the moving statistics of a trainable BatchNorm do move
  const bn = net.model.getLayer('block5_dw_bn');
  const mv = bn.weights.find((w) => w.originalName.endsWith('moving_mean'))!;
  assert.notDeepEqual(Array.from(before.get(mv.originalName + '#' + mv.id)!), Array.from(after.get(mv.originalName + '#' + mv.id)!));
  trainer.dispose();
  net.model.dispose();
});

/** Float64 softmax-cross-entropy gradient of a linear head over the whole set: dW [F, K], db [K]. */
function headGradient(F: Float64Array, nFeat: number, Y: Int32Array, K: number, W: Float32Array, b: Float32Array) {
  const n = Y.length;
  const dW = new Float64Array(nFeat * K);
  const db = new Float64Array(K);
  const z = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = b[k]!;
      for (let f = 0; f < nFeat; f++) s += F[i * nFeat + f]! * W[f * K + k]!;
      z[k] = s;
      max = Math.max(max, s);
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
    for (let k = 0; k < K; k++) {
      const d = (z[k]! / sum - (Y[i] === k ? 1 : 0)) / n;
      db[k]! += d;
      for (let f = 0; f < nFeat; f++) dW[f * K + k]! += F[i * nFeat + f]! * d;
    }
  }
  return { dW, db };
}

for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
  for (const schedule of ['step', 'oneCycle'] as const) {
    test(`logged rate = applied rate: ${optimizer} under ${schedule}`, async () => {
      const { exp, data, net } = await setup({
        base: { kind: 'builtin', architecture: 'smallCnn' },
        data: { train: { kind: 'mnist', classes: [5, 6, 7], perClass: 20 }, split: { validation: 0, test: 0 } },
        transfer: { strategy: 'featureExtraction' },
        optimizer: { type: optimizer },
        learningRate: { base: 0.05, schedule: { type: schedule, stepEpochs: 2, gamma: 0.5 } },
        // one full-batch step per epoch: the gradient is the analytic full-set gradient
        training: { epochs: 6, batchSize: 1000, checkpoints: 'last' },
      });
      const K = data.classNames.length;
      const trainer = new Trainer(exp, net, K);
      const head = net.model.getLayer('head_logits');
      const read = () => head.getWeights().map((t) => Float32Array.from(t.dataSync() as Float32Array));
      const weightsAt: Float32Array[][] = [read()];
      const events: RunEvent[] = [];
      await trainer.train(data.train, data.validation, hooks(events, { emit: (e) => (events.push(e), e.kind === 'step' && weightsAt.push(read())) }));
      // features of every training example, in set order, from the (frozen) base
      const baseModel = tf.model({ inputs: net.model.inputs, outputs: net.model.getLayer('head_logits').input as tf.SymbolicTensor });
      const all = Array.from({ length: data.train.count }, (_, i) => i);
      const feats = tf.tidy(() => baseModel.predict(tf.tensor(data.train.gather(all), [all.length, ...data.train.shape])) as tf.Tensor);
      const F = Float64Array.from(feats.dataSync());
      const nFeat = feats.shape[1]!;
      feats.dispose();
      const steps = events.filter((e): e is StepEvent => e.kind === 'step');
      assert.equal(steps.length, 6);
      // replay the optimizer in float64 with the *logged* rates and the analytic gradients
      let W: Float64Array<ArrayBufferLike> = Float64Array.from(weightsAt[0]![0]!);
      let b: Float64Array<ArrayBufferLike> = Float64Array.from(weightsAt[0]![1]!);
      const slots = [W, b].map((w) => ({ a: new Float64Array(w.length), v: new Float64Array(w.length) }));
      steps.forEach((s, t) => {
        const lr = s.lr.head!;
        const { dW, db } = headGradient(F, nFeat, data.train.labels, K, Float32Array.from(W), Float32Array.from(b));
        [W, b] = [W, b].map((w, j) => {
          const g = j === 0 ? dW : db;
          const st = slots[j]!;
          return Float64Array.from(w, (x, i) => {
            if (optimizer === 'sgd') return x - lr * g[i]!;
            if (optimizer === 'momentum') return x - lr * (st.a[i] = 0.9 * st.a[i]! + g[i]!);
            st.a[i] = 0.9 * st.a[i]! + 0.1 * g[i]!;
            st.v[i] = 0.999 * st.v[i]! + 0.001 * g[i]! * g[i]!;
            return x - (lr * (st.a[i]! / (1 - 0.9 ** (t + 1)))) / (Math.sqrt(st.v[i]! / (1 - 0.999 ** (t + 1))) + 1e-7);
          });
        }) as [Float64Array, Float64Array];
        const got = weightsAt[t + 1]!;
        const err = Math.max(...W.map((x, i) => Math.abs(x - got[0]![i]!)), ...b.map((x, i) => Math.abs(x - got[1]![i]!)));
        assert.ok(err < 2e-4, `step ${t}: weights differ from the float64 replay with the logged rate ${lr} by ${err}`);
        // reset to the trainer's weights so float32 rounding doesn't accumulate
        W = Float64Array.from(got[0]!);
        b = Float64Array.from(got[1]!);
      });
      // and the logged rates follow the schedule (they are not all equal)
      assert.ok(new Set(steps.map((s) => s.lr.head)).size > 2);
      trainer.dispose();
      net.model.dispose();
    });
  }
}

test('tensor count stays flat across epochs and stages; checkpoint reload predicts identically', async () => {
  const { exp, data, net } = await setup({
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 60 }, split: { validation: 0.2, test: 0 } },
    transfer: {
      strategy: 'fineTune',
      stages: [
        { epochs: 2, freeze: { all: true } },
        { epochs: 2, freeze: { upTo: 'pool1' } },
      ],
    },
    training: { batchSize: 32 },
  });
  const trainer = new Trainer(exp, net, 2);
  const events: RunEvent[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-ckpt-'));
  await trainer.train(data.train, data.validation, hooks(events, { saveCheckpoint: (which) => saveModel(net.model, path.join(dir, which)) }));
  const counts = events.filter((e) => e.kind === 'epoch').map((e) => (e as { numTensors: number }).numTensors);
  assert.equal(counts.length, 4);
  assert.equal(counts[3], counts[2], `tensors grew within a stage: ${counts}`);
  assert.ok(counts[2]! - counts[1]! <= 16, `stage change leaked: ${counts}`);
  const reloaded = await loadModelFile(path.join(dir, 'last', 'model.json'));
  const idx = Array.from({ length: 20 }, (_, i) => i);
  const x = tf.tensor(data.validation.gather(idx), [20, 28, 28, 1]);
  const a = (net.model.predict(x) as tf.Tensor).dataSync();
  const b = (reloaded.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(b), Array.from(a));
  fs.rmSync(dir, { recursive: true, force: true });
  trainer.dispose();
  net.model.dispose();
  reloaded.dispose();
});

test('a non-finite loss ends the run as diverged; stop ends it as stopped with a checkpoint', async () => {
  const diverge = await setup({
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 40 }, split: { validation: 0.2, test: 0 } },
    transfer: { strategy: 'scratch' },
    optimizer: { type: 'sgd' },
    learningRate: { base: 1e9 },
    training: { epochs: 3, batchSize: 16 },
  });
  const saved: string[] = [];
  const t1 = new Trainer(diverge.exp, diverge.net, 2);
  const r1 = await t1.train(diverge.data.train, diverge.data.validation, hooks([], { saveCheckpoint: async (w) => void saved.push(w) }));
  assert.equal(r1.status, 'diverged');
  assert.match(r1.error!, /loss became/);
  t1.dispose();
  diverge.net.model.dispose();

  const stop = await setup({
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 40 }, split: { validation: 0.2, test: 0 } },
    transfer: { strategy: 'scratch' },
    training: { epochs: 5, batchSize: 8 },
  });
  let steps = 0;
  const kinds: string[] = [];
  const t2 = new Trainer(stop.exp, stop.net, 2);
  const r2 = await t2.train(stop.data.train, stop.data.validation, {
    emit: (e) => (kinds.push(e.kind), e.kind === 'step' && steps++),
    shouldStop: () => steps >= 3,
    saveCheckpoint: async (w) => void kinds.push(`save:${w}`),
  });
  assert.equal(r2.status, 'stopped');
  assert.equal(steps, 3);
  assert.ok(kinds.includes('save:last'), 'a stopped run writes its last checkpoint');
  t2.dispose();
  stop.net.model.dispose();
});

test('learning rate 1e39: diverged, every checkpoint on disk has finite weights, the message says which survive', async () => {
  // Was: best and last both 100% NaN while the message said "the last good checkpoint is kept".
  for (const optimizer of ['sgd', 'adam'] as const) {
    const { exp, data, net } = await setup({
      base: { kind: 'builtin', architecture: 'smallCnn' },
      data: { train: { kind: 'mnist', classes: [0, 1], perClass: 40 }, split: { validation: 0.2, test: 0 } },
      transfer: { strategy: 'scratch' },
      optimizer: { type: optimizer },
      learningRate: { base: 1e39 },
      training: { epochs: 3, batchSize: 16 },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-nan-'));
    const trainer = new Trainer(exp, net, 2);
    const r = await trainer.train(data.train, data.validation, hooks([], { saveCheckpoint: (w) => saveModel(net.model, path.join(dir, w)) }));
    assert.equal(r.status, 'diverged', optimizer);
    for (const w of ['best', 'last'] as const) {
      const file = path.join(dir, w, 'model.json');
      assert.equal(fs.existsSync(file), r.checkpoints[w], `${optimizer} ${w}: written iff reported`);
      if (!fs.existsSync(file)) continue;
      const saved = await loadModelFile(file);
      saved.getWeights().forEach((t, i) => assert.ok((t.dataSync() as Float32Array).every(Number.isFinite), `${optimizer} ${w}: weight ${i} is finite`));
      saved.dispose();
    }
    const kept = r.checkpoints.best || r.checkpoints.last;
    assert.match(r.error!, kept ? /the checkpoints written before are kept: / : /no checkpoint was written$/, `${optimizer}: ${r.error}`);
    trainer.dispose();
    net.model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('class weight 0: batches holding only zero-weighted classes contribute zero loss (was "diverged: loss became NaN at step 7")', async () => {
  const logits = tf.tensor2d([
    [2, -1],
    [0.5, 0.25],
    [-1, 3],
  ]);
  const onlyZero = crossEntropy(logits, Int32Array.from([0, 0, 0]), Float32Array.from([0, 1]));
  assert.equal(onlyZero.dataSync()[0], 0);
  // A mixed batch: Σ w·ce / Σ w, computed here in float64 from log-softmax by hand.
  const ce = (row: number[], y: number) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[y]!;
  const want = (0 * ce([2, -1], 0) + 1 * ce([0.5, 0.25], 1) + 1 * ce([-1, 3], 1)) / 2;
  const mixed = crossEntropy(logits, Int32Array.from([0, 1, 1]), Float32Array.from([0, 1]));
  assert.ok(Math.abs(mixed.dataSync()[0]! - want) < 1e-6, `${mixed.dataSync()[0]} vs ${want}`);
  tf.dispose([logits, onlyZero, mixed]);

  const { exp, data, net } = await setup({
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1, 2], perClass: 30 }, split: { validation: 0.2, test: 0 } },
    transfer: { strategy: 'scratch' },
    training: { epochs: 2, batchSize: 2, classWeights: [0, 1, 1] },
  });
  const events: RunEvent[] = [];
  const trainer = new Trainer(exp, net, 3);
  const r = await trainer.train(data.train, data.validation, hooks(events));
  const steps = events.filter((e): e is StepEvent => e.kind === 'step');
  assert.equal(r.status, 'completed', r.error);
  assert.ok(steps.every((e) => Number.isFinite(e.loss)));
  assert.ok(
    steps.some((e) => e.loss === 0),
    'some batch held only class 0 (weight 0) and contributed zero loss',
  );
  trainer.dispose();
  net.model.dispose();
});

test('building a scratch network leaves no tensors behind once its model is disposed (re-initialised weights included)', async () => {
  const exp = resolveExperiment(
    {
      base: { kind: 'builtin', architecture: 'smallCnn' },
      data: { train: { kind: 'mnist', classes: [3, 8], perClass: 10 } },
      transfer: { strategy: 'scratch', cutLayer: 'pool2', head: { units: [16] } },
    },
    path.join(os.tmpdir(), 'scratch.transfer.json'),
  );
  const build = async () => {
    const base = await loadBase(exp, { runsDir: os.tmpdir() });
    const net = buildNetwork(exp, base, 2);
    net.model.dispose();
    base.model.dispose();
  };
  await build(); // first build: tfjs keeps some one-off tensors (backend constants)
  const before = tf.memory().numTensors;
  await build();
  assert.equal(tf.memory().numTensors, before);
});

test('a new head on a base that already has head layers (one of our runs, kept past its head) gets names of its own', async () => {
  const file = (cutLayer: string) =>
    resolveExperiment(
      {
        base: { kind: 'builtin', architecture: 'smallCnn' },
        data: { train: { kind: 'mnist', classes: [3, 8], perClass: 10 } },
        transfer: { strategy: 'featureExtraction', cutLayer, head: { units: [16], dropout: 0.5 } },
      },
      path.join(os.tmpdir(), 'heads.transfer.json'),
    );
  const first = await loadBase(file('pool2'), { runsDir: os.tmpdir() });
  const source = buildNetwork(file('pool2'), first, 2);
  // The source network as a base, cut after its own head's dropout: its head_* names stay in the base.
  const net = buildNetwork(file('head_dropout'), { model: source.model, source: 'test', inputShape: [28, 28, 1] }, 3);
  const names = net.model.layers.map((l) => l.name);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  assert.ok(names.includes('head_dropout') && names.includes('head_dropout_2') && names.includes('head_logits'), names.join(', '));
  assert.deepEqual(net.model.outputs[0]!.shape, [null, 3]);
  net.model.dispose();
  source.model.dispose();
});

test('a stop mid-epoch records that epoch as partial: never the best epoch, not counted as done', async () => {
  const file: ExperimentFile = {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [0, 1], perClass: 40 }, split: { validation: 0.2, test: 0 } },
    transfer: { strategy: 'scratch' },
    training: { epochs: 5, batchSize: 8, monitor: 'valLoss' },
  };
  const stop = await setup(file);
  const perEpoch = Math.ceil(stop.data.train.count / 8);
  // one full epoch, then 2 steps of the second
  let steps = 0;
  const events: RunEvent[] = [];
  const saves: string[] = [];
  const t = new Trainer(stop.exp, stop.net, 2);
  const r = await t.train(stop.data.train, stop.data.validation, {
    emit: (e) => (events.push(e), e.kind === 'step' && steps++),
    shouldStop: () => steps >= perEpoch + 2,
    saveCheckpoint: async (w) => void saves.push(`${w}@${steps}`),
  });
  const epochs = events.filter((e): e is EpochEvent => e.kind === 'epoch');
  console.log(
    `# steps per epoch ${perEpoch}; epochs: ${epochs.map((e) => `${e.epoch} valLoss ${e.valLoss?.toFixed(4)}${e.partial ? ` partial ${e.partial.steps}/${e.partial.of}` : ''}`).join('; ')}; saves ${saves.join(', ')}`,
  );
  assert.equal(r.status, 'stopped');
  assert.equal(steps, perEpoch + 2, 'stopped within the step it was asked in');
  assert.equal(epochs.length, 2);
  assert.equal(epochs[0].partial, undefined);
  assert.deepEqual(epochs[1].partial, { steps: 2, of: perEpoch });
  assert.equal(r.epochsDone, 1, 'the partial epoch is not counted as done');
  assert.equal(r.bestEpoch, 0, 'the partial epoch is never the best');
  assert.deepEqual(
    saves.filter((x) => x.startsWith('best')),
    [`best@${perEpoch}`],
    'best saved after the full epoch only',
  );
  assert.equal(saves[saves.length - 1], `last@${perEpoch + 2}`, 'the last checkpoint holds the weights at the stop');
  t.dispose();
  stop.net.model.dispose();
});
