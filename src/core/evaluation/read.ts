/** Reads a run's `evaluation.json` (see `runs/artifacts.ts`); runs from before it existed have none. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACT_FILES, type EvaluationFile } from '../runs/artifacts.js';
import type { RunSummary } from '../runs/events.js';

/**
 * The evaluation of a run folder, or undefined when the run has none (older runs, runs without a test
 * or validation split, failed runs) or the file cannot be read.
 */
export function readEvaluation(runDir: string, summary?: RunSummary): EvaluationFile | undefined {
  if (summary && !summary.artifacts?.evaluation) return undefined;
  try {
    const v = JSON.parse(fs.readFileSync(path.join(runDir, ARTIFACT_FILES.evaluation), 'utf8')) as EvaluationFile;
    return v.version === 1 && Array.isArray(v.confusion) ? v : undefined;
  } catch {
    return undefined;
  }
}
