/** `transfer-lab validate <file>`: schema and semantic checks, one line per problem. */
import * as path from 'node:path';
import { loadExperiment } from '../../core/experiment/load.js';
import type { ResolvedExperiment } from '../../core/experiment/types.js';
import { catalogEntry, catalogUrl } from '../../core/models/catalog.js';
import { cacheDir, cachedEntry } from '../../core/models/download.js';
import { checkTextExperiment } from '../../core/text/check.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../worker/exit-codes.js';

/** Whether a URL or catalogued base is in the download cache (no network): a line for people, an object for --json. */
function baseCacheStatus(
  exp: ResolvedExperiment,
): { line: string; json: { url: string; cached: boolean; sha256?: string; bytes?: number; fetched?: string } } | undefined {
  const b = exp.base;
  const entry = b.kind === 'catalog' ? catalogEntry(b.name) : undefined;
  if (b.kind !== 'url' && !entry) return undefined;
  const url = b.kind === 'url' ? b.url : catalogUrl(entry!);
  const sha256 = b.kind === 'url' || b.kind === 'catalog' ? (b.sha256 ?? entry?.sha256) : undefined;
  const hit = cachedEntry(url, sha256 ? { sha256 } : {});
  if (!hit) return { line: `base ${url}: not in the download cache (${cacheDir()}); the first run downloads it`, json: { url, cached: false } };
  const when = hit.fetched ? `, downloaded ${hit.fetched}` : '';
  return {
    line: `base ${url}: cached (${hit.bytes} bytes, sha256 ${hit.sha256}${when}); runs use the cached copy`,
    json: { url, cached: true, sha256: hit.sha256, bytes: hit.bytes, ...(hit.fetched ? { fetched: hit.fetched } : {}) },
  };
}

/** Prints `file:line:col severity path: message` per problem. @returns 0 when no errors, else 2. */
export async function validateCommand(file: string, o: { json?: boolean; runsDir?: string }): Promise<number> {
  const abs = path.resolve(file);
  try {
    // With the run store, a `run` base's layers are read from its checkpoint: cut layer and freeze
    // selectors are checked against them, as `run` does before training.
    const { experiment, problems } = await loadExperiment(abs, o.runsDir ? { runsDir: o.runsDir } : {});
    // Text: the vectors and documents are read (bad lines, encodings, columns fail here) and coverage is reported.
    const text = await checkTextExperiment(experiment);
    const cache = baseCacheStatus(experiment);
    if (o.json)
      process.stdout.write(
        JSON.stringify({ file: abs, valid: true, problems, ...(text.length ? { text } : {}), ...(cache ? { cache: cache.json } : {}) }, null, 2) + '\n',
      );
    else {
      for (const p of problems) process.stdout.write(`${file}:${p.line}:${p.column} ${p.severity} ${p.path}: ${p.message}\n`);
      for (const line of text) process.stdout.write(`${file}: ${line}\n`);
      if (cache) process.stdout.write(`${file}: ${cache.line}\n`);
      process.stdout.write(`${file}: valid${problems.length ? ` (${problems.length} warning${problems.length > 1 ? 's' : ''})` : ''}\n`);
    }
    return EXIT_OK;
  } catch (e) {
    const err = e as Error & { problems?: { line: number; column: number; severity: string; path: string; message: string }[] };
    if (o.json) process.stdout.write(JSON.stringify({ file: abs, valid: false, problems: err.problems ?? [{ message: err.message }] }, null, 2) + '\n');
    else if (err.problems) for (const p of err.problems) process.stderr.write(`${file}:${p.line}:${p.column} ${p.severity} ${p.path}: ${p.message}\n`);
    else process.stderr.write(`${file}: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
}
