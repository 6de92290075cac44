// The frozen pass on two threads: the trainer's thread and a real worker thread (dist/feature-thread.js,
// its own tfjs engine and wasm instance) share the batches of one pass over real photos through the
// Teachable Machine MobileNetV2 (a functional model with BatchNorm, ReLU6, depthwise convolutions and
// residual adds, serialised to the thread as tfjs artifacts). The features must equal, bitwise, those
// the trainer's thread computes alone; a helper that fails mid-pass hands its batches back and the
// caller finishes them (same values, the reason reported); a helper that cannot load the prefix is
// reported and not used. A CLI run with two threads records it in its log.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/core/backend/index.js';
import { loadModelFile } from '../../src/core/models/io.js';
import { buildFlatModel, flattenModel, runOps, type OpGraph } from '../../src/core/models/graph.js';
import { cachedPass, cachedPassParallel, describeStats, type FeatureCompute } from '../../src/core/features/cached-pass.js';
import type { RemotePass } from '../../src/core/features/pass-helpers.js';
import { loadImageFolder } from '../../src/core/data/sources/image-folder.js';
import type { ExampleSet } from '../../src/core/data/example-set.js';
import { featureThreads } from '../../src/worker/feature-threads.js';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'dist', 'feature-thread.js');
const MODEL = '/work/shared/data/mobilenetv2-teachable/model.json';
const PHOTOS = '/work/shared/data/hymenoptera_data/val';
const NO_CACHE = { key: '', description: '' };

let graph: OpGraph;
let set: ExampleSet;
/** Index and key of the op whose output is the pooled 1280 features (the Teachable Machine cut). */
let cut: { index: number; key: number };

before(async () => {
  assert.ok(fs.existsSync(SCRIPT), `${SCRIPT} missing: npm run build`);
  await initBackend('wasm');
  graph = flattenModel(await loadModelFile(MODEL));
  const pool = graph.ops.findIndex((o) => o.layer.getClassName() === 'GlobalAveragePooling2D');
  assert.ok(pool > 100, 'the MobileNetV2 has its pooling layer');
  cut = { index: pool, key: graph.ops[pool]!.outputs[0]! };
  // 40 photos at 96×96 (ants, then bees): 10 batches of 4.
  const full = await loadImageFolder(
    { kind: 'imageFolder', path: PHOTOS },
    { role: 'train', image: { size: [96, 96], channels: 3, resize: 'cover', scale: 'symmetric' } },
  );
  set = full.set;
  assert.ok(set.count >= 40);
});

const compute: FeatureCompute = (x, n) => {
  const f = tf.tidy(() => {
    const env = new Map<number, tf.Tensor>([[graph.inputs[0]!, tf.tensor(x, [n, ...set.shape])]]);
    runOps(graph, env, 0, cut.index + 1, () => false, new Set([cut.key]));
    return env.get(cut.key)!;
  });
  const data = f.dataSync() as Float32Array;
  const shape = f.shape.slice(1);
  f.dispose();
  return { data, shape };
};

const indices = Array.from({ length: 40 }, (_, i) => i);

test('two threads give the features of one, bitwise, and the helper takes part', async () => {
  const alone = cachedPass(undefined, NO_CACHE, set, indices, 4, compute);
  assert.deepEqual(alone.shape, [1280]);
  const helpers = featureThreads('wasm', 2, SCRIPT);
  assert.equal(helpers.count, 1);
  const group = await helpers.start(buildFlatModel(graph, cut.index + 1, cut.key, [...set.shape], 'frozen_prefix'), set.shape);
  let helperBatches = 0;
  const counted: RemotePass[] = group.passes.map((p) => ({
    compute: (x, n) => {
      helperBatches++;
      return p.compute(x, n);
    },
  }));
  try {
    const both = await cachedPassParallel(undefined, NO_CACHE, set, indices, 4, compute, async () => counted);
    assert.equal(both.stats.threads, 2);
    assert.equal(both.stats.computed, 40);
    assert.equal(both.stats.helperProblem, undefined);
    assert.ok(helperBatches >= 2, `the helper computed ${helperBatches} of 10 batches`);
    assert.deepEqual(both.shape, alone.shape);
    assert.deepEqual(both.data, alone.data, 'features of the helper thread equal the trainer thread’s bitwise');
    assert.match(describeStats(both.stats), /40 computed on 2 threads/);
  } finally {
    await group.close();
  }
});

