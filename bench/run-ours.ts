/**
 * Runs one experiment through Transfer Lab's real product path — the training worker the CLI and
 * the extension fork (`dist/worker.js`), the run store, the trainer — and times it from outside:
 * every event is stamped when it arrives, and the worker's CPU time and peak resident set are read
 * from `/proc/<pid>` at the same moment (CPU time is what a contended machine distorts least).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendPreference } from '../src/protocol/worker.js';
import type { EpochEvent, RunSummary } from '../src/core/runs/events.js';
import { startWorker } from '../src/worker/client.js';

/** One epoch as the trainer reported it, with the bench's clocks. */
export interface OurEpoch {
  epoch: number;
  /** The trainer's wall time of the epoch (training steps + validation), seconds. */
  seconds: number;
  /** Worker CPU time (user + system) since the previous epoch's event (or the stage start), checkpoint writes included, seconds. */
  cpuSeconds: number;
  samplesPerSecond: number;
  valAccuracy?: number;
  trainLoss: number;
  /** Seconds from the start of the training stage (frozen-feature caching included) to this epoch's end. */
  elapsed: number;
}

/** What one run through the worker measured. */
export interface OurRun {
  backend: string;
  backendReason: string;
  runDir?: string;
  status: string;
  trainExamples: number;
  epochs: OurEpoch[];
  /** Seconds from the stage start to the first epoch whose validation accuracy reached the target. */
  timeToTarget?: number;
  /** Worker CPU seconds over the same span. */
  cpuTimeToTarget?: number;
  /** Seconds spent before the first training step of the stage (frozen-prefix features cached), when logged. */
  cacheSeconds?: number;
  /** Inference on the test set: the best checkpoint loaded and evaluated in the trainer's inference batches. */
  test?: { examples: number; seconds: number; cpuSeconds: number; samplesPerSecond: number; accuracy: number };
  /** Peak resident set of the worker: from the run summary, else the last `VmHWM` read, bytes. */
  rssPeakBytes?: number;
  /** Size (= peak) of the worker's wasm heap at the end of the run, bytes (from the run summary). */
  wasmHeapBytes?: number;
  error?: string;
}

/** Options of {@link runOurs}. */
export interface RunOursOptions {
  experimentFile: string;
  runsDir: string;
  workerPath: string;
  backend: BackendPreference;
  /** Validation accuracy whose first epoch is timed. */
  target?: number;
}

/** CPU seconds (user + system) of process `pid`, or undefined once it is gone. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK = 100)
  } catch {
    return undefined;
  }
}

/** Peak resident set (`VmHWM`) of process `pid`, bytes, or undefined once it is gone. */
function rssPeak(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `o.experimentFile` to the end in a worker; resolves with what it measured (never rejects). */
export async function runOurs(o: RunOursOptions): Promise<OurRun> {
  const run: OurRun = { backend: '', backendReason: '', status: 'failed', trainExamples: 0, epochs: [] };
  let stageAt: number | undefined;
  let stageCpu = 0;
  let lastCpu = 0;
  let lastEpochAt: number | undefined;
  let lastEpochCpu: number | undefined;
  let summary: RunSummary | undefined;
  let output = '';
  let hwm: number | undefined;
  const worker = startWorker({
    workerPath: o.workerPath,
    experimentFile: path.resolve(o.experimentFile),
    runsDir: o.runsDir,
    backend: o.backend,
    onOutput: (t) => (output += t),
    onMessage: (m) => {
      const now = performance.now() / 1000;
      const cpu = cpuSeconds(worker.pid) ?? lastCpu;
      hwm = rssPeak(worker.pid) ?? hwm;
      switch (m.type) {
        case 'backend':
          run.backend = m.backend.name;
          run.backendReason = m.backend.reason;
          break;
        case 'runStarted':
          run.runDir = m.runDir;
          break;
        case 'summary':
        case 'done':
          summary = m.summary;
          break;
        case 'fatal':
          run.error = m.message;
          break;
        case 'event': {
          const e = m.event;
          if (e.kind === 'stage' && stageAt === undefined) {
            stageAt = now;
            stageCpu = cpu;
          } else if (e.kind === 'step' && e.step === 0 && stageAt !== undefined) run.cacheSeconds = now - stageAt;
          else if (e.kind === 'epoch') {
            const ep = e as EpochEvent;
            const elapsed = now - (stageAt ?? now);
            run.epochs.push({
              epoch: ep.epoch,
              seconds: ep.seconds,
              cpuSeconds: cpu - (lastEpochCpu ?? stageCpu),
              samplesPerSecond: ep.samplesPerSecond,
              trainLoss: ep.trainLoss,
              ...(ep.valAccuracy !== undefined ? { valAccuracy: ep.valAccuracy } : {}),
              elapsed,
            });
            if (run.timeToTarget === undefined && o.target !== undefined && (ep.valAccuracy ?? -1) >= o.target) {
              run.timeToTarget = elapsed;
              run.cpuTimeToTarget = cpu - stageCpu;
            }
            lastEpochAt = now;
            lastEpochCpu = cpu;
          } else if (e.kind === 'test' && lastEpochAt !== undefined) {
            const seconds = now - lastEpochAt;
            run.test = { examples: e.examples, seconds, cpuSeconds: cpu - (lastEpochCpu ?? cpu), samplesPerSecond: e.examples / seconds, accuracy: e.accuracy };
          }
          break;
        }
      }
      lastCpu = cpu;
    },
  });
  const code = await worker.exited;
  if (summary) {
    run.status = summary.status;
    run.trainExamples = summary.examples?.train ?? 0;
    if (summary.error) run.error = summary.error;
    // The worker records its memory in the summary (`backend/memory.ts`).
    if (summary.memory) run.rssPeakBytes = summary.memory.rssPeakBytes;
    if (summary.memory?.wasmHeapBytes !== undefined) run.wasmHeapBytes = summary.memory.wasmHeapBytes;
  }
  run.rssPeakBytes ??= hwm;
  if (!summary && !run.error) run.error = `worker exited (${code}) without a result: ${output.trim().split('\n').slice(-5).join(' | ')}`;
  return run;
}
