/** Typed access to the `transferLab.*` settings. */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CACHE_DIR_ENV, CACHE_SIZE_ENV, DEFAULT_CACHE_MB } from '../core/features/cache-config.js';
import type { BackendPreference } from '../protocol/worker.js';

/** The extension's settings, read fresh on each use (changes apply to the next run). */
export interface TransferLabSettings {
  /** Node.js executable for the worker; empty = VS Code's runtime. */
  nodePath: string;
  /** Runs root, possibly relative to the workspace folder. */
  runsDirectory: string;
  maxConcurrentRuns: number;
  backend: BackendPreference;
  /** `transferLab.featureCache.directory`: frozen-feature cache folder; empty = the default (~/.cache/transfer-lab/features). */
  featureCacheDirectory: string;
  /** `transferLab.featureCache.maxSizeMB`: its size cap in MiB; 0 turns it off. */
  featureCacheMaxSizeMB: number;
}

/** Reads the settings for a resource (folder-scoped settings such as `runsDirectory` may differ per folder). */
export function readSettings(scope?: vscode.Uri): TransferLabSettings {
  const c = vscode.workspace.getConfiguration('transferLab', scope);
  const backend = c.get<string>('backend', 'auto');
  return {
    nodePath: c.get<string>('nodePath', '').trim(),
    runsDirectory: c.get<string>('runsDirectory', '.transfer-lab/runs').trim() || '.transfer-lab/runs',
    maxConcurrentRuns: Math.max(1, Math.floor(c.get<number>('maxConcurrentRuns', 2))),
    backend: backend === 'tensorflow' || backend === 'wasm' ? backend : 'auto',
    featureCacheDirectory: c.get<string>('featureCache.directory', '').trim(),
    featureCacheMaxSizeMB: Math.max(0, c.get<number>('featureCache.maxSizeMB', DEFAULT_CACHE_MB)),
  };
}

/**
 * The worker's environment for the feature-cache settings (read by `core/features/cache-config.ts`):
 * the folder (a leading `~` is the home folder) when set, and the cap.
 */
export function featureCacheEnv(s: Pick<TransferLabSettings, 'featureCacheDirectory' | 'featureCacheMaxSizeMB'>): Record<string, string> {
  const dir = s.featureCacheDirectory.replace(/^~(?=$|[\\/])/, os.homedir());
  return { ...(dir ? { [CACHE_DIR_ENV]: path.resolve(os.homedir(), dir) } : {}), [CACHE_SIZE_ENV]: String(s.featureCacheMaxSizeMB) };
}

/**
 * Absolute runs root for a workspace folder (`transferLab.runsDirectory` resolved against it).
 * Without a folder, relative settings resolve against the experiment file's folder.
 */
export function runsRootFor(folder: vscode.WorkspaceFolder | undefined, fallbackDir: string): string {
  const dir = readSettings(folder?.uri).runsDirectory;
  return path.resolve(folder ? folder.uri.fsPath : fallbackDir, dir);
}