test('a helper that fails mid-pass hands its batches back; the values stay right and the reason is reported', async () => {
  const alone = cachedPass(undefined, NO_CACHE, set, indices, 4, compute);
  const group = await featureThreads('wasm', 2, SCRIPT).start(buildFlatModel(graph, cut.index + 1, cut.key, [...set.shape], 'frozen_prefix'), set.shape);
  let calls = 0;
  // The real thread answers its first batch, then is terminated while it holds the next ones.
  const dying: RemotePass = {
    compute: (x, n) => {
      calls++;
      const p = group.passes[0]!.compute(x, n);
      if (calls === 2) void group.close();
      return p;
    },
  };
  const r = await cachedPassParallel(undefined, NO_CACHE, set, indices, 4, compute, async () => [dying]);
  assert.equal(r.stats.computed, 40);
  assert.match(r.stats.helperProblem ?? '', /closed|exited/);
  assert.deepEqual(r.data, alone.data);
});

test('a prefix a thread cannot load is reported and the caller computes alone', async () => {
  // A layer class the thread does not know: loading fails there, as a user model's custom layer would.
  const helpers = featureThreads('wasm', 2, SCRIPT);
  const broken = buildFlatModel(graph, cut.index + 1, cut.key, [...set.shape], 'frozen_prefix');
  const start = () =>
    helpers.start(
      {
        ...broken,
        save: (h: tf.io.IOHandler) =>
          broken.save(
            tf.io.withSaveHandler(async (a) => {
              const topo = JSON.parse(JSON.stringify(a.modelTopology)) as { config: { layers: { class_name: string }[] } };
              topo.config.layers[1]!.class_name = 'NoSuchLayer';
              return h.save!({ ...a, modelTopology: topo });
            }),
          ),
      } as unknown as tf.LayersModel,
      set.shape,
    );
  await assert.rejects(start(), /could not load the prefix.*NoSuchLayer/s);
  const alone = cachedPass(undefined, NO_CACHE, set, indices.slice(0, 12), 4, compute);
  const r = await cachedPassParallel(undefined, NO_CACHE, set, indices.slice(0, 12), 4, compute, async () => (await start()).passes);
  assert.equal(r.stats.threads, undefined, 'no helper took part');
  assert.match(r.stats.helperProblem ?? '', /NoSuchLayer/);
  assert.deepEqual(r.data, alone.data);
});

