/**
 * Where the persistent frozen-feature cache lives and how large it may grow. Every front end (the
 * CLI's `--cache-dir`/`--cache-size`, VS Code's `transferLab.featureCache.*` settings) passes its
 * choice to the worker through two environment variables, read here:
 * - `TRANSFER_LAB_CACHE_DIR`: the folder (default `$XDG_CACHE_HOME/transfer-lab/features`, else
 *   `~/.cache/transfer-lab/features`);
 * - `TRANSFER_LAB_CACHE_SIZE_MB`: the size cap in MiB (default {@link DEFAULT_CACHE_MB}); 0 turns the
 *   cache off.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { FeatureDiskCache, type FeatureCacheConfig } from './disk-cache.js';

/** Default size cap, MiB. */
export const DEFAULT_CACHE_MB = 4096;

export const CACHE_DIR_ENV = 'TRANSFER_LAB_CACHE_DIR';
export const CACHE_SIZE_ENV = 'TRANSFER_LAB_CACHE_SIZE_MB';

/**
 * The cache configuration from `env`.
 * @throws Error naming `TRANSFER_LAB_CACHE_SIZE_MB` when it is not a number ≥ 0.
 */
export function cacheConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FeatureCacheConfig {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = env[CACHE_DIR_ENV] || path.join(base, 'transfer-lab', 'features');
  const raw = env[CACHE_SIZE_ENV];
  const mb = raw === undefined || raw === '' ? DEFAULT_CACHE_MB : Number(raw);
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`${CACHE_SIZE_ENV} must be a size in MiB ≥ 0 (0 turns the cache off), got "${raw}"`);
  return { dir: path.resolve(dir), maxBytes: Math.floor(mb * 1024 * 1024) };
}

/** "120 from the feature cache, 0 computed, 1.2 s" for everything read through `cache`, or "feature cache off …". */
export function describeCacheUse(cache: FeatureDiskCache): string {
  const t = cache.tally;
  const how = `${t.hits} from the feature cache, ${t.computed} computed${t.corrupt ? ` (${t.corrupt} damaged entries replaced)` : ''}, ${t.seconds.toFixed(1)} s`;
  return cache.enabled ? `${how} (${cache.config.dir})` : `${t.computed} computed, ${t.seconds.toFixed(1)} s (feature cache off: ${CACHE_SIZE_ENV}=0)`;
}

/** The cache the environment configures. @throws like {@link cacheConfigFromEnv}. */
export function cacheFromEnv(env: NodeJS.ProcessEnv = process.env): FeatureDiskCache {
  return new FeatureDiskCache(cacheConfigFromEnv(env));
}
