/**
 * `transfer-lab demo`: the main job on real data. Trains the source CNN on MNIST digits 0–4 (or
 * reuses its checkpoint), then the digits 5–9 targets with 10 and 50 labels per class — scratch,
 * feature extraction, fine-tuning — each on several label draws (the same file run with other
 * seeds: other labelled images, split and initialisation; every strategy sees the same draws), and
 * prints test accuracy on held-out 5–9 digits as mean ± sd over draws, with each transfer
 * strategy's paired difference from scratch. Writes everything to `.transfer-lab/demo/summary.json`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { latestCheckpoint } from '../../core/experiment/name.js';
import { readSummary } from '../../core/runs/store.js';
import type { RunSummary } from '../../core/runs/events.js';
import { drawStats, pairedComparison, type DrawStats, type PairedComparison } from '../../core/runs/draws.js';
import type { BackendPreference } from '../../protocol/worker.js';
import { formatTable, pct, secs } from '../table.js';
import { runThroughWorker } from './run.js';

/** One run of the demo. */
export interface DemoRow {
  /** Labelled target images per class; null for the source run. */
  labelsPerClass: number | null;
  experiment: string;
  strategy: string;
  /** The draw: the run's `training.seed` (absent for the source). */
  seed?: number;
  status: string;
  runId: string;
  testAccuracy?: number;
  bestValAccuracy?: number;
  seconds: number;
  backend?: string;
  /** The source run was trained by an earlier demo and reused (its seconds are not in this demo's). */
  reused?: boolean;
}

/** One strategy at one target size, over its draws. */
export interface DemoAggregate {
  labelsPerClass: number;
  experiment: string;
  strategy: string;
  /** Test accuracy (fraction) over draws. */
  test: DrawStats;
  /** Best validation accuracy (fraction) over draws: what model selection saw. */
  bestVal: DrawStats;
  /** Seconds of all its runs. */
  seconds: number;
  /** Test accuracy minus scratch's, paired by draw (absent for scratch). */
  vsScratch?: PairedComparison;
}

/** `.transfer-lab/demo/summary.json`. */
export interface DemoSummary {
  createdAt: string;
  /** Wall-clock seconds of the whole demo. */
  seconds: number;
  backend?: { name: string; reason: string };
  /** Seeds of the label draws per labels-per-class. */
  draws: Record<string, number[]>;
  rows: DemoRow[];
  aggregates: DemoAggregate[];
}

const STRATEGIES = ['scratch', 'feature-extraction', 'fine-tune'] as const;

/**
 * Label draws (seeds) per target size. At 10 labels per class the draw moves test accuracy by
 * several points, so it gets more draws; the runs are short (50 training images).
 */
export const DEMO_DRAWS: Record<number, number[]> = { 10: [1, 2, 3, 4, 5], 50: [1, 2, 3] };

function row(s: RunSummary, n: number | null, seed?: number): DemoRow {
  return {
    labelsPerClass: n,
    experiment: s.experiment,
    strategy: s.strategy,
    ...(seed !== undefined ? { seed } : {}),
    status: s.status,
    runId: s.runId,
    ...(s.test ? { testAccuracy: s.test.accuracy } : {}),
    ...(s.best?.valAccuracy !== undefined ? { bestValAccuracy: s.best.valAccuracy } : {}),
    seconds: s.seconds,
    ...(s.backend ? { backend: s.backend.name } : {}),
  };
}

/** Per (size, strategy) statistics over draws, with the paired difference from scratch. */
export function aggregateDemo(rows: readonly DemoRow[]): DemoAggregate[] {
  const out: DemoAggregate[] = [];
  const sizes = [...new Set(rows.flatMap((r) => (r.labelsPerClass === null ? [] : [r.labelsPerClass])))];
  for (const n of sizes) {
    const byStrategy = new Map<string, DemoRow[]>();
    for (const r of rows)
      if (r.labelsPerClass === n && r.testAccuracy !== undefined && r.seed !== undefined)
        byStrategy.set(r.strategy, [...(byStrategy.get(r.strategy) ?? []), r]);
    const scratch = new Map((byStrategy.get('scratch') ?? []).map((r) => [r.seed!, r.testAccuracy!]));
    for (const [strategy, rs] of byStrategy) {
      const test = new Map(rs.map((r) => [r.seed!, r.testAccuracy!]));
      out.push({
        labelsPerClass: n,
        experiment: rs[0]!.experiment,
        strategy,
        test: drawStats([...test.values()]),
        bestVal: drawStats(rs.map((r) => r.bestValAccuracy ?? 0)),
        seconds: rs.reduce((a, r) => a + r.seconds, 0),
        ...(strategy !== 'scratch' && scratch.size > 0 ? { vsScratch: pairedComparison(test, scratch) } : {}),
      });
    }
  }
  return out;
}

const pt = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

/**
 * Runs the demo: the source (unless its checkpoint exists), then every target run, `jobs` at a time
 * (default: the number of cores).
 * @returns 0 when every run completed, else 1 (2 when an example file is invalid).
 */
