/**
 * `transfer-lab demo`: the main job on real data. Trains the source CNN on MNIST digits 0–4 (or
 * reuses its checkpoint), then the digits 5–9 targets with 10 and 50 labels per class — scratch,
 * feature extraction, fine-tuning — on identical splits, and prints test accuracy on held-out 5–9
 * digits. Writes the table to `.transfer-lab/demo/summary.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { latestCheckpoint } from '../../core/models/network.js';
import type { RunSummary } from '../../core/runs/events.js';
import type { BackendPreference } from '../../protocol/worker.js';
import { formatTable, pct, secs } from '../table.js';
import { runThroughWorker } from './run.js';

/** One row of the demo table. */
export interface DemoRow {
  labelsPerClass: number | null;
  experiment: string;
  strategy: string;
  status: string;
  testAccuracy?: number;
  bestValAccuracy?: number;
  seconds: number;
  backend?: string;
}

const TARGETS = [10, 50].flatMap((n) =>
  (['scratch', 'feature-extraction', 'fine-tune'] as const).map((s) => ({ n, file: `digits-5-9-${n}-${s}.transfer.json` })),
);

function row(s: RunSummary, n: number | null): DemoRow {
  return {
    labelsPerClass: n,
    experiment: s.experiment,
    strategy: s.strategy,
    status: s.status,
    ...(s.test ? { testAccuracy: s.test.accuracy } : {}),
    ...(s.best?.valAccuracy !== undefined ? { bestValAccuracy: s.best.valAccuracy } : {}),
    seconds: s.seconds,
    ...(s.backend ? { backend: s.backend.name } : {}),
  };
}

/** Runs the demo. @returns 0 when every run completed, else 1 (2 when an example file is invalid). */
export async function demoCommand(o: { examplesDir: string; runsDir: string; outDir: string; backend: BackendPreference; json?: boolean }): Promise<number> {
  const t0 = performance.now();
  const rows: DemoRow[] = [];
  const log = (s: string) => process.stderr.write(s + '\n');
  const source = path.join(o.examplesDir, 'digits-source.transfer.json');
  const reuse = latestCheckpoint(o.runsDir, 'digits-source', 'best');
  if (reuse) {
    log(`source: reusing ${path.relative(process.cwd(), reuse)} (delete ${path.relative(process.cwd(), path.join(o.runsDir, 'digits-source'))} to retrain)`);
  } else {
    log('source: training the small CNN on MNIST digits 0–4 …');
    const r = await runThroughWorker(source, { runsDir: o.runsDir, backend: o.backend, quiet: false });
    if (!r.summary || r.summary.status !== 'completed') {
      log(`source run failed: ${r.error ?? r.summary?.status}`);
      return r.exitCode || 1;
    }
    rows.push(row(r.summary, null));
  }
  for (const t of TARGETS) {
    log(`target: ${t.file} …`);
    const r = await runThroughWorker(path.join(o.examplesDir, t.file), { runsDir: o.runsDir, backend: o.backend, quiet: true });
    if (!r.summary) {
      log(`  failed: ${r.error}`);
      return r.exitCode || 1;
    }
    rows.push(row(r.summary, t.n));
    log(`  ${r.summary.status}: test accuracy ${pct(r.summary.test?.accuracy)} in ${secs(r.summary.seconds)} s`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const out = { createdAt: new Date().toISOString(), seconds, rows };
  fs.mkdirSync(o.outDir, { recursive: true });
  fs.writeFileSync(path.join(o.outDir, 'summary.json'), JSON.stringify(out, null, 2) + '\n');
  if (o.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    process.stdout.write(
      '\nTransfer from MNIST digits 0–4 to digits 5–9 (test: held-out 5–9 digits, identical for every row)\n\n' +
        formatTable(
          ['labels/class', 'experiment', 'strategy', 'test acc', 'best val acc', 'seconds', 'backend'],
          rows.map((r) => [r.labelsPerClass ?? 'source', r.experiment, r.strategy, pct(r.testAccuracy), pct(r.bestValAccuracy), secs(r.seconds), r.backend ?? '–']),
        ) +
        `\n\ntotal ${seconds.toFixed(1)} s; written to ${path.relative(process.cwd(), path.join(o.outDir, 'summary.json'))}\n`,
    );
  }
  return rows.every((r) => r.status === 'completed') ? 0 : 1;
}
