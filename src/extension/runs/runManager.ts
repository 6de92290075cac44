/**
 * Starts, tracks and stops runs: training runs and the analysis tasks (advise, layer sweep, Gabor
 * match), which are runs of the experiment too. Each run is the worker (`dist/worker.js`) forked by the
 * shared worker client (`src/worker/client.ts`, also used by the CLI) with the checked runtime. The
 * manager caps concurrent runs, stops gracefully (a `stop` message, then SIGKILL after a grace
 * period), records crashes in the run's summary, and on dispose leaves no worker running.
 */
import type { DownloadProgress } from '../../core/models/download.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PhaseProgress } from '../../core/progress.js';
import { PREP_THREADS_ENV } from '../../core/features/pass-helpers.js';
import type { BackendInfo, RunStatus, RunSummary } from '../../core/runs/events.js';
import type { RunTask } from '../../core/runs/artifacts.js';
import type { WorkerRunSettings, WorkerToHost } from '../../protocol/worker.js';
import { startWorker, type WorkerHandle } from '../../worker/client.js';
import { finishInterruptedRun } from './runFinalizer.js';
import { resolveWorkerRuntime } from './workerRuntime.js';

/** How a run ended. */
export interface RunOutcome {
  /** `fatal`: the worker failed before a run folder existed. */
  status: RunStatus | 'fatal';
  runId?: string;
  runDir?: string;
  summary?: RunSummary;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Error text (fatal message, crash reason). */
  message?: string;
  /** Last lines the worker wrote to stderr/stdout. */
  outputTail: string[];
}

/** A run this window is training. */
export interface ActiveRun {
  /** Local id, unique in this window (the run id is known only after `runStarted`). */
  readonly key: number;
  readonly experimentFile: string;
  /** What the worker runs (`train`, or an analysis task). */
  readonly task: RunTask;
  readonly pid: number;
  state: 'starting' | 'running' | 'stopping';
  runId?: string;
  runDir?: string;
  experiment?: string;
  backend?: BackendInfo;
  summary?: RunSummary;
  /** Epochs finished so far. */
  epochsDone: number;
  /** Optimizer steps done so far (0 before the first). */
  step: number;
  /** Last reported training loss, for the status bar. */
  lastLoss?: number;
  /** The base model's download while it lasts (a `url` base not yet in the cache). */
  download?: DownloadProgress;
  /** The preparation under way (decoding photos, frozen features), until the next step. */
  phase?: PhaseProgress;
  /** Settles when the worker process has exited. */
  readonly done: Promise<RunOutcome>;
}

/** Starting failed: over the cap, bad runtime, or the worker reported a fatal error. */
export class RunStartError extends Error {
  constructor(
    message: string,
    readonly outcome?: RunOutcome,
  ) {
    super(message);
  }
}

/** Options of {@link RunManager.start}: the worker's run settings (`runsDir`, `backend`, `task` — see `core/tasks/run-task.ts` —, `taskOptions`) and the runtime. */
export interface StartOptions extends Pick<WorkerRunSettings, 'runsDir' | 'backend' | 'task' | 'taskOptions'> {
  nodePath: string;
  maxConcurrentRuns: number;
  /** Worker environment naming the frozen-feature cache (`featureCacheEnv` of the settings). */
  cacheEnv?: Record<string, string>;
}

interface Tracked extends ActiveRun {
  worker: WorkerHandle;
  outputTail: string[];
}

const TAIL_LINES = 40;
/** How long the worker gets to finish a step and write its checkpoint before it is killed (SIGKILL, `worker/client.ts`). */
export const DEFAULT_STOP_GRACE_MS = 15_000;

/** Owns every worker process of this window. */
export class RunManager implements vscode.Disposable {
  private readonly runs = new Map<number, Tracked>();
  private nextKey = 1;
  private readonly changed = new vscode.EventEmitter<ActiveRun | undefined>();
  private readonly ended = new vscode.EventEmitter<{ run: ActiveRun; outcome: RunOutcome }>();
  private readonly onHostExit = () => this.killAll();

  /** Fires when a run starts, progresses or ends. */
  readonly onDidChange = this.changed.event;
  /** Fires once per run after its worker exited. */
  readonly onDidEnd = this.ended.event;

  constructor(
    private readonly workerScript: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    process.once('exit', this.onHostExit);
  }

  /** Runs in progress, oldest first. */
  active(): ActiveRun[] {
    return [...this.runs.values()];
  }

  /** The run in progress for an experiment file, if any. */
  forExperiment(file: string): ActiveRun | undefined {
    return this.active().find((r) => r.experimentFile === file);
  }

