/**
 * Ants vs bees on the full data (245 train / 153 val photos of PyTorch's transfer-learning tutorial)
 * with the Teachable Machine MobileNetV2: the three photo examples (feature extraction, two-stage
 * fine-tuning, feature extraction at 160×160) run exactly as a user runs them — `node dist/cli.js run
 * examples/<file> --json`, i.e. the CLI, the forked worker and the run store — and are printed beside
 * the tutorial's published numbers. Figures only, no assertions.
 *
 * Data: the examples read `examples/data/` (see README, "Photo examples"). When it is missing and the
 * team's `../shared/data` exists, `examples/data` is created as a link to it (it is git-ignored).
 *
 * The `scratch` row (`photos-scratch.ts`): the same photos and input size with a CNN from random
 * initialisation, its settings chosen on a validation split held out of `train/`, tested on `val/`;
 * beside it the feature-extraction recipe on that same split.
 *
 * Usage: npm run bench:photos [-- --only fe,ft,160,scratch] [--runs-dir DIR]
 * Output: a table on stdout; the same figures in `bench/results/hymenoptera.json` (git-ignored).
 * Wall times depend on what else the machine runs: the load average before and after each run and
 * the worker's CPU time are printed beside them.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMetrics } from '../src/core/runs/store.js';
import type { EpochEvent, RunSummary, StageEvent } from '../src/core/runs/events.js';
import { EPOCHS, LEARNING_RATES, runScratchComparison, scratchTable, type ScratchComparison } from './photos-scratch.js';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const DATA_LINK = path.join(EXAMPLES, 'data');
const SHARED = path.join(ROOT, '..', 'shared', 'data');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** One benchmarked example. */
interface Case {
  key: string;
  file: string;
  recipe: string;
  input: string;
}

const CASES: Case[] = [
  { key: 'fe', file: 'hymenoptera-feature-extraction.transfer.json', recipe: 'feature extraction (frozen base, linear head)', input: '224×224' },
  { key: 'ft', file: 'hymenoptera-fine-tune.transfer.json', recipe: 'fine-tuning (head, then block_13+ at 10× smaller rate, augmented)', input: '224×224' },
  { key: '160', file: 'hymenoptera-160.transfer.json', recipe: 'feature extraction at another input size', input: '160×160' },
];

/** The tutorial's table (ResNet-18, ImageNet-pretrained; 25 epochs of SGD, lr 0.001, momentum 0.9, StepLR 7 × 0.1, batch 4). */
const TUTORIAL = [
  {
    recipe: 'PyTorch tutorial, ResNet-18: fine-tuning / fixed feature extractor',
    accuracy: '0.93–0.95',
    source: 'https://pytorch.org/tutorials/beginner/transfer_learning_tutorial.html (best val acc, as summarised in shared/data/README.md)',
  },
  {
    recipe: 'plain tfjs script on this base (shared/data/README.md): frozen, softmax head, Adam',
    accuracy: '0.889 @10 ep, 0.902 best/60',
    source: 'measured once, 16 s on 2 cores',
  },
];

/** What one run gave. */
interface Result {
  key: string;
  file: string;
  recipe: string;
  input: string;
  status: string;
  bestValAccuracy?: number;
  bestEpoch?: number;
  /** Validation accuracy after the last epoch (no selection on the validation set). */
  finalValAccuracy?: number;
  /** Best validation accuracy within each stage, by stage name. */
  bestByStage: Record<string, number>;
  epochs: number;
  wallSeconds: number;
  workerCpuSeconds?: number;
  backend: string;
  rssPeakMB?: number;
  wasmHeapMB?: number;
  loadBefore: number;
  loadAfter: number;
  runDir?: string;
  error?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Makes sure `examples/data` exists, linking it to the shared data when that is present. */
function ensureData(): void {
  if (fs.existsSync(DATA_LINK)) return;
  if (!fs.existsSync(SHARED)) {
    throw new Error(`no data: put the Teachable Machine export and hymenoptera_data under ${DATA_LINK} (see README, "Photo examples")`);
  }
  fs.symlinkSync(path.relative(EXAMPLES, SHARED), DATA_LINK, 'dir');
  process.stderr.write(`linked examples/data → ${path.relative(EXAMPLES, SHARED)} (git-ignored)\n`);
}

/** Runs one example through the CLI; resolves with its summary (or error) and the wall time. */
function runCli(file: string, runsDir: string): Promise<{ summary?: RunSummary; wallSeconds: number; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'run', file, '--json', '--runs-dir', runsDir], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      let summary: RunSummary | undefined;
      try {
        const parsed = JSON.parse(out) as RunSummary | { error: string };
        if ('runId' in parsed) summary = parsed;
      } catch {
        // reported below through stderr
      }
      resolve({ ...(summary ? { summary } : {}), wallSeconds, stderr: err, code });
    });
  });
}

