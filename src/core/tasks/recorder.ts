/**
 * The run recorder: the one writer of a run's record, used by every task (training, transductive
 * and unsupervised runs, the analyses). It creates the run folder (`runs/store.ts`), keeps the live
 * `summary.json`, appends events to `metrics.jsonl` (logs also to `worker.log`), writes result files
 * (`runs/artifacts.ts`) and headline numbers, forwards everything to the {@link RunCallbacks} (the
 * worker sends them over IPC), and finishes the record (status, end time, CPU time, memory).
 */
import type { PhaseProgress } from '../progress.js';
import type { DownloadProgress } from '../models/download.js';
import * as path from 'node:path';
import { memoryUsage } from '../backend/memory.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { ARTIFACT_FILES, type ArtifactName } from '../runs/artifacts.js';
import type { BackendInfo, RunEvent, RunResult, RunStatus, RunSummary } from '../runs/events.js';
import { createRun, writeJsonAtomic, type RunHandle } from '../runs/store.js';

/** Callbacks of a run (the worker forwards them over IPC). */
export interface RunCallbacks {
  backend?(info: BackendInfo): void;
  started?(runId: string, runDir: string, experiment: ResolvedExperiment): void;
  event?(runId: string, e: RunEvent): void;
  summary?(runId: string, s: RunSummary): void;
  /** Progress of the base model's download (a `url` base). */
  download?(p: DownloadProgress): void;
  /** Progress of the preparation (photos decoded, frozen features computed), at most every 250 ms per phase. */
  phase?(p: PhaseProgress): void;
  /** Polled between steps. */
  shouldStop?(): boolean;
}

/** What a run's first `summary.json` says beside the fields every run has. */
export interface RecordOptions {
  /** Shown as the run's strategy (the experiment's `transfer.strategy`, or `layerSweep`, `unsupervised`…). */
  strategy: string;
  /** Epochs the run plans (0 for analyses). */
  epochsPlanned: number;
  /** Further summary fields known at the start (`task`, `transferKind`, `stepsPerEpoch`, `examples`). */
  summary?: Partial<RunSummary>;
}

/**
 * The record of one run, open for writing. Create it with {@link RunRecorder.open}, write the labels
 * if any, call {@link start}, then emit events and results, and end with {@link finish}.
 * Not safe to share between processes (one worker writes one run).
 */
export class RunRecorder {
  /** Live summary; a task may set fields (`examples`, `final`…) and call {@link writeSummary}. */
  readonly summary: RunSummary;
  private readonly t0 = performance.now();

  private constructor(
    readonly exp: ResolvedExperiment,
    readonly run: RunHandle,
    private readonly backend: BackendInfo,
    private readonly cb: RunCallbacks,
    opts: RecordOptions,
  ) {
    this.summary = {
      runId: run.id,
      experiment: exp.name,
      experimentFile: exp.file,
      status: 'running',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      seconds: 0,
      backend,
      strategy: opts.strategy,
      seed: exp.training.seed,
      epochsPlanned: opts.epochsPlanned,
      epochsDone: 0,
      ...opts.summary,
    };
  }

  /**
   * Creates the run folder of `exp` under `runsDir` (writing `config.json`); nothing else is written yet.
   * @throws Node fs errors when the folder cannot be created.
   */
  static open(exp: ResolvedExperiment, runsDir: string, backend: BackendInfo, cb: RunCallbacks, opts: RecordOptions): RunRecorder {
    return new RunRecorder(exp, createRun(runsDir, exp), backend, cb, opts);
  }

  /** The run id (`YYYYMMDD-HHMMSS-xxxx`). */
  get id(): string {
    return this.run.id;
  }

  /** Absolute run folder. */
  get dir(): string {
    return this.run.dir;
  }

  /** Writes the first `summary.json` and the run's space reserve, reports the start (`started` callback) and logs the backend. */
  start(): void {
    this.writeSummary();
    this.run.reserveSpace();
    this.cb.started?.(this.run.id, this.run.dir, this.exp);
    this.emit({ kind: 'log', level: 'info', message: `backend ${this.backend.name}: ${this.backend.reason}` });
  }

  /** Appends `e` to `metrics.jsonl` (a log event also to `worker.log`) and forwards it to the callbacks. */
  emit(e: RunEvent): void {
    this.run.append(e);
    if (e.kind === 'log') this.run.log(`[${e.level}] ${e.message}`);
    this.cb.event?.(this.run.id, e);
  }

  /** Sets the elapsed seconds and rewrites `summary.json` atomically (progress); forwards it to the callbacks. */
  writeSummary(): void {
    this.summary.seconds = (performance.now() - this.t0) / 1000;
    this.run.writeSummary(this.summary);
    this.cb.summary?.(this.run.id, this.summary);
  }

  /**
   * Writes a result file atomically, lists it in the summary (rewritten) and emits an `artifact` event.
   * @returns the file name, relative to the run folder.
   * @throws Node fs errors when the file cannot be written.
   */
  writeArtifact(name: ArtifactName, value: unknown): string {
    const file = ARTIFACT_FILES[name];
    writeJsonAtomic(path.join(this.run.dir, file), value);
    this.summary.artifacts = { ...this.summary.artifacts, [name]: file };
    this.emit({ kind: 'artifact', name, file });
    this.writeSummary();
    return file;
  }

  /** Adds a headline number to the summary (written with the next {@link writeSummary}). */
  result(name: string, value: number, unit?: RunResult['unit']): void {
    (this.summary.results ??= []).push({ name, value, ...(unit ? { unit } : {}) });
  }

  /** True once a stop was requested (the callbacks' `shouldStop`). */
  shouldStop(): boolean {
    return this.cb.shouldStop?.() ?? false;
  }

  /**
   * Records a thrown error: status `failed`, its message in the summary, its stack in the log. A full
   * disk (ENOSPC) is said in words with the run folder; the log line is then best effort.
   */
  fail(e: unknown): void {
    this.summary.status = 'failed';
    const message = (e as Error).message ?? String(e);
    this.summary.error = (e as NodeJS.ErrnoException).code === 'ENOSPC' ? `the disk is full (writing the run in ${this.run.dir}): ${message}` : message;
    try {
      this.emit({ kind: 'log', level: 'error', message: (e as Error).stack ?? String(e) });
    } catch {
      // the disk that failed the run may also refuse the log line; summary.json still records the error
    }
  }

  /**
   * Ends the record: `status` when given, else the status set so far; end time, the process's CPU
   * seconds and memory (`backend/memory.ts`); no pid (the run is no longer live). Writes the final
   * `summary.json` (on a full disk, after giving back the run's space reserve), closes `metrics.jsonl`
   * and deletes the reserve.
   * @returns the final summary.
   */
  finish(status?: RunStatus): RunSummary {
    if (status) this.summary.status = status;
    this.summary.endedAt = new Date().toISOString();
    const cpu = process.cpuUsage();
    this.summary.cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const mem = memoryUsage();
    this.summary.memory = { rssPeakBytes: mem.rssPeakBytes, ...(mem.wasmHeapBytes !== undefined ? { wasmHeapBytes: mem.wasmHeapBytes } : {}) };
    delete this.summary.pid;
    try {
      this.writeSummary();
    } catch (e) {
      // A full disk: give back the space kept for this moment and write once more, so the record says what happened.
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC' || !this.run.releaseReserve()) throw e;
      this.writeSummary();
    }
    this.run.close();
    this.run.releaseReserve();
    return this.summary;
  }
}