  /** The run in progress with this run id (or local key), if any. */
  find(runIdOrKey: string | number): ActiveRun | undefined {
    return this.active().find((r) => r.runId === runIdOrKey || r.key === runIdOrKey);
  }

  /**
   * Forks a worker for the experiment and resolves once the worker has created the run folder
   * (`runStarted`). Rejects with {@link RunStartError} when over the cap, when the runtime check
   * fails, or when the worker exits or reports `fatal` first.
   */
  async start(experimentFile: string, opts: StartOptions): Promise<ActiveRun> {
    if (this.runs.size >= opts.maxConcurrentRuns) {
      throw new RunStartError(`${this.runs.size} run(s) already training; the limit is ${opts.maxConcurrentRuns} (setting "transferLab.maxConcurrentRuns").`);
    }
    if (this.forExperiment(experimentFile)) {
      throw new RunStartError(`${path.basename(experimentFile)} is already running.`);
    }
    if (!fs.existsSync(this.workerScript)) {
      throw new RunStartError(`The training worker is missing (${this.workerScript}); reinstall the extension or run "npm run build".`);
    }
    const runtime = await resolveWorkerRuntime(opts.nodePath);
    if (this.runs.size >= opts.maxConcurrentRuns || this.forExperiment(experimentFile)) {
      throw new RunStartError(`Another run started meanwhile; the limit is ${opts.maxConcurrentRuns} (setting "transferLab.maxConcurrentRuns").`);
    }
    this.log.info(
      `Starting ${opts.task && opts.task !== 'train' ? `${opts.task} of ` : ''}${experimentFile} with Node ${runtime.version} (${runtime.source}: ${runtime.execPath}), backend ${opts.backend}`,
    );

    let settle!: (o: RunOutcome) => void;
    const done = new Promise<RunOutcome>((r) => (settle = r));
    let onStarted!: (r: ActiveRun) => void;
    let final: WorkerToHost | undefined;
    const worker = startWorker({
      workerPath: this.workerScript,
      execPath: runtime.execPath,
      // A run's preparation uses every core only when it is the only run: beside another, its frozen pass stays on one thread.
      env: { ...runtime.env, ...opts.cacheEnv, ...(this.runs.size > 0 ? { [PREP_THREADS_ENV]: '1' } : {}), TRANSFER_LAB_HOST: 'vscode' },
      experimentFile,
      runsDir: opts.runsDir,
      backend: opts.backend,
      ...(opts.task ? { task: opts.task } : {}),
      ...(opts.taskOptions ? { taskOptions: opts.taskOptions } : {}),
      onMessage: (m) => {
        if (m.type === 'done' || m.type === 'fatal') final = m;
        this.onMessage(run, m, onStarted);
      },
      onOutput: (text) => this.onOutput(run, text),
    });
    if (worker.pid === undefined) {
      worker.kill();
      throw new RunStartError(`Could not start ${runtime.execPath}.`);
    }
    const run: Tracked = {
      key: this.nextKey++,
      experimentFile,
      task: opts.task ?? 'train',
      pid: worker.pid,
      state: 'starting',
      epochsDone: 0,
      step: 0,
      done,
      worker,
      outputTail: [],
    };
    this.runs.set(run.key, run);
    this.changed.fire(run);

    const started = new Promise<ActiveRun>((resolve, reject) => {
      onStarted = resolve;
      void worker.exited.then(async (code) => {
        const exitCode = typeof code === 'number' ? code : null;
        const signal = typeof code === 'string' ? (code as NodeJS.Signals) : null;
        const outcome = await this.onExit(run, final, exitCode, signal);
        settle(outcome);
        if (outcome.status === 'fatal' || !run.runId) {
          reject(new RunStartError(outcome.message ?? `The worker exited (${code}) before the run started.`, outcome));
        }
      });
    });
    return started;
  }

  private onMessage(run: Tracked, m: WorkerToHost, onStarted: (r: ActiveRun) => void): void {
    switch (m.type) {
      case 'ready':
        break;
      case 'backend':
        run.backend = m.backend;
        this.log.info(`[${run.pid}] backend ${m.backend.name}: ${m.backend.reason}`);
        break;
      case 'runStarted':
        Object.assign(run, { runId: m.runId, runDir: m.runDir, experiment: m.experiment });
        if (run.state === 'starting') run.state = 'running';
        this.log.info(`[${run.pid}] run ${m.runId} started in ${m.runDir}`);
        onStarted(run);
        break;
      case 'event':
        this.onEvent(run, m);
        break;
      case 'phase':
        run.phase = m.progress;
        break;
      case 'summary':
        run.summary = m.summary;
        run.epochsDone = m.summary.epochsDone;
        break;
      case 'done':
        run.summary = m.summary;
        this.log.info(`[${run.pid}] run ${m.runId} ${m.summary.status} after ${m.summary.epochsDone} epoch(s)`);
        break;
      case 'fatal':
        this.log.error(`[${run.pid}] ${m.message}`);
        break;
      case 'download':
        run.download = m.progress.done ? undefined : m.progress;
        if (m.progress.done) this.log.info(`[${run.pid}] downloaded ${m.progress.url} (${m.progress.received} bytes)`);
        break;
    }
    this.changed.fire(run);
  }

