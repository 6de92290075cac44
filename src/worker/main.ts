/**
 * The training child process. Started by the extension host or the CLI with `child_process.fork`;
 * speaks only `src/protocol/worker.ts`. It runs one experiment and exits:
 * 0 when the run completed or was stopped, 1 when it failed or diverged, 2 on bad input.
 * It exits when its parent dies (the IPC channel closes).
 */
import type { HostToWorker, WorkerToHost } from '../protocol/worker.js';
import { runTask } from '../core/training/tasks.js';
import { exitCodeOf } from './exit-codes.js';

let stopRequested = false;
let started = false;
let finishing = false;

function send(msg: WorkerToHost): void {
  if (process.connected) process.send!(msg);
}

async function start(msg: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  try {
    const summary = await runTask(
      msg.task ?? 'train',
      { experimentFile: msg.experimentFile, runsDir: msg.runsDir, backend: msg.backend, ...(msg.seed !== undefined ? { seed: msg.seed } : {}) },
      {
        backend: (backend) => send({ type: 'backend', backend }),
        started: (runId, runDir, exp) => send({ type: 'runStarted', runId, runDir, experiment: exp.name }),
        event: (runId, event) => send({ type: 'event', runId, event }),
        summary: (runId, summary) => send({ type: 'summary', runId, summary }),
        shouldStop: () => stopRequested,
      },
      msg.taskOptions ?? {},
    );
    send({ type: 'done', runId: summary.runId, summary });
    finish(summary.status === 'completed' || summary.status === 'stopped' ? 0 : 1);
  } catch (e) {
    const code = exitCodeOf(e);
    send({ type: 'fatal', message: (e as Error).message, exitCode: code });
    finish(code);
  }
}

function finish(code: number): void {
  finishing = true;
  // Let the IPC queue drain before exiting.
  if (process.connected) process.disconnect();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 50).unref();
}

process.on('message', (raw: unknown) => {
  const msg = raw as HostToWorker;
  if (msg.type === 'start' && !started) {
    started = true;
    void start(msg);
  } else if (msg.type === 'stop') {
    stopRequested = true;
    if (!started) finish(0);
  }
});
// The parent died or closed the channel: stop at once (no orphan trainers).
process.on('disconnect', () => {
  if (!finishing) process.exit(started ? 1 : 0);
});
send({ type: 'ready', pid: process.pid });
