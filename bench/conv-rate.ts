/**
 * The rate of one convolution, ours against PyTorch's, on the shapes that dominate the two
 * fine-tuning cases of `npm run bench`: the MNIST CNN's conv2 (batch 64, 13×13×32 → 11×11×64, 3×3,
 * valid) and a MobileNet-style 1×1 expansion (batch 32, 24×24×64 → 24×24×384). Forward pass only,
 * one thread each (wasm SIMD128 through XNNPACK with Transfer Lab's kernels; PyTorch 1.13 with
 * oneDNN, `torch.set_num_threads(1)`), GFLOP/s by CPU time (2 × multiply-adds / CPU seconds),
 * median of 5 repetitions of 20 calls each. Says how far the matrix work itself is from PyTorch's,
 * whatever the rest of a training step does. Figures only, no assertions.
 *
 * Usage: npx tsx bench/conv-rate.ts      (needs /usr/bin/python3 with torch, or TORCH_PYTHON)
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/backend/index.js';

/** One convolution: input [n, h, w, cin], filter [k, k, cin, cout], stride 1, valid or same. */
interface ConvCase {
  name: string;
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  pad: 'valid' | 'same';
}

const CASES: ConvCase[] = [
  { name: 'MNIST CNN conv2 (batch 64)', n: 64, h: 13, w: 13, cin: 32, cout: 64, k: 3, pad: 'valid' },
  { name: 'MobileNet-style 1×1 expand (batch 32)', n: 32, h: 24, w: 24, cin: 64, cout: 384, k: 1, pad: 'same' },
];
const CALLS = 20;
const REPS = 5;

/** Multiply-adds of one call. */
function macs(c: ConvCase): number {
  const oh = c.pad === 'valid' ? c.h - c.k + 1 : c.h;
  const ow = c.pad === 'valid' ? c.w - c.k + 1 : c.w;
  return c.n * oh * ow * c.cout * c.k * c.k * c.cin;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU ms per call of tf.conv2d on the current backend. */
function oursMs(c: ConvCase): number {
  const x = tf.randomNormal([c.n, c.h, c.w, c.cin], 0, 1, 'float32', 1) as tf.Tensor4D;
  const f = tf.randomNormal([c.k, c.k, c.cin, c.cout], 0, 0.1, 'float32', 2) as tf.Tensor4D;
  tf.conv2d(x, f, 1, c.pad).dispose();
  const reps: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) tf.conv2d(x, f, 1, c.pad).dispose();
    const u = process.cpuUsage(c0);
    reps.push((u.user + u.system) / 1000 / CALLS);
  }
  tf.dispose([x, f]);
  return median(reps);
}

const TORCH = `
import json, sys, time, torch
torch.set_num_threads(1)
c = json.loads(sys.argv[1])
x = torch.randn(c["n"], c["cin"], c["h"], c["w"])
conv = torch.nn.Conv2d(c["cin"], c["cout"], c["k"], padding=0 if c["pad"] == "valid" else c["k"] // 2, bias=False)
with torch.no_grad():
    conv(x)
    reps = []
    for _ in range(${REPS}):
        t = time.process_time()
        for _ in range(${CALLS}):
            conv(x)
        reps.append((time.process_time() - t) * 1000 / ${CALLS})
print(sorted(reps)[len(reps) // 2])
`;

/** CPU ms per call in PyTorch, or the reason it could not run. */
function torchMs(c: ConvCase): number | string {
  const python = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
  const r = spawnSync(python, ['-c', TORCH, JSON.stringify(c)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop()!;
  return Number(r.stdout.trim());
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  console.log(`backend ${backend.name}: ${backend.reason}; PyTorch via ${process.env.TORCH_PYTHON ?? '/usr/bin/python3'}; load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log('| convolution | GFLOP per call | ours CPU ms (GFLOP/s) | PyTorch CPU ms (GFLOP/s) | ours / PyTorch rate |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const c of CASES) {
    const gflop = (2 * macs(c)) / 1e9;
    const ours = oursMs(c);
    const torch = torchMs(c);
    const rate = (ms: number) => (gflop / (ms / 1000)).toFixed(1);
    const t = typeof torch === 'number' ? `${torch.toFixed(2)} (${rate(torch)})` : `– (${torch})`;
    const ratio = typeof torch === 'number' ? `${(torch / ours).toFixed(2)}×` : '–';
    console.log(`| ${c.name} | ${gflop.toFixed(3)} | ${ours.toFixed(2)} (${rate(ours)}) | ${t} | ${ratio} |`);
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