const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / 1024 ** 2));
const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '–' : x.toFixed(digits));

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench:photos does)');
  ensureData();
  const only = arg('--only')?.split(',');
  const runsDir = path.resolve(arg('--runs-dir') ?? path.join(ROOT, '.transfer-lab', 'bench-runs'));
  const results: Result[] = [];
  for (const c of CASES.filter((x) => !only || only.includes(x.key))) {
    process.stderr.write(`running ${c.file} …\n`);
    const loadBefore = os.loadavg()[0]!;
    const r = await runCli(path.join('examples', c.file), runsDir);
    const loadAfter = os.loadavg()[0]!;
    const s = r.summary;
    const runDir = s ? path.join(runsDir, s.experiment, s.runId) : undefined;
    const bestByStage: Record<string, number> = {};
    if (runDir) {
      const stageNames = new Map<number, string>();
      for (const e of readMetrics(runDir)) {
        if (e.kind === 'stage') stageNames.set((e as StageEvent).stage, (e as StageEvent).name);
        if (e.kind === 'epoch' && (e as EpochEvent).valAccuracy !== undefined) {
          const name = stageNames.get((e as EpochEvent).stage) ?? String((e as EpochEvent).stage);
          bestByStage[name] = Math.max(bestByStage[name] ?? 0, (e as EpochEvent).valAccuracy!);
        }
      }
    }
    results.push({
      key: c.key,
      file: c.file,
      recipe: c.recipe,
      input: c.input,
      status: s?.status ?? `failed (exit ${r.code})`,
      ...(s?.best?.valAccuracy !== undefined ? { bestValAccuracy: s.best.valAccuracy } : {}),
      ...(s?.bestEpoch !== undefined ? { bestEpoch: s.bestEpoch + 1 } : {}),
      ...(s?.final?.valAccuracy !== undefined ? { finalValAccuracy: s.final.valAccuracy } : {}),
      bestByStage,
      epochs: s?.epochsDone ?? 0,
      wallSeconds: r.wallSeconds,
      ...(s?.cpuSeconds !== undefined ? { workerCpuSeconds: s.cpuSeconds } : {}),
      backend: s?.backend ? `${s.backend.name}${s.backend.threads ? ` (${s.backend.threads} thread${s.backend.threads > 1 ? 's' : ''})` : ''}` : '–',
      ...(s?.memory
        ? { rssPeakMB: mb(s.memory.rssPeakBytes)!, ...(s.memory.wasmHeapBytes !== undefined ? { wasmHeapMB: mb(s.memory.wasmHeapBytes)! } : {}) }
        : {}),
      loadBefore,
      loadAfter,
      ...(runDir ? { runDir } : {}),
      ...(s?.error || !s ? { error: s?.error ?? r.stderr.trim().split('\n').slice(-5).join('\n') } : {}),
    });
  }

  const lines: string[] = [];
  lines.push(
    `| run | recipe | input | best val acc (epoch) | best per stage | last-epoch val acc | wall s | worker CPU s | load avg before→after | backend | peak RSS MB | wasm heap MB |`,
  );
  lines.push(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const r of results) {
    const stages = Object.entries(r.bestByStage)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join('; ');
    lines.push(
      `| ${r.file.replace('.transfer.json', '')} | ${r.recipe} | ${r.input} | ${fmt(r.bestValAccuracy)}${r.bestEpoch ? ` (${r.bestEpoch}/${r.epochs})` : ''} | ${Object.keys(r.bestByStage).length > 1 ? stages : '–'} | ${fmt(r.finalValAccuracy)} | ${r.wallSeconds.toFixed(0)} | ${fmt(r.workerCpuSeconds, 0)} | ${r.loadBefore.toFixed(1)}→${r.loadAfter.toFixed(1)} | ${r.backend} | ${r.rssPeakMB ?? '–'} | ${r.wasmHeapMB ?? '–'} |`,
    );
  }
  for (const t of TUTORIAL) lines.push(`| reference | ${t.recipe} | 224×224 | ${t.accuracy} | – | – | – | – | – | – | – | – |`);
  process.stdout.write(
    `\nAnts vs bees, validation accuracy on the 153 val photos (best epoch, as the tutorial reports), ${os.cpus().length} CPUs\n\n${lines.join('\n')}\n`,
  );
  for (const t of TUTORIAL) process.stdout.write(`reference: ${t.recipe}: ${t.source}\n`);
  for (const r of results) if (r.error) process.stdout.write(`${r.file}: ${r.status}: ${r.error}\n`);
  let scratch: ScratchComparison | undefined;
  if (!only || only.includes('scratch')) {
    scratch = await runScratchComparison(runCli, path.join(DATA_LINK, 'hymenoptera_data'), path.join(EXAMPLES, CASES[0]!.file), runsDir);
    const t = scratch.trials[scratch.trials.length - 1]!;
    process.stdout.write(
      `\nscratch: a CNN from random initialisation against the pretrained features, same photos and input size (224×224).\n` +
        `Split: ${t.examples ? `${t.examples.train} train / ${t.examples.validation} validation (held out of train/, seeded) / ${t.examples.test} test (val/)` : 'train/ 80/20 into train and validation, val/ as test'}. ` +
        `Scratch settings chosen on validation only (Adam lr ${LEARNING_RATES.join(', ')} × epochs 1–${EPOCHS}); test accuracy only reported.\n\n${scratchTable(scratch)}\n`,
    );
    if (scratch.chosen && scratch.pretrained?.testAccuracy !== undefined) {
      const d = scratch.pretrained.testAccuracy - scratch.chosen.testAccuracy!;
      process.stdout.write(
        `\nscratch row: test ${scratch.chosen.testAccuracy!.toFixed(3)} (lr ${scratch.chosen.learningRate}, epoch ${scratch.chosen.bestEpoch}) vs pretrained ${scratch.pretrained.testAccuracy.toFixed(3)}: ` +
          `the pretrained features are ${(d * 100).toFixed(1)} points ahead (${Math.round(d * (scratch.chosen.testExamples ?? 153))} of ${scratch.chosen.testExamples ?? 153} test photos)\n`,
      );
    }
    for (const x of scratch.trials) if (x.error) process.stdout.write(`${x.model} lr ${x.learningRate}: ${x.status}: ${x.error}\n`);
  }
  const out = path.join(ROOT, 'bench', 'results', 'hymenoptera.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, results, tutorial: TUTORIAL, ...(scratch ? { scratch } : {}) }, null, 2) + '\n',
  );
  process.stdout.write(`\nwritten: ${path.relative(ROOT, out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