  private onOutput(run: Tracked | undefined, text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      if (run) {
        run.outputTail.push(line);
        if (run.outputTail.length > TAIL_LINES) run.outputTail.shift();
      }
      this.log.info(`[${run?.pid ?? 'worker'}] ${line}`);
    }
  }

  private onEvent(run: Tracked, m: Extract<WorkerToHost, { type: 'event' }>): void {
    const e = m.event;
    if (e.kind === 'epoch') {
      if (!e.partial) run.epochsDone = Math.max(run.epochsDone, e.epoch + 1);
      run.lastLoss = e.trainLoss;
    } else if (e.kind === 'step') {
      run.phase = undefined;
      run.lastLoss = e.loss;
      run.step = Math.max(run.step, e.step + 1);
    } else if (e.kind === 'log') {
      const line = `[${run.pid}] ${e.message}`;
      if (e.level === 'error') this.log.error(line);
      else if (e.level === 'warn') this.log.warn(line);
      else this.log.info(line);
    } else if (e.kind === 'stage') {
      this.log.info(`[${run.pid}] stage ${e.stage} "${e.name}": ${e.epochs} epoch(s), ${e.frozen.length} frozen layer(s)`);
    }
  }

  private async onExit(run: Tracked, final: WorkerToHost | undefined, exitCode: number | null, signal: NodeJS.Signals | null): Promise<RunOutcome> {
    this.runs.delete(run.key);
    const base = { runId: run.runId, runDir: run.runDir, exitCode, signal, outputTail: [...run.outputTail] };
    let outcome: RunOutcome;
    if (final?.type === 'done') {
      outcome = { ...base, status: final.summary.status, summary: final.summary, message: final.summary.error };
    } else if (final?.type === 'fatal') {
      outcome = { ...base, status: 'fatal', message: final.message };
    } else {
      // No `done`: the worker crashed or was killed. Record it in the run folder so the tree shows it.
      const status: RunStatus = run.state === 'stopping' ? 'stopped' : 'failed';
      const message =
        run.state === 'stopping'
          ? `Stopped by force (${signal ?? `exit ${exitCode}`}) after the grace period.`
          : `The training process exited unexpectedly (${signal ?? `exit code ${exitCode}`}).`;
      let summary: RunSummary | undefined;
      try {
        summary = run.runDir ? finishInterruptedRun(run.runDir, status, message) : undefined;
      } catch (e) {
        this.log.error(`[${run.pid}] could not record the end of ${run.runDir}: ${(e as Error).message}`);
      }
      outcome = { ...base, status, summary, message };
      (status === 'failed' ? this.log.error : this.log.warn).call(this.log, `[${run.pid}] ${message}`);
    }
    this.changed.fire(undefined);
    this.ended.fire({ run, outcome });
    return outcome;
  }

  /**
   * Stops a run: asks the worker to finish its step and checkpoint (`stop`), and kills it when it
   * has not exited after `graceMs`. Resolves with the outcome once the process is gone.
   */
  stop(run: ActiveRun, graceMs = DEFAULT_STOP_GRACE_MS): Promise<RunOutcome> {
    const t = this.runs.get(run.key);
    if (!t) return run.done;
    if (t.state !== 'stopping') {
      t.state = 'stopping';
      this.log.info(`[${t.pid}] stopping ${t.runId ?? t.experimentFile} (grace ${graceMs} ms)`);
      this.changed.fire(t);
      void t.worker.stop(graceMs);
    }
    return t.done;
  }

  /** Stops every run (see {@link stop}) and resolves when all workers have exited. */
  async stopAll(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    await Promise.all(this.active().map((r) => this.stop(r, graceMs)));
  }

  /** Last resort when the extension host itself exits: kill every worker synchronously. */
  private killAll(): void {
    for (const r of this.runs.values()) r.worker.kill();
  }

  /** Forces every worker down; for deactivate, prefer `await stopAll(short grace)` first. */
  dispose(): void {
    this.killAll();
    process.removeListener('exit', this.onHostExit);
    this.changed.dispose();
    this.ended.dispose();
  }
}
