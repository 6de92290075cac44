/** `Transfer Lab: Clear Frozen-Feature Cache`: says what the cache holds, then empties it after a modal confirmation. */
import * as vscode from 'vscode';
import { FeatureDiskCache } from '../../core/features/disk-cache.js';
import { cacheConfigFromEnv } from '../../core/features/cache-config.js';
import { featureCacheEnv, readSettings } from '../config.js';
import type { CommandContext } from './context.js';

/** Options for tests: skip the confirmation. */
export interface ClearCacheOptions {
  confirm?: boolean;
}

/**
 * Clears the cache the settings name (the folder the next run's worker would use).
 * @returns bytes deleted, or undefined when cancelled.
 */
export async function clearFeatureCache(ctx: CommandContext, opts: ClearCacheOptions = {}): Promise<number | undefined> {
  const cache = new FeatureDiskCache(cacheConfigFromEnv({ ...process.env, ...featureCacheEnv(readSettings()) }));
  const passes = cache.list();
  const mib = (passes.reduce((a, p) => a + p.bytes, 0) / 1024 ** 2).toFixed(1);
  const where = cache.config.dir;
  if (passes.length === 0) {
    void vscode.window.showInformationMessage(`The frozen-feature cache (${where}) is empty.`);
    return 0;
  }
  if (!opts.confirm) {
    const examples = passes.reduce((a, p) => a + p.entries, 0);
    const pick = await vscode.window.showWarningMessage(
      `Delete ${mib} MiB of cached frozen features (${examples} examples in ${passes.length} frozen passes) from ${where}? Later runs recompute them.`,
      { modal: true },
      'Clear Cache',
    );
    if (pick !== 'Clear Cache') return undefined;
  }
  const bytes = cache.clear();
  ctx.log.info(`Feature cache ${where}: ${mib} MiB deleted`);
  void vscode.window.showInformationMessage(`Frozen-feature cache cleared: ${mib} MiB deleted.`);
  return bytes;
}
