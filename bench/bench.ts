/**
 * `npm run bench [-- --quick] [-- --rounds N] [-- --cases a,b] [-- --no-torch] [-- --report FILE]`: Transfer Lab's
 * training speed against PyTorch on the same data, network, initial weights, batch, epochs and
 * threads (issue 6). Every case runs through the product (the training worker, as the CLI and the
 * extension run it) and through `torch_reference.py`, alternating which goes first from round to
 * round, and the load average is recorded around every run: on a shared machine the figures move
 * with other processes, so medians and CPU-time rates are reported next to wall-clock ones.
 * Prints a table and writes `bench/results/latest.json` (`--report FILE` re-renders a saved one).
 * Figures only: nothing here asserts a time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CASES, MODES, type Mode } from './cases.js';
import { deriveExperiment } from './derive.js';
import { exportForTorch } from './export-for-torch.js';
import { ensureFashion96 } from './fashion96.js';
import { caseResult, checkTargets, formatResults, median, writeReport, type BenchReport, type CaseResult, type Sample } from './report.js';
import { runOurs, type OurRun } from './run-ours.js';
import { runTorch, TORCH_PYTHON, type TorchRun } from './run-torch.js';
import { loadAverage, systemInfo } from './system.js';
import { latestCheckpoint } from '../src/core/experiment/name.js';

const ROOT = path.resolve(__dirname, '..');

interface Args {
  /** Re-render this saved result file instead of running (`--report <file>`). */
  report?: string;
  mode: Mode;
  rounds: number;
  cases?: Set<string>;
  torch: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode: Mode = argv.includes('--quick') ? 'quick' : 'full';
  const rounds = Number(value('--rounds') ?? MODES[mode].rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a positive integer');
  const cases = value('--cases');
  const report = value('--report');
  return {
    ...(report ? { report: path.resolve(report) } : {}),
    mode,
    rounds,
    ...(cases ? { cases: new Set(cases.split(',')) } : {}),
    torch: !argv.includes('--no-torch'),
    out: path.resolve(value('--out') ?? path.join(ROOT, 'bench', 'results', 'latest.json')),
  };
}

const log = (s: string) => process.stderr.write(s + '\n');
const f0 = (x: number | undefined | null) => (x === undefined || x === null ? '–' : x.toFixed(0));
const f1 = (x: number | undefined | null) => (x === undefined || x === null ? '–' : x.toFixed(1));

function describeOurs(r: OurRun): string {
  if (r.error) return `error: ${r.error}`;
  const sps = r.epochs.map((e) => f0(e.samplesPerSecond)).join('/');
  return (
    `${r.status}, ${r.trainExamples} train, samples/s per epoch ${sps}, to target ${f1(r.timeToTarget)} s` +
    `${r.test ? `, inference ${f0(r.test.samplesPerSecond)}/s` : ''}, RSS ${f0((r.rssPeakBytes ?? NaN) / 2 ** 20)} MB` +
    `${r.wasmHeapBytes !== undefined ? `, wasm heap ${f0(r.wasmHeapBytes / 2 ** 20)} MB` : ''}`
  );
}

function describeTorch(r: TorchRun): string {
  if (r.error) return `error: ${r.error}`;
  const sps = r.epochs.map((e) => f0(e.samplesPerSecond)).join('/');
  return (
    `samples/s per epoch ${sps}, to target ${f1(r.timeToTarget)} s${r.test ? `, inference ${f0(r.test.samplesPerSecond)}/s` : ''}, ` +
    `RSS ${f0(r.rssPeakBytes / 2 ** 20)} MB, initial logits differ by ${r.initialLogitsMaxAbsDiff.toExponential(1)}`
  );
}

