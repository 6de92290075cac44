/**
 * Where the time of a training step and of an inference batch goes, per tfjs kernel, on the
 * product's own path: the experiment is loaded, its network built and trained by the `Trainer`
 * exactly as a run does (wasm backend with Transfer Lab's kernels), and the test set is evaluated
 * with `predictLogits` (the run's evaluation pass) on the network. Every kernel registered for wasm is wrapped with a timer of
 * the process's CPU time (steadier than wall time on a shared machine) that charges *self* time (a composed kernel's inner kernels are charged to themselves), so the
 * table adds up; "outside kernels" is the rest (engine, tape, layers, trainer, data).
 * Figures only, no assertions.
 *
 * Usage: npx tsx bench/profile.ts [experiment file] [--epochs N] [--runs-dir DIR]
 *   default: the bench's quick (a) case, `.transfer-lab/bench/quick/experiments/mnist-fine-tune.transfer.json`
 *   (run `npm run bench -- --quick --cases a` once to create it and its source checkpoint).
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/backend/index.js';
import { loadData } from '../src/core/data/index.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { buildNetwork, loadBase } from '../src/core/models/network.js';
import { predictLogits } from '../src/core/evaluation/evaluate.js';
import { Trainer } from '../src/core/training/trainer.js';

const ROOT = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1]!.startsWith('--')));
const experimentFile = path.resolve(positional[0] ?? path.join(ROOT, '.transfer-lab/bench/quick/experiments/mnist-fine-tune.transfer.json'));
const runsDir = path.resolve(flag('--runs-dir') ?? path.join(ROOT, '.transfer-lab/bench/quick/runs'));
const EPOCHS = Number(flag('--epochs') ?? 2);
/** Rows per kernel and input shapes (`--by-shape`) instead of per kernel. */
const BY_SHAPE = argv.includes('--by-shape');

/** CPU time of this process (user + system), ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Self CPU time (ms) and calls per kernel name, for the phase being recorded. */
type Table = Map<string, { ms: number; calls: number }>;
let table: Table = new Map();
/** Start times of the kernels running now (outer first), and the child time charged to each. */
const stack: { child: number }[] = [];

/** Wraps every kernel registered for wasm with a self-time timer. */
function instrument(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const kernelName = config.kernelName;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const name = BY_SHAPE
          ? `${kernelName} ${Object.entries(args.inputs)
              .map(([k, t]) => `${k}[${t?.shape.join(',') ?? ''}]`)
              .join(' ')}`
          : kernelName;
        const frame = { child: 0 };
        stack.push(frame);
        const t0 = cpuMs();
        try {
          return inner(args);
        } finally {
          const total = cpuMs() - t0;
          stack.pop();
          if (stack.length > 0) stack[stack.length - 1]!.child += total;
          const row = table.get(name) ?? { ms: 0, calls: 0 };
          row.ms += total - frame.child;
          row.calls += 1;
          table.set(name, row);
        }
      },
    });
  }
}

function report(title: string, t: Table, wallMs: number, cpu: number, unit: string, units: number): void {
  const rows = [...t.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((sum, [, r]) => sum + r.ms, 0);
  console.log(
    `\n${title}: ${wallMs.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU for ${units} ${unit} (${(wallMs / units).toFixed(2)} ms wall, ${(cpu / units).toFixed(2)} ms CPU each); kernels ${inKernels.toFixed(0)} CPU ms, outside kernels ${(cpu - inKernels).toFixed(0)} CPU ms`,
  );
  console.log(['kernel', 'self CPU ms', '% of CPU', 'calls', `CPU ms per ${unit}`].join('\t'));
  for (const [name, r] of rows) {
    if (r.ms / cpu < 0.002) continue;
    console.log([name, r.ms.toFixed(1), ((100 * r.ms) / cpu).toFixed(1), r.calls, (r.ms / units).toFixed(3)].join('\t'));
  }
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  console.log(`backend: ${backend.reason}`);
  instrument();
  const { experiment: loaded } = await loadExperiment(experimentFile);
  const exp = { ...loaded, transfer: { ...loaded.transfer, stages: loaded.transfer.stages.map((s) => ({ ...s, epochs: EPOCHS })) } };
  const base = await loadBase(exp, { runsDir });
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed });
  const net = buildNetwork(exp, base, data.classNames.length);
  const trainer = new Trainer(exp, net, data.classNames.length);
  let steps = 0;
  let epochStart = performance.now();
  let cpuStart = cpuMs();
  const epochMs: number[] = [];
  await trainer.train(data.train, data.validation, {
    emit: (e) => {
      if (e.kind === 'step') {
        steps++;
        if (steps === 3) {
          // Steady state from the third step on (the first ones compile and allocate).
          table = new Map();
          epochStart = performance.now();
          cpuStart = cpuMs();
        }
      }
      if (e.kind === 'epoch') epochMs.push(performance.now() - epochStart);
    },
    shouldStop: () => false,
    saveCheckpoint: async () => {},
  });
  const trainMs = performance.now() - epochStart;
  const trainCpu = cpuMs() - cpuStart;
  const trainTable = table;
  report(`training (${exp.name}, batch ${exp.training.batchSize}, steps 3..${steps} + validation)`, trainTable, trainMs, trainCpu, 'step', steps - 2);

  if (data.test && data.test.count > 0) {
    predictLogits(net.model, data.test, trainer.inferenceBatch); // warm-up
    table = new Map();
    const t0 = performance.now();
    const c0 = cpuMs();
    const reps = 3;
    for (let i = 0; i < reps; i++) predictLogits(net.model, data.test, trainer.inferenceBatch);
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    const batches = reps * Math.ceil(data.test.count / trainer.inferenceBatch);
    report(
      `inference (${data.test.count} test examples × ${reps}, batch ${trainer.inferenceBatch}; ${((reps * data.test.count) / (cpu / 1000)).toFixed(0)} examples per CPU-s)`,
      table,
      ms,
      cpu,
      'batch',
      batches,
    );
  }
  trainer.dispose();
  net.model.dispose();
}

void main();
