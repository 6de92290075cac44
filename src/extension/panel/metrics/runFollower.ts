/**
 * Follows one run in the run store: reads `metrics.jsonl` from the byte offset it stopped at (so each
 * event is read once: no duplicate points, however often it is asked), keeps the decimated step
 * series, the epoch, stage and test events, and produces the full history (`RunMetrics`) or what is
 * new since the last call (`MetricsUpdate`). The live path and the replay path read the same file.
 * No `vscode`; reads the file system through the core run store.
 */
import type { EpochEvent, RunStatus, StageEvent, TestEvent } from '../../../core/runs/events.js';
import { readMetricsFrom, readSummary } from '../../../core/runs/store.js';
import type { MetricsUpdate, RunMetrics } from '../../../protocol/webview.js';
import { MAX_STEP_POINTS, StepDecimator } from './stepDecimator.js';

/** Reads a run's history once and then only what is appended. */
export class RunFollower {
  private offset = 0;
  private readonly steps: StepDecimator;
  private readonly epochs: EpochEvent[] = [];
  private readonly stages: StageEvent[] = [];
  private test: TestEvent | undefined;
  /** Events not yet sent in an update. */
  private newEpochs = 0;
  private newStages = 0;
  private testSent = false;
  private lastStatus: RunStatus | undefined;

  constructor(
    readonly runDir: string,
    readonly runId: string,
    maxStepPoints = MAX_STEP_POINTS,
  ) {
    this.steps = new StepDecimator(maxStepPoints);
  }

  /** Reads whatever was appended since the last read. Returns the number of events read. */
  read(): number {
    const chunk = readMetricsFrom(this.runDir, this.offset);
    this.offset = chunk.nextOffset;
    for (const e of chunk.events) {
      switch (e.kind) {
        case 'step':
          this.steps.add(e);
          break;
        case 'epoch':
          if (this.epochs.length === 0 || e.epoch > this.epochs[this.epochs.length - 1].epoch) {
            this.epochs.push(e);
            this.newEpochs++;
          }
          break;
        case 'stage':
          if (!this.stages.some((s) => s.stage === e.stage)) {
            this.stages.push(e);
            this.newStages++;
          }
          break;
        case 'test':
          this.test = e;
          this.testSent = false;
          break;
        default:
          break;
      }
    }
    return chunk.events.length;
  }

  /** The whole history read so far (everything is then marked as sent). */
  history(): RunMetrics {
    const s = readSummary(this.runDir);
    this.steps.markSent();
    this.newEpochs = 0;
    this.newStages = 0;
    this.testSent = true;
    this.lastStatus = s?.status ?? 'running';
    return {
      runId: this.runId,
      status: this.lastStatus,
      steps: this.steps.series(),
      epochs: [...this.epochs],
      stages: [...this.stages],
      ...(this.test ? { test: this.test } : {}),
      ...(s?.backend ? { backend: s.backend } : {}),
      epochsPlanned: s?.epochsPlanned ?? 0,
      ...(s?.stepsPerEpoch !== undefined ? { stepsPerEpoch: s.stepsPerEpoch } : {}),
      ...(s?.bestEpoch !== undefined ? { bestEpoch: s.bestEpoch } : {}),
      ...(s?.error ? { error: s.error } : {}),
      ...(s?.skipped ? { skipped: s.skipped } : {}),
    };
  }

  /** Reads what was appended and returns what is new since the last history or update (undefined: nothing). */
  update(): MetricsUpdate | undefined {
    this.read();
    const s = readSummary(this.runDir);
    const status = s?.status ?? 'running';
    const steps = this.steps.takeUpdate();
    const epochs = this.newEpochs > 0 ? this.epochs.slice(-this.newEpochs) : [];
    const stages = this.newStages > 0 ? this.stages.slice(-this.newStages) : [];
    const test = this.test && !this.testSent ? this.test : undefined;
    if (!steps && epochs.length === 0 && stages.length === 0 && !test && status === this.lastStatus) return undefined;
    this.newEpochs = 0;
    this.newStages = 0;
    this.testSent = true;
    this.lastStatus = status;
    return {
      runId: this.runId,
      status,
      steps: steps ?? { stride: this.steps.stride, from: this.steps.series().points.length, points: [] },
      epochs,
      stages,
      ...(test ? { test } : {}),
      ...(s?.bestEpoch !== undefined ? { bestEpoch: s.bestEpoch } : {}),
      ...(s?.error ? { error: s.error } : {}),
      ...(s?.skipped ? { skipped: s.skipped } : {}),
    };
  }
}
