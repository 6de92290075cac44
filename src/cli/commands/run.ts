/**
 * `transfer-lab run <file>`: validates the experiment, runs it in a forked worker with a progress
 * bar on stderr, prints a final table (or the summary as JSON with --json).
 */
import type { DownloadProgress } from '../../core/models/download.js';
import { phaseText, type PhaseProgress } from '../../core/progress.js';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { RunSummary } from '../../core/runs/events.js';
import { readSummary } from '../../core/runs/store.js';
import { startWorker } from '../../worker/client.js';
import type { AdviseTaskOptions, BackendPreference } from '../../protocol/worker.js';
import type { RunTask } from '../../core/runs/artifacts.js';
import { formatTable, pct, secs } from '../table.js';
import { formatEvaluation } from '../evaluationTable.js';
import { readEvaluation } from '../../core/evaluation/read.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../../worker/exit-codes.js';

export interface RunCommandOptions {
  runsDir: string;
  backend: BackendPreference;
  json?: boolean;
  /** Suppress the progress bar and per-epoch lines (used by `demo`). */
  quiet?: boolean;
  /** What the worker runs (default `train`). */
  task?: RunTask;
  taskOptions?: AdviseTaskOptions;
  /** Replaces the experiment's `training.seed`. */
  seed?: number;
}

