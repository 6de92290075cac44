/**
 * Classifies files with a run's checkpoint for "Classify with Run…": runs `transfer-lab predict
 * <runDir> <files…> --json` (the bundled CLI, `dist/cli.js`) on the worker's runtime, so tfjs never
 * loads in the extension host, and returns its JSON. The CLI applies the run's own preprocessing
 * (`core/prediction/predict.ts`).
 */
import { execFile } from 'node:child_process';
import type { PredictionResult } from '../../core/prediction/predict.js';
import type { WorkerRuntime } from '../runs/workerRuntime.js';

/** What {@link classifyWithCli} needs. */
export interface ClassifyRequest {
  /** `dist/cli.js` of the extension. */
  cliPath: string;
  runtime: WorkerRuntime;
  /** The run folder whose checkpoint classifies. */
  runDir: string;
  /** Image files and folders (folders are read recursively by the CLI). */
  inputs: string[];
  /** Classes listed per file. */
  topK: number;
  /** tfjs backend (`--backend`). */
  backend: 'auto' | 'tensorflow' | 'wasm';
  /** Extra environment (backend, feature cache). */
  env?: Record<string, string>;
  /** Cancels the child process. */
  signal?: AbortSignal;
}

/** The CLI refused the input (exit code 2: no run, no checkpoint, nothing readable); the message is its own. */
export class ClassifyError extends Error {}

/**
 * Runs the CLI and parses its `--json` output.
 * @throws ClassifyError with the CLI's message when it exits with code 2, or an Error with the exit
 *   code and the end of stderr for any other failure.
 */
export function classifyWithCli(r: ClassifyRequest): Promise<PredictionResult> {
  const args = [r.cliPath, 'predict', r.runDir, ...r.inputs, '--json', '--top-k', String(r.topK), '--backend', r.backend];
  return new Promise((resolve, reject) => {
    execFile(
      r.runtime.execPath,
      args,
      { env: { ...process.env, ...r.runtime.env, ...r.env }, maxBuffer: 256 * 1024 * 1024, signal: r.signal },
      (err, stdout, stderr) => {
        const message = String(stderr)
          .trim()
          .split('\n')
          .filter(Boolean)
          .slice(-3)
          .join(' ')
          .replace(/^error: /, '');
        if (err) {
          const code = (err as { code?: unknown }).code;
          reject(
            code === 2
              ? new ClassifyError(message || 'nothing could be classified')
              : new Error(`transfer-lab predict failed (${String(code ?? err.message)}): ${message}`),
          );
          return;
        }
        try {
          resolve(JSON.parse(String(stdout)) as PredictionResult);
        } catch (e) {
          reject(new Error(`transfer-lab predict printed no JSON: ${(e as Error).message}`));
        }
      },
    );
  });
}
