/**
 * `transfer-lab cache ls|clear`: the persistent frozen-feature cache (its folder and cap come from
 * `--cache-dir`/`--cache-size`, else `TRANSFER_LAB_CACHE_DIR`/`TRANSFER_LAB_CACHE_SIZE_MB`, else the
 * defaults of `core/features/cache-config.ts`).
 */
import { cacheFromEnv } from '../../core/features/cache-config.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../worker/exit-codes.js';
import { formatTable } from '../table.js';

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** Lists the cached frozen passes (most recently used first). @returns 0, or 2 for a bad size setting. */
export function cacheLsCommand(o: { json?: boolean }): number {
  let cache;
  try {
    cache = cacheFromEnv();
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const passes = cache.list();
  const total = passes.reduce((a, p) => a + p.bytes, 0);
  if (o.json) {
    process.stdout.write(JSON.stringify({ dir: cache.config.dir, maxBytes: cache.config.maxBytes, bytes: total, passes }, null, 2) + '\n');
    return EXIT_OK;
  }
  const cap = cache.enabled ? `cap ${mib(cache.config.maxBytes)} MiB` : 'off (size 0)';
  process.stdout.write(`feature cache ${cache.config.dir}: ${mib(total)} MiB in ${passes.length} frozen passes, ${cap}\n`);
  if (passes.length > 0) {
    const rows = passes.map((p) => [
      p.key.slice(0, 12),
      p.entries,
      mib(p.bytes),
      new Date(p.lastUsed).toISOString().replace('T', ' ').slice(0, 19),
      p.description ?? '–',
    ]);
    process.stdout.write(formatTable(['pass', 'examples', 'MiB', 'last used (UTC)', 'frozen pass'], rows) + '\n');
  }
  return EXIT_OK;
}

/** Deletes every cache entry. @returns 0, or 2 for a bad size setting. */
export function cacheClearCommand(): number {
  let cache;
  try {
    cache = cacheFromEnv();
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const bytes = cache.clear();
  process.stdout.write(`feature cache ${cache.config.dir}: ${mib(bytes)} MiB deleted\n`);
  return EXIT_OK;
}
