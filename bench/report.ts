/**
 * Turns the runs of a benchmark into figures: per run the median steady-state epoch (the first
 * epoch, which warms up kernels and fills the feature cache, is left out when there are others),
 * per case the median over rounds, the ratios Transfer Lab / PyTorch at the same thread count, the
 * issue's targets, the printed table and `bench/results/latest.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTable } from '../src/cli/table.js';
import type { BenchCase, Mode } from './cases.js';
import type { OurRun } from './run-ours.js';
import type { SystemInfo } from './system.js';
import type { TorchRun } from './run-torch.js';

/** One side's run of a case in one round, with the load average around it. */
export interface Sample<R> {
  round: number;
  /** 1-minute load average before and after the run. */
  load: [number, number];
  run: R;
}

/** The figures of one run (or their medians over rounds). Rates in examples/s, times in s, memory in bytes. */
export interface Figures {
  /** Training examples per wall-clock second of an epoch (steps + validation). */
  samplesPerSecond?: number;
  /** Training examples per CPU second of an epoch (less sensitive to other processes). */
  samplesPerCpuSecond?: number;
  /** Seconds from the start of training to the first epoch at the target validation accuracy. */
  timeToTarget?: number;
  /** CPU seconds of the process over the same span. */
  cpuTimeToTarget?: number;
  /** Best validation accuracy seen. */
  bestValAccuracy?: number;
  /** Test-set inference, examples per wall-clock second and per CPU second. */
  inferencePerSecond?: number;
  inferencePerCpuSecond?: number;
  rssPeakBytes?: number;
  wasmHeapBytes?: number;
}

/** All samples and medians of one case. */
export interface CaseResult {
  id: string;
  title: string;
  experiment: string;
  trainExamples: number;
  target?: number;
  ours: { samples: Sample<OurRun>[]; median: Figures };
  /** PyTorch by thread count. */
  torch: Record<string, { samples: Sample<TorchRun>[]; median: Figures }>;
  /** Transfer Lab / PyTorch (1 thread) of each figure, median of the per-round ratios (for timeToTarget lower is better). */
  ratios: Record<string, number | undefined>;
  /** Same ratios against PyTorch with 2 threads, when it ran. */
  ratios2?: Record<string, number | undefined>;
}

/**
 * One of the issue's targets and where it stands: the wall-clock ratio and, where there is one, the
 * CPU-time ratio. Both sides run one thread, so the CPU-time ratio is the one other processes on a
 * shared machine distort least; `met` is judged on it when present.
 */
export interface TargetCheck {
  name: string;
  goal: string;
  value?: number;
  cpuValue?: number;
  met?: boolean;
}

export function median(xs: (number | undefined | null)[]): number | undefined {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1]! + v[m]!) / 2;
}

/** Epochs after the first, or all when there is only one. */
function steady<T>(epochs: T[]): T[] {
  return epochs.length > 1 ? epochs.slice(1) : epochs;
}

/** Figures of one of our runs. */
export function ourFigures(r: OurRun): Figures {
  const eps = steady(r.epochs);
  const cpu = median(eps.map((e) => e.cpuSeconds));
  const best = Math.max(...r.epochs.map((e) => e.valAccuracy ?? -1));
  return {
    samplesPerSecond: median(eps.map((e) => e.samplesPerSecond)),
    samplesPerCpuSecond: cpu ? r.trainExamples / cpu : undefined,
    timeToTarget: r.timeToTarget,
    cpuTimeToTarget: r.cpuTimeToTarget,
    ...(best >= 0 ? { bestValAccuracy: best } : {}),
    inferencePerSecond: r.test?.samplesPerSecond,
    inferencePerCpuSecond: r.test && r.test.cpuSeconds > 0 ? r.test.examples / r.test.cpuSeconds : undefined,
    rssPeakBytes: r.rssPeakBytes,
    wasmHeapBytes: r.wasmHeapBytes,
  };
}

/** Figures of one reference run. */
export function torchFigures(r: TorchRun): Figures {
  const eps = steady(r.epochs);
  const cpu = median(eps.map((e) => e.cpuSeconds));
  return {
    samplesPerSecond: median(eps.map((e) => e.samplesPerSecond)),
    samplesPerCpuSecond: cpu ? r.trainExamples / cpu : undefined,
    timeToTarget: r.timeToTarget ?? undefined,
    cpuTimeToTarget: r.cpuTimeToTarget ?? undefined,
    ...(r.epochs.length ? { bestValAccuracy: Math.max(...r.epochs.map((e) => e.valAccuracy)) } : {}),
    inferencePerSecond: r.test?.samplesPerSecond,
    inferencePerCpuSecond: r.test && r.test.cpuSeconds > 0 ? r.test.examples / r.test.cpuSeconds : undefined,
    rssPeakBytes: r.rssPeakBytes,
  };
}

