/**
 * What two cores of this machine give on the frozen pass's own work, with no coordination at all:
 * the Teachable Machine MobileNetV2 (examples/data/mobilenetv2-teachable) runs `predict` on the
 * same fixed batches of 16 × 224 × 224 × 3 random inputs in one process alone, then in two
 * processes started together (each the same work), rounds alternating which comes first. Throughput
 * of the pair against one process alone = 2 × (alone seconds) / (slower of the pair's seconds): 2.0
 * would be two perfect cores; the worker-thread helpers of a run's frozen pass (`npm run bench:prep`)
 * cannot beat it, since they do the same work plus sharing one queue.
 * Wasm backend with Transfer Lab's kernels, one wasm thread per process. Figures only, no assertions.
 *
 * Usage: npx tsx bench/two-cores.ts [--batches N (default 12)] [--rounds N (default 3)]
 */
import { spawn } from 'node:child_process';
import type * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

const ROOT = path.join(__dirname, '..');
const BASE = path.join(ROOT, 'examples', 'data', 'mobilenetv2-teachable', 'model.json');

/** One process's figures: seconds of the timed batches (wall and CPU). */
interface Timing {
  wall: number;
  cpu: number;
}

async function child(batches: number): Promise<void> {
  const tfm = await import('@tensorflow/tfjs');
  const { initBackend } = await import('../src/core/backend/index.js');
  const { resolveExperiment } = await import('../src/core/experiment/resolve.js');
  const { loadBase } = await import('../src/core/models/network.js');
  await initBackend('wasm');
  const exp = resolveExperiment(
    {
      base: { kind: 'model', path: BASE },
      data: { train: { kind: 'imageFolder', path: path.join(ROOT, 'examples', 'data', 'hymenoptera_data', 'train') } },
      transfer: { strategy: 'featureExtraction' },
    },
    path.join(ROOT, 'bench.transfer.json'),
  );
  const base = await loadBase(exp, { runsDir: os.tmpdir() });
  const x = tfm.randomUniform([16, ...base.inputShape], -1, 1, 'float32', 7);
  tfm.dispose(base.model.predict(x) as tf.Tensor); // warm-up: packs weights, compiles
  // Both processes of a pair start timing together: wait for the parent's go.
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < batches; i++) {
    const y = base.model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  }
  const c = process.cpuUsage(c0);
  const t: Timing = { wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
  process.stdout.write(JSON.stringify(t) + '\n');
}

/** Starts `n` children, lets them time together, returns their timings. */
async function together(n: number, batches: number): Promise<Timing[]> {
  const kids = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', __filename, '--child', String(batches)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const lines = kids.map((k) => readline.createInterface({ input: k.stdout })[Symbol.asyncIterator]());
  const next = async (it: AsyncIterator<string>) => String((await it.next()).value);
  await Promise.all(lines.map(next)); // every child "ready"
  for (const k of kids) k.stdin.end('go\n');
  const res = await Promise.all(lines.map(async (it) => JSON.parse(await next(it)) as Timing));
  await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.on('exit', r)))));
  return res;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(Number(args[1]));
  const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const batches = opt('--batches', 12);
  const rounds = opt('--rounds', 3);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`MobileNetV2 predict, ${batches} batches of 16 at 224×224×3 per process; wasm, 1 thread each; ${os.cpus().length} cores`);
  console.log('| round | alone: wall s (CPU s) | pair: wall s (CPU s) each | pair throughput / alone | load (1/5/15 min) |');
  console.log('| --- | --- | --- | --- | --- |');
  const ratios: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const order = r % 2 === 1 ? [1, 2] : [2, 1];
    const got: Record<number, Timing[]> = {};
    for (const n of order) got[n] = await together(n, batches);
    const alone = got[1]![0]!;
    const pair = got[2]!;
    const ratio = (2 * alone.wall) / Math.max(...pair.map((p) => p.wall));
    ratios.push(ratio);
    const f = (t: Timing) => `${t.wall.toFixed(2)} (${t.cpu.toFixed(2)})`;
    console.log(`| ${r} | ${f(alone)} | ${pair.map(f).join(', ')} | ${ratio.toFixed(2)}× | ${load()} |`);
  }
  ratios.sort((a, b) => a - b);
  console.log(`median pair throughput / alone: ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}× (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
