/**
 * Finds and checks the runtime that runs the training worker (rust-analyzer's bootstrap habit):
 * the `transferLab.nodePath` setting when set, else VS Code's own runtime (`process.execPath` with
 * `ELECTRON_RUN_AS_NODE=1`). The check runs `<exe> --version` once per executable and demands
 * Node >= 20, so a bad setting fails with a clear message instead of a dead worker.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** How to fork the worker. */
export interface WorkerRuntime {
  /** Executable passed as `fork`'s `execPath`. */
  execPath: string;
  /** Extra environment for the child. */
  env: Record<string, string>;
  /** Node version reported by the executable, e.g. `v20.19.0`. */
  version: string;
  /** Where it came from, for logs and messages. */
  source: 'setting' | 'vscode';
}

/** A runtime that cannot run the worker; the message says what to change. */
export class WorkerRuntimeError extends Error {}

const MIN_NODE_MAJOR = 20;
const checked = new Map<string, Promise<string>>();

function nodeVersion(exe: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(exe, ['-p', 'process.versions.node'], { env: { ...process.env, ...env }, timeout: 15_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout.trim());
    });
  });
}

/** Resolves and checks the worker runtime. Throws {@link WorkerRuntimeError} with a user-facing message. */
export async function resolveWorkerRuntime(nodePath: string): Promise<WorkerRuntime> {
  const source = nodePath ? 'setting' : 'vscode';
  const execPath = nodePath || process.execPath;
  const env: Record<string, string> = nodePath ? {} : { ELECTRON_RUN_AS_NODE: '1' };
  const what = nodePath ? `transferLab.nodePath (${nodePath})` : `VS Code's runtime (${execPath})`;
  try {
    fs.accessSync(execPath, fs.constants.X_OK);
  } catch {
    throw new WorkerRuntimeError(
      `${what} is not an executable file. Set "transferLab.nodePath" to a Node.js ${MIN_NODE_MAJOR}+ executable, or clear it to use VS Code's runtime.`,
    );
  }
  let pending = checked.get(execPath);
  if (!pending) {
    pending = nodeVersion(execPath, env);
    checked.set(execPath, pending);
  }
  let version: string;
  try {
    version = await pending;
  } catch (e) {
    checked.delete(execPath);
    throw new WorkerRuntimeError(`${what} did not run as Node.js: ${(e as Error).message.split('\n')[0]}`);
  }
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);
  if (!(major >= MIN_NODE_MAJOR)) {
    checked.delete(execPath);
    throw new WorkerRuntimeError(`${what} is Node.js ${version || '(unknown)'}; training needs Node.js ${MIN_NODE_MAJOR} or newer.`);
  }
  return { execPath, env, version: `v${version.replace(/^v/, '')}`, source };
}