/** Median of each figure over `figs`. */
export function medianFigures(figs: Figures[]): Figures {
  const keys = new Set(figs.flatMap((f) => Object.keys(f))) as Set<keyof Figures>;
  const out: Figures = {};
  for (const k of keys) {
    const m = median(figs.map((f) => f[k]));
    if (m !== undefined) out[k] = m;
  }
  return out;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

/** Transfer Lab / reference for each figure both have. */
export function ratios(ours: Figures, ref: Figures | undefined): Record<string, number | undefined> {
  if (!ref) return {};
  return {
    samplesPerSecond: ratio(ours.samplesPerSecond, ref.samplesPerSecond),
    samplesPerCpuSecond: ratio(ours.samplesPerCpuSecond, ref.samplesPerCpuSecond),
    timeToTarget: ratio(ours.timeToTarget, ref.timeToTarget),
    cpuTimeToTarget: ratio(ours.cpuTimeToTarget, ref.cpuTimeToTarget),
    inferencePerSecond: ratio(ours.inferencePerSecond, ref.inferencePerSecond),
    inferencePerCpuSecond: ratio(ours.inferencePerCpuSecond, ref.inferencePerCpuSecond),
  };
}

/**
 * Median over rounds of the per-round ratios Transfer Lab / reference: both ran back to back in a
 * round, under about the same load, so pairing them cancels most of the load's drift (a ratio of
 * medians would pair a quiet run with a loaded one).
 */
export function pairedRatios(ours: Sample<OurRun>[], ref: Sample<TorchRun>[] | undefined): Record<string, number | undefined> {
  if (!ref) return {};
  const perRound: Record<string, number | undefined>[] = [];
  for (const o of ours) {
    const t = ref.find((s) => s.round === o.round);
    if (!t || o.run.error || t.run.error) continue;
    perRound.push(ratios(ourFigures(o.run), torchFigures(t.run)));
  }
  const keys = new Set(perRound.flatMap((r) => Object.keys(r)));
  const out: Record<string, number | undefined> = {};
  for (const k of keys) out[k] = median(perRound.map((r) => r[k]));
  return out;
}

/** Collects a case's samples into medians and paired ratios; `target` is the mode's validation accuracy timed. */
export function caseResult(
  c: BenchCase,
  target: number | undefined,
  experiment: string,
  ours: Sample<OurRun>[],
  torch: Record<string, Sample<TorchRun>[]>,
): CaseResult {
  const oursMedian = medianFigures(ours.filter((s) => !s.run.error).map((s) => ourFigures(s.run)));
  const torchOut: CaseResult['torch'] = {};
  for (const [threads, samples] of Object.entries(torch)) {
    torchOut[threads] = { samples, median: medianFigures(samples.filter((s) => !s.run.error).map((s) => torchFigures(s.run))) };
  }
  return {
    id: c.id,
    title: c.title,
    experiment,
    trainExamples: ours.find((s) => s.run.trainExamples)?.run.trainExamples ?? 0,
    ...(target !== undefined ? { target } : {}),
    ours: { samples: ours, median: oursMedian },
    torch: torchOut,
    ratios: pairedRatios(ours, torch['1']),
    ...(torch['2'] ? { ratios2: pairedRatios(ours, torch['2']) } : {}),
  };
}

/** The issue's targets, checked against the results. */
export function checkTargets(cases: CaseResult[]): TargetCheck[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const at = (id: string, k: string) => byId.get(id)?.ratios[k];
  const heap = byId.get('c-fine-tune')?.ours.median.wasmHeapBytes;
  const checks: TargetCheck[] = [
    {
      name: 'feature extraction (product default): time to target / PyTorch',
      goal: '≤ 0.5',
      value: at('b', 'timeToTarget'),
      cpuValue: at('b', 'cpuTimeToTarget'),
    },
    {
      name: 'feature extraction (probe split, dense-128 head): time to target / PyTorch',
      goal: '≤ 0.5',
      value: at('b-flatten', 'timeToTarget'),
      cpuValue: at('b-flatten', 'cpuTimeToTarget'),
    },
    { name: 'MNIST CNN fine-tune throughput / PyTorch', goal: '≥ 0.35', value: at('a', 'samplesPerSecond'), cpuValue: at('a', 'samplesPerCpuSecond') },
    {
      name: 'MobileNet-style fine-tune throughput / PyTorch',
      goal: '≥ 0.15',
      value: at('c-fine-tune', 'samplesPerSecond'),
      cpuValue: at('c-fine-tune', 'samplesPerCpuSecond'),
    },
    { name: 'MobileNet-style fine-tune wasm heap at batch 32, GB', goal: '≤ 1', value: heap !== undefined ? heap / 1024 ** 3 : undefined },
    { name: 'inference throughput / PyTorch, MNIST CNN', goal: '≥ 0.8', value: at('a', 'inferencePerSecond'), cpuValue: at('a', 'inferencePerCpuSecond') },
    {
      name: 'inference throughput / PyTorch, MobileNet-style',
      goal: '≥ 0.8',
      value: at('c-fine-tune', 'inferencePerSecond'),
      cpuValue: at('c-fine-tune', 'inferencePerCpuSecond'),
    },
  ];
  for (const c of checks) {
    const judged = c.cpuValue ?? c.value;
    if (judged === undefined) continue;
    const [op, bound] = c.goal.split(' ') as ['≤' | '≥', string];
    c.met = op === '≤' ? judged <= Number(bound) : judged >= Number(bound);
  }
  return checks;
}

const num = (x: number | undefined, digits = 0) => (x === undefined ? '–' : x.toFixed(digits));
const x2 = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(2)}×`);
const mb = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x / 2 ** 20)}`);
const pctOf = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);

