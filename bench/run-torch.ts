/**
 * Runs the PyTorch reference (`bench/torch_reference.py`) on an exported case, with its thread
 * count pinned three ways (torch.set_num_threads, OMP_NUM_THREADS for oneDNN/ATen, and
 * OPENBLAS_NUM_THREADS for OpenBLAS's own pthread pool), and parses its RESULT line.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** Python that has Debian's python3-torch (not a pyenv shim on PATH); override with TORCH_PYTHON. */
export const TORCH_PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

/** One epoch of the reference. Times in seconds. */
export interface TorchEpoch {
  epoch: number;
  seconds: number;
  cpuSeconds: number;
  samplesPerSecond: number;
  valAccuracy: number;
  trainLoss: number;
  elapsed: number;
}

/** What `torch_reference.py` prints. Times in seconds, memory in bytes. */
export interface TorchRun {
  framework: string;
  threads: number;
  /** The BLAS library torch loaded (threadpoolctl's report). */
  blas: string;
  trainExamples: number;
  /** Largest |torch − Transfer Lab| logit of the converted network before training. */
  initialLogitsMaxAbsDiff: number;
  epochs: TorchEpoch[];
  timeToTarget: number | null;
  /** CPU seconds of the process over the same epochs. */
  cpuTimeToTarget?: number | null;
  test: { examples: number; seconds: number; cpuSeconds: number; samplesPerSecond: number; accuracy: number } | null;
  rssPeakBytes: number;
  error?: string;
}

/**
 * Runs the reference on `specFile` (written by `exportForTorch`) with `threads` threads.
 * @param target validation accuracy whose first epoch is timed.
 * @returns its result, or a result with `error` set (never rejects).
 */
export function runTorch(specFile: string, threads: number, target?: number): Promise<TorchRun> {
  const script = path.join(__dirname, 'torch_reference.py');
  const args = [script, specFile, '--threads', String(threads), ...(target !== undefined ? ['--target', String(target)] : [])];
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), PYTHONWARNINGS: 'ignore' };
  return new Promise((resolve) => {
    const child = spawn(TORCH_PYTHON, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const fail = (why: string): TorchRun => ({
      framework: 'torch',
      threads,
      blas: '?',
      trainExamples: 0,
      initialLogitsMaxAbsDiff: NaN,
      epochs: [],
      timeToTarget: null,
      test: null,
      rssPeakBytes: 0,
      error: why,
    });
    child.on('error', (e) => resolve(fail(`cannot start ${TORCH_PYTHON}: ${e.message}`)));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) return resolve(fail(`${TORCH_PYTHON} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      resolve(JSON.parse(line.slice('RESULT '.length)) as TorchRun);
    });
  });
}
