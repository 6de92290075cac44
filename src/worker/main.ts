/**
 * The training child process. Started by the extension host or the CLI with `child_process.fork`;
 * speaks only `src/protocol/worker.ts`. It runs one experiment and exits:
 * 0 when the run completed or was stopped, 1 when it failed or diverged, 2 on bad input.
 * It exits when its parent dies (the IPC channel closes).
 */
import type { HostToWorker, WorkerToHost } from '../protocol/worker.js';
import { runTask } from '../core/tasks/run-task.js';
import { exitCodeOf } from './exit-codes.js';
import { featureThreads } from './feature-threads.js';

let stopRequested = false;
let started = false;
let finishing = false;

/**
 * Sends one message to the parent. The promise resolves once the message is written to the IPC
 * channel (send's callback), so a large message (a fatal error listing 2,000 problems: ~600 KB) is
 * not cut off by the exit that follows; it resolves at once when the parent is gone.
 */
function send(msg: WorkerToHost): Promise<void> {
  if (!process.connected) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      process.send!(msg, undefined, {}, () => resolve());
    } catch {
      resolve(); // the channel closed between the check and the send
    }
  });
}

async function start(msg: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  try {
    const summary = await runTask(
      msg.task ?? 'train',
      {
        experimentFile: msg.experimentFile,
        runsDir: msg.runsDir,
        backend: msg.backend,
        ...(msg.seed !== undefined ? { seed: msg.seed } : {}),
        helpers: featureThreads(msg.backend),
      },
      {
        backend: (backend) => void send({ type: 'backend', backend }),
        started: (runId, runDir, exp) => void send({ type: 'runStarted', runId, runDir, experiment: exp.name }),
        event: (runId, event) => void send({ type: 'event', runId, event }),
        summary: (runId, summary) => void send({ type: 'summary', runId, summary }),
        download: (progress) => void send({ type: 'download', progress }),
        phase: (progress) => void send({ type: 'phase', progress }),
        shouldStop: () => stopRequested,
      },
      msg.taskOptions ?? {},
    );
    await send({ type: 'done', runId: summary.runId, summary });
    finish(summary.status === 'completed' || summary.status === 'stopped' ? 0 : 1);
  } catch (e) {
    const code = exitCodeOf(e);
    await send({ type: 'fatal', message: (e as Error).message, exitCode: code });
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
void send({ type: 'ready', pid: process.pid });