/** Result of one run through the worker. */
export interface RunOutcome {
  exitCode: number;
  summary?: RunSummary;
  error?: string;
  /** The run folder, once the worker reported it. */
  runDir?: string;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** `downloading <url>: 1.2 MB of 3.4 MB (35%)`, or `downloaded <url> (3.4 MB)` when done. */
export function describeDownload(p: DownloadProgress): string {
  if (p.done) return `downloaded ${p.url} (${mb(p.received)})`;
  return `downloading ${p.url}: ${mb(p.received)}${p.total ? ` of ${mb(p.total)} (${Math.round((100 * p.received) / p.total)}%)` : ''}`;
}

/** Without a terminal, a phase of the preparation prints a line at most this often (ms), besides its first and last. */
export const PHASE_LINE_INTERVAL_MS = 3000;

/**
 * Prints the preparation's progress on stderr: in a terminal one bar per phase, redrawn in place;
 * otherwise (a log, CI) a line when a phase starts and ends and at most every
 * {@link PHASE_LINE_INTERVAL_MS} between, in the words of `phaseText`.
 */
function phasePrinter(tty: boolean): { show(p: PhaseProgress): void; end(): void } {
  let bar: SingleBar | undefined;
  let key = '';
  let lastLine = -Infinity;
  const end = () => {
    bar?.stop();
    bar = undefined;
    key = '';
  };
  return {
    end,
    show(p) {
      const k = `${p.phase}:${p.of}`;
      if (!tty) {
        const now = Date.now();
        if (k === key && p.done < p.total && now - lastLine < PHASE_LINE_INTERVAL_MS) return;
        key = k;
        lastLine = now;
        process.stderr.write(`${phaseText(p)}\n`);
        return;
      }
      if (k !== key) {
        end();
        key = k;
        bar = new SingleBar({ format: ' {bar} {text}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(p.total, p.done, { text: phaseText(p) });
      }
      bar!.update(p.done, { text: phaseText(p) });
      if (p.done >= p.total) end();
    },
  };
}

/** Runs one experiment file through the worker; resolves when the worker exits. */
export async function runThroughWorker(file: string, o: RunCommandOptions): Promise<RunOutcome> {
  const experimentFile = path.resolve(file);
  const tty = process.stderr.isTTY && !o.quiet && !o.json;
  const phases = phasePrinter(tty);
  let bar: SingleBar | undefined;
  let totalSteps = 0;
  let summary: RunSummary | undefined;
  let fatal: string | undefined;
  let runDir: string | undefined;
  let output = '';
  const worker = startWorker({
    experimentFile,
    runsDir: o.runsDir,
    backend: o.backend,
    ...(o.task ? { task: o.task } : {}),
    ...(o.taskOptions ? { taskOptions: o.taskOptions } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    onOutput: (t) => (output += t),
    onMessage: (m) => {
      switch (m.type) {
        case 'backend':
          if (!o.quiet && !o.json) process.stderr.write(`backend: ${m.backend.name} (${m.backend.reason})\n`);
          break;
        case 'runStarted':
          runDir = m.runDir;
          if (!o.quiet && !o.json) process.stderr.write(`run ${m.runId} → ${m.runDir}\n`);
          break;
        case 'summary':
          summary = m.summary;
          break;
        case 'event': {
          const e = m.event;
          if (e.kind === 'step') phases.end();
          if (e.kind === 'step' && tty) {
            if (!bar && summary?.stepsPerEpoch) {
              totalSteps = summary.stepsPerEpoch;
              bar = new SingleBar(
                { format: ' {bar} {percentage}% | epoch {epoch} step {value}/{total} | loss {loss} | eta {eta}s', stream: process.stderr, hideCursor: true },
                Presets.shades_classic,
              );
              bar.start(totalSteps, 0, { epoch: 1, loss: '–' });
            }
            bar?.update(Math.min(totalSteps, (e.step % totalSteps) + 1), { epoch: e.epoch + 1, loss: e.loss.toFixed(4) });
          } else if (e.kind === 'epoch' && !o.quiet && !o.json) {
            const line = `epoch ${e.epoch + 1}: loss ${e.trainLoss.toFixed(4)} acc ${pct(e.trainAccuracy)} | val loss ${e.valLoss?.toFixed(4) ?? '–'} acc ${pct(e.valAccuracy)} | ${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s`;
            if (bar) {
              bar.stop();
              bar = undefined;
              totalSteps = 0;
            }
            process.stderr.write(line + '\n');
          } else if (e.kind === 'log' && !o.json && (e.level !== 'info' || (!o.quiet && e.topic === 'preparation'))) {
            if (e.level === 'info') phases.end(); // a preparation bar still drawn would be overwritten
            process.stderr.write(e.level === 'info' ? `${e.message}\n` : `${e.level}: ${e.message}\n`);
          }
          break;
        }
        case 'download':
          if (!o.quiet && !o.json) process.stderr.write(`${describeDownload(m.progress)}\n`);
          break;
        case 'phase':
          if (!o.quiet && !o.json) phases.show(m.progress);
          break;
        case 'done':
          summary = m.summary;
          break;
        case 'fatal':
          fatal = m.message;
          break;
      }
    },
  });
  const onSigint = () => void worker.stop();
  process.once('SIGINT', onSigint);
  const code = await worker.exited;
  process.off('SIGINT', onSigint);
  phases.end();
  bar?.stop();
  if (fatal) return { exitCode: typeof code === 'number' && code === EXIT_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED, error: fatal };
  if (!summary)
    return {
      exitCode: code === EXIT_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED,
      error: `worker exited (${code}) without a result${output ? `:\n${output.trim().split('\n').slice(-15).join('\n')}` : ''}`,
    };
  if (summary.status === 'running') {
    // The worker died mid-run (killed, crashed, out of memory): say so, with the status the run store
    // gives the record (`interrupted`; its checkpoints so far stay usable).
    const recorded = runDir ? readSummary(runDir) : undefined;
    summary = { ...(recorded ?? summary), status: recorded?.status === 'running' || !recorded ? 'interrupted' : recorded.status };
    summary.error ??= `the worker ended (${typeof code === 'number' ? `exit code ${code}` : code}) before the run finished${output ? `: ${output.trim().split('\n').slice(-3).join(' / ')}` : ''}`;
  }
  const ok = summary.status === 'completed' || summary.status === 'stopped';
  return { exitCode: ok ? EXIT_OK : EXIT_RUN_FAILED, summary, ...(summary.error ? { error: summary.error } : {}), ...(runDir ? { runDir } : {}) };
}

/** Prints one run's result table. */
export function printRunTable(s: RunSummary): void {
  // Runs that train nothing (analyses, unsupervised clustering) have no epochs or accuracies to show.
  const trains = s.epochsPlanned > 0 || s.test !== undefined;
  const rows = [
    ['experiment', s.experiment],
    ['run', s.runId],
    ['status', s.status],
    ...(s.transferKind && s.transferKind !== 'inductive' ? [['kind', s.transferKind]] : []),
    ...(s.transferKind === 'unsupervised' || (s.task && s.task !== 'train') ? [] : [['strategy', s.strategy]]),
    ...(s.task && s.task !== 'train' ? [['task', s.task]] : []),
    ['backend', s.backend ? `${s.backend.name}` : '–'],
    ...(trains
      ? [
          ['epochs', `${s.epochsDone}/${s.epochsPlanned}`],
          ['best val accuracy', `${pct(s.best?.valAccuracy)}${s.bestEpoch !== undefined ? ` (epoch ${s.bestEpoch + 1})` : ''}`],
          ['test accuracy', s.test ? `${pct(s.test.accuracy)} on ${s.test.examples} (${s.test.checkpoint} checkpoint)` : '–'],
        ]
      : []),
    ['seconds', secs(s.seconds)],
  ];
  for (const r of s.results ?? []) rows.push([r.name, r.unit === 'fraction' ? pct(r.value) : Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(3)]);
  process.stdout.write(formatTable(['', ''], rows).split('\n').slice(2).join('\n') + '\n');
  if (s.error) process.stdout.write(`error: ${s.error}\n`);
}

/** The `run` command. @returns the process exit code. */
export async function runCommand(file: string, o: RunCommandOptions): Promise<number> {
  const r = await runThroughWorker(file, o);
  const evaluation = r.runDir && r.summary ? readEvaluation(r.runDir, r.summary) : undefined;
  if (o.json) process.stdout.write(JSON.stringify(r.summary ? { ...r.summary, ...(evaluation ? { evaluation } : {}) } : { error: r.error }, null, 2) + '\n');
  else if (r.summary) {
    printRunTable(r.summary);
    if (evaluation) process.stdout.write('\n' + formatEvaluation(evaluation));
  } else process.stderr.write(`error: ${r.error}\n`);
  return r.exitCode;
}