/** The printed table: one block of rows per case. */
export function formatResults(cases: CaseResult[], checks: TargetCheck[]): string {
  const header = [
    'case',
    'side',
    'samples/s',
    'ratio',
    'per CPU-s',
    'ratio',
    'to target s (CPU s)',
    'ratio (CPU)',
    'best val',
    'infer/s',
    'ratio',
    'RSS MB',
    'wasm MB',
  ];
  const tt = (f: Figures) => (f.timeToTarget === undefined ? '–' : `${f.timeToTarget.toFixed(1)} (${num(f.cpuTimeToTarget, 1)})`);
  const tr = (r: Record<string, number | undefined>) => (r.timeToTarget === undefined ? '–' : `${x2(r.timeToTarget)} (${x2(r.cpuTimeToTarget)})`);
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    const o = c.ours.median;
    rows.push([
      `${c.id}${c.target !== undefined ? ` (≥${Math.round(c.target * 100)}%)` : ''}`,
      'Transfer Lab wasm 1t',
      num(o.samplesPerSecond),
      '',
      num(o.samplesPerCpuSecond),
      '',
      tt(o),
      '',
      pctOf(o.bestValAccuracy),
      num(o.inferencePerSecond),
      '',
      mb(o.rssPeakBytes),
      mb(o.wasmHeapBytes),
    ]);
    for (const [threads, t] of Object.entries(c.torch)) {
      const m = t.median;
      const r = threads === '1' ? c.ratios : threads === '2' ? (c.ratios2 ?? {}) : {};
      rows.push([
        '',
        `PyTorch ${threads}t`,
        num(m.samplesPerSecond),
        x2(r.samplesPerSecond),
        num(m.samplesPerCpuSecond),
        x2(r.samplesPerCpuSecond),
        tt(m),
        tr(r),
        pctOf(m.bestValAccuracy),
        num(m.inferencePerSecond),
        x2(r.inferencePerSecond),
        mb(m.rssPeakBytes),
        '',
      ]);
    }
  }
  const lines = [
    formatTable(header, rows),
    '',
    'ratio = Transfer Lab / PyTorch at that thread count, median of the per-round ratios (for "to target", lower is better).',
    '',
  ];
  const f2 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  lines.push(
    formatTable(
      ['target (vs PyTorch 1 thread)', 'goal', 'wall', 'CPU time', 'judged on CPU time'],
      checks.map((t) => [t.name, t.goal, f2(t.value), f2(t.cpuValue), t.met === undefined ? 'n/a' : t.met ? 'met' : 'NOT met']),
    ),
  );
  return lines.join('\n');
}

/** Everything `latest.json` holds. */
export interface BenchReport {
  mode: Mode;
  startedAt: string;
  endedAt: string;
  command: string;
  system: SystemInfo & { torch?: string; blas?: string };
  /** 1-minute load average: at the start, the end, and the median over all runs. */
  load: { start: number; end: number; median: number | undefined; min: number; max: number };
  notes: string[];
  cases: CaseResult[];
  targets: TargetCheck[];
}

/** Writes `report` as JSON to `file` (folder created). */
export function writeReport(report: BenchReport, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}
