/**
 * Per-kernel timings of the wasm backend with Transfer Lab's training kernels, on the shapes two
 * typical models produce: the MNIST CNN (conv32-pool-conv64-pool-dense128-dense10, batch 64) and a
 * MobileNet-like net (96×96×3, depthwise-separable blocks with batch norm, batch 32). For kernels we
 * override, the native wasm kernel is timed too (before ours are registered). Figures only, no
 * assertions. Usage: npx tsx bench/kernels.ts [--reps N] [--no-train-step]
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { locateWasmBinaries } from '../src/core/backend/wasm-files.js';
import { registerWasmTrainingKernels } from '../src/core/backend/wasm-kernels/register.js';

type Shape4 = [number, number, number, number];

/** One timed kernel call. */
interface Case {
  model: 'MNIST b64' | 'MobileNet-like 96² b32' | 'embedding';
  kernel: string;
  shapes: string;
  /** Makes a fresh set of inputs (untimed). */
  make: () => tf.Tensor[];
  /** The call to time. */
  run: (inputs: tf.Tensor[]) => tf.Tensor;
}

const argReps = process.argv.indexOf('--reps');
const REPS = argReps > 0 ? Number(process.argv[argReps + 1]) : 5;

function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel<tf.Tensor>(name, inputs, attrs as tf.NamedAttrMap);
}

function convOut(x: Shape4, f: Shape4, s: number, pad: 'same' | 'valid', depthwise = false): Shape4 {
  return tf.backend_util.computeConv2DInfo(x, f, s, 1, pad, undefined, depthwise).outShape;
}

function conv2dFilterCase(model: Case['model'], x: Shape4, f: Shape4, s: number, pad: 'same' | 'valid'): Case {
  return {
    model,
    kernel: 'Conv2DBackpropFilter',
    shapes: `x[${x}] f[${f}] s${s} ${pad}`,
    make: () => [tf.randomNormal(x), tf.randomNormal(convOut(x, f, s, pad))],
    run: ([xs, dy]) => kernel(tf.Conv2DBackpropFilter, { x: xs!, dy: dy! }, { filterShape: f, strides: s, pad, dataFormat: 'NHWC' }),
  };
}

function conv2dInputCase(model: Case['model'], x: Shape4, f: Shape4, s: number, pad: 'same' | 'valid'): Case {
  return {
    model,
    kernel: 'Conv2DBackpropInput',
    shapes: `x[${x}] f[${f}] s${s} ${pad}`,
    make: () => [tf.randomNormal(convOut(x, f, s, pad)), tf.randomNormal(f)],
    run: ([dy, filter]) => kernel(tf.Conv2DBackpropInput, { dy: dy!, filter: filter! }, { inputShape: x, strides: s, pad, dataFormat: 'NHWC' }),
  };
}

function depthwiseCases(model: Case['model'], x: Shape4, k: number, s: number): Case[] {
  const f: Shape4 = [k, k, x[3], 1];
  const dy = convOut(x, f, s, 'same', true);
  const attrs = { strides: s, dilations: 1, pad: 'same' };
  return [
    {
      model,
      kernel: 'DepthwiseConv2dNativeBackpropFilter',
      shapes: `x[${x}] f[${f}] s${s} same`,
      make: () => [tf.randomNormal(x), tf.randomNormal(dy)],
      run: ([xs, g]) => kernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xs!, dy: g! }, { ...attrs, filterShape: f }),
    },
    {
      model,
      kernel: 'DepthwiseConv2dNativeBackpropInput',
      shapes: `x[${x}] f[${f}] s${s} same`,
      make: () => [tf.randomNormal(dy), tf.randomNormal(f)],
      run: ([g, filter]) => kernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: g!, filter: filter! }, { ...attrs, inputShape: x }),
    },
  ];
}

function maxPoolGradCase(model: Case['model'], x: Shape4, size: number, s: number): Case {
  return {
    model,
    kernel: 'MaxPoolGrad',
    shapes: `x[${x}] ${size}×${size} s${s} valid`,
    make: () => {
      const input = tf.relu(tf.randomNormal(x)) as tf.Tensor4D;
      const output = tf.maxPool(input, size, s, 'valid');
      return [input, output, tf.randomNormal(output.shape)];
    },
    run: ([input, output, dy]) => kernel(tf.MaxPoolGrad, { input: input!, output: output!, dy: dy! }, { filterSize: size, strides: s, pad: 'valid' }),
  };
}

function matMulCase(model: Case['model'], a: number[], b: number[], transposeA: boolean, transposeB: boolean, why: string): Case {
  return {
    model,
    kernel: 'BatchMatMul',
    shapes: `a[${a}]${transposeA ? 'ᵀ' : ''} · b[${b}]${transposeB ? 'ᵀ' : ''} (${why})`,
    make: () => [tf.randomNormal(a), tf.randomNormal(b)],
    run: ([x, y]) => tf.matMul(x!, y!, transposeA, transposeB),
  };
}

function reduceCase(model: Case['model'], op: 'Sum' | 'Mean', x: number[], axis: number[], why: string): Case {
  return {
    model,
    kernel: op,
    shapes: `x[${x}] axis [${axis}] (${why})`,
    make: () => [tf.randomNormal(x)],
    run: ([t]) => (op === 'Sum' ? tf.sum(t!, axis) : tf.mean(t!, axis)),
  };
}

const MNIST = 'MNIST b64' as const;
const MOBILE = 'MobileNet-like 96² b32' as const;