/** Runs a small feature-extraction experiment through the CLI with `TRANSFER_LAB_PREP_THREADS=threads`. */
function cliRunWithPrepThreads(threads: string): { stderr: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prep-threads-'));
  try {
    const file = path.join(dir, 'ants.transfer.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        base: { kind: 'model', path: MODEL, inputShape: [96, 96, 3] },
        data: { train: { kind: 'imageFolder', path: PHOTOS }, validation: { kind: 'imageFolder', path: PHOTOS, perClass: 8 }, image: { scale: 'symmetric' } },
        transfer: { strategy: 'featureExtraction' },
        training: { epochs: 1, batchSize: 16, seed: 1 },
      }),
    );
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', file, '--runs-dir', path.join(dir, 'runs')], {
      env: { ...process.env, TRANSFER_LAB_PREP_THREADS: threads, TRANSFER_LAB_CACHE_SIZE_MB: '0' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const [exp] = fs.readdirSync(path.join(dir, 'runs'));
    const [id] = fs.readdirSync(path.join(dir, 'runs', exp!));
    return { stderr: run.stderr, log: fs.readFileSync(path.join(dir, 'runs', exp!, id!, 'metrics.jsonl'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a CLI run with TRANSFER_LAB_PREP_THREADS=2 computes its frozen features on 2 threads and says so, in its log and its terminal', () => {
  const { log, stderr } = cliRunWithPrepThreads('2');
  assert.match(log, /frozen features of \d+ training examples: 0 from the feature cache, \d+ computed on 2 threads/);
  assert.doesNotMatch(stderr, /TRANSFER_LAB_PREP_THREADS/);
  // The terminal shows the preparation's summary too, not only the run's log.
  assert.match(stderr, /^stage 0: frozen features of \d+ training examples: 0 from the feature cache, \d+ computed on 2 threads/m);
});

test('a TRANSFER_LAB_PREP_THREADS that is not a positive integer is named in a warning, and the run uses the default', () => {
  const { log, stderr } = cliRunWithPrepThreads('0');
  assert.match(stderr, /warn: TRANSFER_LAB_PREP_THREADS="0" is not a positive integer: the frozen pass uses \d+ threads/);
  assert.match(log, /"level":"warn","message":"TRANSFER_LAB_PREP_THREADS=\\"0\\" is not a positive integer/);
});

test('Stop during the frozen pass ends the run before its first step; the features computed so far stay in the cache', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prep-stop-'));
  try {
    const file = path.join(dir, 'ants.transfer.json');
    // 245 training photos at 224×224 through the MobileNetV2: several seconds of frozen pass.
    fs.writeFileSync(
      file,
      JSON.stringify({
        base: { kind: 'model', path: MODEL },
        data: {
          train: { kind: 'imageFolder', path: '/work/shared/data/hymenoptera_data/train' },
          validation: { kind: 'imageFolder', path: PHOTOS },
          image: { resize: 'cover', scale: 'symmetric' },
        },
        transfer: { strategy: 'featureExtraction' },
        training: { epochs: 3, batchSize: 16, seed: 1 },
      }),
    );
    const cacheDir = path.join(dir, 'cache');
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', file, '--runs-dir', path.join(dir, 'runs')], {
      env: { ...process.env, TRANSFER_LAB_PREP_THREADS: '2', TRANSFER_LAB_CACHE_SIZE_MB: '512', TRANSFER_LAB_CACHE_DIR: cacheDir },
    });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The first progress line of the frozen pass over the training photos: stop now.
      if (!signalled && /frozen features \d+\/245 \(train\)/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.ok(signalled, `no frozen-pass progress seen:\n${stderr}`);
    assert.equal(code, 0, stderr);
    const [exp] = fs.readdirSync(path.join(dir, 'runs'));
    const [id] = fs.readdirSync(path.join(dir, 'runs', exp!));
    const runDir = path.join(dir, 'runs', exp!, id!);
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { status: string; epochsDone: number };
    assert.equal(summary.status, 'stopped');
    assert.equal(summary.epochsDone, 0);
    const events = fs
      .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; message?: string });
    assert.equal(events.filter((e) => e.kind === 'step' || e.kind === 'epoch').length, 0, 'no step was trained');
    assert.ok(events.some((e) => e.kind === 'log' && /stopped while computing frozen features/.test(e.message ?? '')));
    // What was computed before the stop is kept: some but not all of the 245 training photos' features
    // (frozen-pass folders are described "ops 0..N → layer"; decoded photos have their own folder).
    let entries = 0;
    for (const d of fs.readdirSync(cacheDir, { recursive: true, withFileTypes: true })) {
      const about = path.join(d.parentPath, d.name, 'about.txt');
      if (d.isDirectory() && fs.existsSync(about) && fs.readFileSync(about, 'utf8').startsWith('ops ')) {
        entries += fs.readdirSync(path.join(d.parentPath, d.name)).filter((f) => f.endsWith('.tlf')).length;
      }
    }
    assert.ok(entries > 0 && entries < 245, `${entries} feature entries cached`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