export async function demoCommand(o: {
  examplesDir: string;
  runsDir: string;
  outDir: string;
  backend: BackendPreference;
  json?: boolean;
  draws?: Record<number, number[]>;
  jobs?: number;
}): Promise<number> {
  const t0 = performance.now();
  const draws = o.draws ?? DEMO_DRAWS;
  const rows: DemoRow[] = [];
  let backend: DemoSummary['backend'];
  const log = (s: string) => process.stderr.write(s + '\n');
  const source = path.join(o.examplesDir, 'digits-source.transfer.json');
  const reuse = latestCheckpoint(o.runsDir, 'digits-source', 'best');
  if (reuse) {
    log(`source: reusing ${path.relative(process.cwd(), reuse)} (delete ${path.relative(process.cwd(), path.join(o.runsDir, 'digits-source'))} to retrain)`);
    // …/<run>/checkpoints/best/model.json → the run's summary, so the table still shows the source.
    const reused = readSummary(path.dirname(path.dirname(path.dirname(reuse))));
    if (reused) rows.push({ ...row(reused, null), reused: true });
  } else {
    log('source: training the small CNN on MNIST digits 0–4 …');
    const r = await runThroughWorker(source, { runsDir: o.runsDir, backend: o.backend, quiet: false });
    if (!r.summary || r.summary.status !== 'completed') {
      log(`source run failed: ${r.error ?? r.summary?.status}`);
      return r.exitCode || 1;
    }
    rows.push(row(r.summary, null));
  }
  // Every (size, draw, strategy) run is independent once the source exists: run them `jobs` at a
  // time (one worker per core: the wasm backend uses one thread), rows kept in task order.
  const tasks = Object.entries(draws).flatMap(([n, seeds]) =>
    seeds.flatMap((seed) => STRATEGIES.map((strategy) => ({ n: Number(n), seed, file: `digits-5-9-${n}-${strategy}.transfer.json` }))),
  );
  const results: (DemoRow | undefined)[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  let failure: number | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const i = next++;
      const t = tasks[i]!;
      const r = await runThroughWorker(path.join(o.examplesDir, t.file), { runsDir: o.runsDir, backend: o.backend, quiet: true, seed: t.seed });
      done++;
      if (!r.summary) {
        log(`${t.file} (seed ${t.seed}) failed: ${r.error}`);
        failure ??= r.exitCode || 1;
        return;
      }
      if (r.summary.backend) backend = { name: r.summary.backend.name, reason: r.summary.backend.reason };
      results[i] = row(r.summary, t.n, t.seed);
      log(
        `[${done}/${tasks.length}] ${t.n}/class draw ${t.seed} ${r.summary.strategy}: ${r.summary.status}, test ${pct(r.summary.test?.accuracy)} (${secs(r.summary.seconds)} s)`,
      );
    }
  };
  const jobs = Math.max(1, Math.min(o.jobs ?? os.availableParallelism(), tasks.length));
  log(`targets: ${tasks.length} runs, ${jobs} at a time`);
  await Promise.all(Array.from({ length: jobs }, lane));
  if (failure !== undefined) return failure;
  rows.push(...results.filter((r): r is DemoRow => r !== undefined));
  const aggregates = aggregateDemo(rows);
  const seconds = (performance.now() - t0) / 1000;
  const out: DemoSummary = {
    createdAt: new Date().toISOString(),
    seconds,
    ...(backend ? { backend } : {}),
    draws: Object.fromEntries(Object.entries(draws)),
    rows,
    aggregates,
  };
  fs.mkdirSync(o.outDir, { recursive: true });
  fs.writeFileSync(path.join(o.outDir, 'summary.json'), JSON.stringify(out, null, 2) + '\n');
  if (o.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else process.stdout.write(formatDemo(out, path.relative(process.cwd(), path.join(o.outDir, 'summary.json'))));
  return rows.every((r) => r.status === 'completed') ? 0 : 1;
}

/** The demo's terminal report: the table over draws, the paired differences, the backend, the time. */
export function formatDemo(d: DemoSummary, file: string): string {
  const src = d.rows.find((r) => r.labelsPerClass === null);
  const lines = [
    '',
    'Transfer from MNIST digits 0–4 to digits 5–9: test accuracy on held-out 5–9 digits, mean ± sd over label draws',
    '(a draw = another seed: other labelled images, validation/test split and initialisation; every strategy sees the same draws)',
    '',
    formatTable(
      ['labels/class', 'strategy', 'draws', 'test acc', 'min–max', 'best val acc', 'seconds (all draws)'],
      d.aggregates.map((a) => [
        a.labelsPerClass,
        a.strategy,
        a.test.n,
        `${pct(a.test.mean)} ± ${(a.test.sd * 100).toFixed(1)}`,
        `${(a.test.min * 100).toFixed(1)}–${pct(a.test.max)}`,
        pct(a.bestVal.mean),
        secs(a.seconds),
      ]),
    ),
    '',
    'Transfer minus scratch, paired by draw (test accuracy, points):',
    ...d.aggregates
      .filter((a) => a.vsScratch)
      .map((a) => {
        const c = a.vsScratch!;
        return `  ${String(a.labelsPerClass).padStart(2)} labels/class  ${a.strategy.padEnd(17)}  ${pt(c.stats.mean)} ± ${(c.standardError * 100).toFixed(1)} (s.e.), per draw ${c.differences.map(pt).join(' ')}: better in ${c.wins}/${c.stats.n}`;
      }),
    '',
    src
      ? `source: ${src.experiment} (${src.strategy}) test ${pct(src.testAccuracy)}, best val ${pct(src.bestValAccuracy)}, ${secs(src.seconds)} s${src.reused ? ` (run ${src.runId}, reused)` : ''}`
      : 'source: reused checkpoint',
    `backend: ${d.backend ? `${d.backend.name} (${d.backend.reason})` : '–'}`,
    `total ${d.seconds.toFixed(1)} s; every run is in .transfer-lab/runs; table written to ${file}`,
    '',
  ];
  return lines.join('\n');
}