const CASES: Case[] = [
  conv2dFilterCase(MNIST, [64, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'),
  conv2dFilterCase(MNIST, [64, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'),
  conv2dInputCase(MNIST, [64, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'),
  maxPoolGradCase(MNIST, [64, 26, 26, 32], 2, 2),
  maxPoolGradCase(MNIST, [64, 11, 11, 64], 2, 2),
  matMulCase(MNIST, [64, 128], [1600, 128], false, true, 'dense dx'),
  matMulCase(MNIST, [64, 1600], [64, 128], true, false, 'dense dW'),
  reduceCase(MNIST, 'Sum', [64, 128], [0], 'bias grad'),
  {
    model: MNIST,
    kernel: 'OneHot',
    shapes: 'labels[64] depth 10 float32',
    make: () => [
      tf.tensor1d(
        Array.from({ length: 64 }, (_, i) => i % 10),
        'int32',
      ),
    ],
    run: ([labels]) => tf.oneHot(labels!, 10, 1, 0, 'float32'),
  },
  conv2dFilterCase(MOBILE, [32, 96, 96, 3], [3, 3, 3, 32], 2, 'same'),
  ...depthwiseCases(MOBILE, [32, 48, 48, 32], 3, 1),
  ...depthwiseCases(MOBILE, [32, 48, 48, 64], 3, 2),
  ...depthwiseCases(MOBILE, [32, 12, 12, 256], 3, 1),
  conv2dFilterCase(MOBILE, [32, 48, 48, 32], [1, 1, 32, 64], 1, 'same'),
  conv2dInputCase(MOBILE, [32, 48, 48, 32], [1, 1, 32, 64], 1, 'same'),
  conv2dFilterCase(MOBILE, [32, 12, 12, 256], [1, 1, 256, 256], 1, 'same'),
  conv2dInputCase(MOBILE, [32, 12, 12, 256], [1, 1, 256, 256], 1, 'same'),
  reduceCase(MOBILE, 'Mean', [32, 48, 48, 64], [0, 1, 2], 'BN statistics'),
  reduceCase(MOBILE, 'Sum', [32, 48, 48, 64], [0, 1, 2], 'BN gradient'),
  {
    model: MOBILE,
    kernel: 'Tile',
    shapes: 'x[1,1,1,64] reps [32,48,48,1] (BN gradient broadcast)',
    make: () => [tf.randomNormal([1, 1, 1, 64])],
    run: ([t]) => tf.tile(t!, [32, 48, 48, 1]),
  },
  {
    model: 'embedding',
    kernel: 'UnsortedSegmentSum',
    shapes: 'x[2048,64] into 1000 segments (gather gradient)',
    make: () => [
      tf.randomNormal([2048, 64]),
      tf.tensor1d(
        Array.from({ length: 2048 }, (_, i) => (i * 7919) % 1000),
        'int32',
      ),
    ],
    run: ([x, ids]) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 1000),
  },
];

/**
 * Median wall time in ms of `c.run` (one warm-up call, then REPS timed calls, each read back).
 * Every call gets freshly made inputs, as in training: XNNPACK caches the packed form of a matmul
 * or convolution operand per tensor, so re-using one tensor would time a cache hit.
 */
function timeCase(c: Case): number | string {
  const once = (): number => {
    const inputs = c.make();
    try {
      const t0 = performance.now();
      const out = c.run(inputs);
      out.dataSync();
      const ms = performance.now() - t0;
      out.dispose();
      return ms;
    } finally {
      tf.dispose(inputs);
    }
  };
  try {
    once();
    const times = Array.from({ length: REPS }, once).sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 60);
  }
}

/** Samples/s of trainOnBatch for the MNIST CNN at batch 64 (the probe measured ~450 with its kernels). */
async function mnistTrainStep(): Promise<string> {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([64, 28, 28, 1]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 64 }, (_, i) => i % 10),
      'int32',
    ),
    10,
    1,
    0,
    'float32',
  );
  await m.trainOnBatch(x, y);
  await m.trainOnBatch(x, y);
  const steps = 8;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  m.dispose();
  return `${((steps * 64) / seconds).toFixed(0)} samples/s (${((seconds / steps) * 1000).toFixed(0)} ms/step)`;
}

async function main(): Promise<void> {
  setWasmPaths(locateWasmBinaries().files);
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  console.log(
    `tfjs ${tf.version_core}, wasm backend, ${simd ? 'SIMD' : 'no SIMD'}, ${getThreadsCount()} thread(s), node ${process.version}, median of ${REPS}`,
  );

  const overridden = new Set(['Conv2DBackpropInput', 'MaxPoolGrad', 'OneHot', 'BatchMatMul', 'Tile', 'Sum', 'Mean']);
  const native = new Map<Case, number | string>();
  for (const c of CASES) if (overridden.has(c.kernel)) native.set(c, timeCase(c));

  registerWasmTrainingKernels();
  const fmt = (v: number | string | undefined): string => (v === undefined ? '—' : typeof v === 'number' ? v.toFixed(2) : `(${v})`);
  console.log(['model', 'kernel', 'shapes', 'ours ms', 'native wasm ms'].join('\t'));
  for (const c of CASES) {
    console.log([c.model, c.kernel, c.shapes, fmt(timeCase(c)), fmt(native.get(c))].join('\t'));
  }
  if (!process.argv.includes('--no-train-step')) console.log(`MNIST CNN train step, batch 64: ${await mnistTrainStep()}`);
}

void main();