/** Recomputes medians, ratios and targets of a saved result file from its samples, rewrites it and prints the table. */
function rerender(file: string): void {
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport;
  const results = saved.cases.map((r) => {
    const c = CASES.find((k) => k.id === r.id.replace(/@tensorflow$/, ''));
    if (!c) throw new Error(`${file}: unknown case ${r.id}`);
    return caseResult(
      { ...c, id: r.id, title: r.title },
      r.target,
      r.experiment,
      r.ours.samples,
      Object.fromEntries(Object.entries(r.torch).map(([k, v]) => [k, v.samples])),
    );
  });
  const report: BenchReport = { ...saved, cases: results, targets: checkTargets(results) };
  writeReport(report, file);
  process.stdout.write(
    `${formatResults(report.cases, report.targets)}\n\n${report.notes.map((n) => `- ${n}`).join('\n')}\n\nrewrote ${path.relative(process.cwd(), file)}\n`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.report) return rerender(args.report);
  const startedAt = new Date().toISOString();
  const workerPath = path.join(ROOT, 'dist', 'worker.js');
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run \`npm run build\` first (npm run bench does)`);
  const work = path.join(ROOT, '.transfer-lab', 'bench', args.mode);
  const runsDir = path.join(work, 'runs');
  const expDir = path.join(work, 'experiments');
  const torchDir = path.join(work, 'torch');
  fs.mkdirSync(torchDir, { recursive: true });
  const system = systemInfo();
  const loads: number[] = [];
  const loadStart = loadAverage();
  log(
    `Transfer Lab bench (${args.mode}, ${args.rounds} round${args.rounds > 1 ? 's' : ''}): ${system.cpu}, ${system.cores} cores, node ${system.node}, tfjs ${system.tfjs}`,
  );
  log(`load average (1 min) at start: ${loadStart.toFixed(2)} on ${system.cores} cores`);
  log(`tfjs-node: ${system.tfjsNode.detail}`);
  log(`PyTorch: ${TORCH_PYTHON} bench/torch_reference.py${args.torch ? '' : ' (skipped: --no-torch)'}`);
  const fashion = await ensureFashion96(path.join(ROOT, '.transfer-lab', 'bench', 'data'));
  if (fashion.written) log(`wrote Fashion-MNIST 96×96 files to ${fashion.dir}`);
  const backends: ('wasm' | 'tensorflow')[] = system.tfjsNode.available ? ['wasm', 'tensorflow'] : ['wasm'];

  const files = new Map<string, string>();
  for (const c of CASES) files.set(c.id, deriveExperiment(c.file, c[args.mode], expDir));
  const selected = CASES.filter((c) => !c.setup && (!args.cases || args.cases.has(c.id)));

  // Setup: sources whose checkpoints the cases load (kept in the mode's runs folder and reused).
  for (const c of CASES.filter((k) => k.setup)) {
    const name = c.file.replace(/\.transfer\.json$/, '');
    if (latestCheckpoint(runsDir, name, 'best')) {
      log(`[${c.id}] reusing the completed run in ${path.join(runsDir, name)}`);
      continue;
    }
    log(`[${c.id}] training the source (not timed)…`);
    const r = await runOurs({ experimentFile: files.get(c.id)!, runsDir, workerPath, backend: 'wasm' });
    log(`[${c.id}] ${describeOurs(r)}`);
    if (r.error || r.status !== 'completed') throw new Error(`the source ${c.file} did not complete: ${r.error ?? r.status}`);
  }

  const ours = new Map<string, Sample<OurRun>[]>();
  const torch = new Map<string, Record<string, Sample<TorchRun>[]>>();
  const exported = new Set<string>();
  const sample = async <R>(round: number, run: () => Promise<R>): Promise<Sample<R>> => {
    const before = loadAverage();
    const r = await run();
    const after = loadAverage();
    loads.push(before, after);
    return { round, load: [before, after], run: r };
  };

  for (let round = 1; round <= args.rounds; round++) {
    for (const c of selected) {
      const file = files.get(c.id)!;
      const target = c[args.mode].target;
      const runOursNow = async () => {
        for (const backend of backends) {
          const s = await sample(round, () => runOurs({ experimentFile: file, runsDir, workerPath, backend, ...(target !== undefined ? { target } : {}) }));
          const key = backend === 'wasm' ? c.id : `${c.id}@tensorflow`;
          ours.set(key, [...(ours.get(key) ?? []), s]);
          log(`[${c.id}] round ${round} Transfer Lab ${backend} (load ${s.load[0].toFixed(1)}→${s.load[1].toFixed(1)}): ${describeOurs(s.run)}`);
        }
      };
      const runTorchNow = async () => {
        if (!args.torch) return;
        const spec = path.join(torchDir, c.id);
        if (!exported.has(c.id)) {
          await exportForTorch(file, runsDir, spec);
          exported.add(c.id);
        }
        for (const threads of MODES[args.mode].torchThreads) {
          const s = await sample(round, () => runTorch(`${spec}.json`, threads, target));
          const byThreads = torch.get(c.id) ?? {};
          byThreads[String(threads)] = [...(byThreads[String(threads)] ?? []), s];
          torch.set(c.id, byThreads);
          log(`[${c.id}] round ${round} PyTorch ${threads}t (load ${s.load[0].toFixed(1)}→${s.load[1].toFixed(1)}): ${describeTorch(s.run)}`);
        }
      };
      // Alternate which side goes first, so slow drifts in the machine's load hit both alike.
      if (round % 2 === 1) {
        await runOursNow();
        await runTorchNow();
      } else {
        await runTorchNow();
        await runOursNow();
      }
    }
  }

  const results: CaseResult[] = [];
  for (const c of selected) {
    const target = c[args.mode].target;
    results.push(caseResult(c, target, path.join('bench', 'experiments', c.file), ours.get(c.id) ?? [], torch.get(c.id) ?? {}));
    if (ours.has(`${c.id}@tensorflow`)) {
      results.push(
        caseResult({ ...c, id: `${c.id}@tensorflow`, title: `${c.title} (tfjs-node)` }, target, c.file, ours.get(`${c.id}@tensorflow`)!, torch.get(c.id) ?? {}),
      );
    }
  }
  const targets = checkTargets(results);
  const firstTorch = [...torch.values()].flatMap((t) => Object.values(t).flat()).find((s) => !s.run.error)?.run;
  const loadEnd = loadAverage();
  const notes = [
    system.tfjsNode.detail,
    `PyTorch: ${firstTorch ? `${firstTorch.framework}, BLAS ${firstTorch.blas}` : 'not run'}; convolutions use oneDNN.`,
    'Transfer Lab runs through dist/worker.js (the CLI and extension path) on wasm with 1 thread; PyTorch runs with torch.set_num_threads = OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = N.',
    'samples/s: training examples per second of an epoch (steps + validation), median of the epochs after the first, then median over rounds. per CPU-s: the same per CPU second of the process (Transfer Lab: between epoch events, checkpoint writes included).',
    'to target: seconds from the start of training (Transfer Lab: the stage start, frozen-feature caching included) to the end of the first epoch at the target validation accuracy.',
    'Targets are judged on the CPU-time ratio: both sides run one thread, and CPU time is what other processes on a shared machine distort least; the wall-clock ratio is shown beside it.',
    'infer/s: test-set evaluation (logits, loss, accuracy) in the trainer’s memory-sized batches (128 for these models); Transfer Lab loads the best checkpoint from disk first (included).',
    `load average (1 min) ranged ${Math.min(...loads, loadStart).toFixed(1)}–${Math.max(...loads, loadStart).toFixed(1)} on ${system.cores} cores: wall-clock figures are as noisy as that; CPU-time figures less so.`,
  ];
  const report: BenchReport = {
    mode: args.mode,
    startedAt,
    endedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    system: { ...system, ...(firstTorch ? { torch: firstTorch.framework, blas: firstTorch.blas } : {}) },
    load: { start: loadStart, end: loadEnd, median: median(loads), min: Math.min(...loads, loadStart), max: Math.max(...loads, loadStart) },
    notes,
    cases: results,
    targets,
  };
  writeReport(report, args.out);
  process.stdout.write(`\n${formatResults(results, targets)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\nwrote ${path.relative(process.cwd(), args.out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
