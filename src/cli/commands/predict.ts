/**
 * `transfer-lab predict <run-folder|experiment> <file|folder…>`: classifies images (or text files, for a
 * text run) with a run's best
 * checkpoint and its training preprocessing (`core/prediction/predict.ts`), in this process; prints
 * the top-k classes per file as a table, `--json` or `--csv`. Skipped files go to stderr (and into
 * `--json`). Exit codes: 0 ok (some files may be skipped), 2 bad input (no such run, no readable file).
 */
import { initBackend } from '../../core/backend/index.js';
import { isDataError } from '../../core/data/index.js';
import { ModelError } from '../../core/models/io.js';
import { collectFiles, predictFiles, resolvePredictionRun, type PredictionResult } from '../../core/prediction/predict.js';
import type { BackendPreference } from '../../protocol/worker.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../worker/exit-codes.js';
import * as path from 'node:path';
import { formatTable, pct } from '../table.js';

export interface PredictCommandOptions {
  runsDir: string;
  backend: BackendPreference;
  topK?: number;
  json?: boolean;
  csv?: boolean;
}

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The predictions as CSV: one row per file, `file,class_1,probability_1,…,class_k,probability_k`. */
export function predictionsCsv(r: PredictionResult): string {
  const k = Math.max(0, ...r.predictions.map((p) => p.top.length));
  const header = ['file', ...Array.from({ length: k }, (_, i) => [`class_${i + 1}`, `probability_${i + 1}`]).flat()];
  const rows = r.predictions.map((p) => [p.file, ...p.top.flatMap((t) => [t.className, t.probability.toFixed(6)])]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** The `predict` command. @returns the process exit code. */
export async function predictCommand(target: string, inputs: string[], o: PredictCommandOptions): Promise<number> {
  let result: PredictionResult;
  try {
    const run = resolvePredictionRun(target, o.runsDir);
    const { files, skipped } = collectFiles(inputs);
    await initBackend(o.backend);
    result = await predictFiles(run, files, o.topK !== undefined ? { topK: o.topK } : {});
    result.skipped.unshift(...skipped);
  } catch (e) {
    if (!isDataError(e) && !(e instanceof ModelError)) throw e;
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (!o.json) for (const s of result.skipped) process.stderr.write(`skipped ${s.file}: ${s.reason}\n`);
  if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else if (o.csv) process.stdout.write(predictionsCsv(result));
  else if (result.predictions.length) {
    process.stderr.write(`run ${result.runId} (${result.experiment}), ${result.checkpoint} checkpoint, input ${result.inputShape.join('×')}\n`);
    const k = Math.max(...result.predictions.map((p) => p.top.length));
    const header = ['file', ...Array.from({ length: k }, (_, i) => (i === 0 ? 'predicted' : `top ${i + 1}`))];
    const shown = (f: string) => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f));
    const rows = result.predictions.map((p) => [shown(p.file), ...p.top.map((t) => `${t.className} ${pct(t.probability)}`)]);
    process.stdout.write(formatTable(header, rows) + '\n');
  }
  if (result.predictions.length === 0) {
    process.stderr.write(`error: no ${result.kind === 'text' ? 'document' : 'image'} could be classified (${result.skipped.length} skipped)\n`);
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}
