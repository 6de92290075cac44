/**
 * The host side of the worker protocol: forks `dist/worker.js`, sends `start`, delivers every
 * message, and offers a graceful stop (then a forced one). Used by the CLI and the extension host
 * alike (no `vscode` import); the extension passes VS Code's own runtime as `execPath`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { HostToWorker, WorkerRunSettings, WorkerToHost } from '../protocol/worker.js';
import { isWorkerToHost } from '../protocol/worker.js';

/** How to start a worker, and the run it gets (`experimentFile`, `runsDir`, `backend`, `task`, `taskOptions`, `seed`: the `start` message). */
export interface WorkerStartOptions extends WorkerRunSettings {
  /** Absolute path of `worker.js` (default: beside the running bundle). */
  workerPath?: string;
  /** Node (or Electron-as-node) binary; default `process.execPath`. */
  execPath?: string;
  /** Extra environment (e.g. `ELECTRON_RUN_AS_NODE=1`). */
  env?: NodeJS.ProcessEnv;
  onMessage?(msg: WorkerToHost): void;
  /** Lines the worker writes to stdout/stderr (tfjs warnings, crashes). */
  onOutput?(text: string): void;
}

/** A running worker. `exited` resolves with its exit code (or the signal name). */
export interface WorkerHandle {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly exited: Promise<number | string>;
  /** Asks the worker to finish the current step, checkpoint and exit; kills it after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
  /** Kills the worker at once (SIGKILL). */
  kill(): void;
}

/** Forks the training worker and starts one run. */
export function startWorker(o: WorkerStartOptions): WorkerHandle {
  const workerPath = o.workerPath ?? path.join(__dirname, 'worker.js');
  const child = fork(workerPath, [], {
    execPath: o.execPath ?? process.execPath,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  child.stdout?.on('data', (d: Buffer) => o.onOutput?.(d.toString()));
  child.stderr?.on('data', (d: Buffer) => o.onOutput?.(d.toString()));
  const exited = new Promise<number | string>((resolve) => {
    // 'close', not 'exit': it comes after the IPC channel and stdio are drained, so a large last message (done, fatal) is delivered first.
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.on('error', (err) => {
      o.onOutput?.(`cannot start worker: ${err.message}\n`);
      resolve(1);
    });
  });
  child.on('message', (m: unknown) => {
    if (!isWorkerToHost(m)) return;
    if (m.type === 'ready') {
      const start: HostToWorker = {
        type: 'start',
        experimentFile: o.experimentFile,
        runsDir: o.runsDir,
        backend: o.backend,
        ...(o.task ? { task: o.task } : {}),
        ...(o.taskOptions ? { taskOptions: o.taskOptions } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
      };
      child.send(start);
    }
    o.onMessage?.(m);
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    pid: child.pid,
    exited,
    async stop(graceMs = 10_000) {
      if (done) return exited;
      if (child.connected) child.send({ type: 'stop' } satisfies HostToWorker);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      if (!done) child.kill('SIGKILL');
    },
  };
}
