/** `transfer-lab runs [file]`: the run store as a table. */
import { experimentNameOfFile } from '../../core/experiment/name.js';
import { readRunMetaSafe } from '../../core/runs/meta.js';
import { listRuns } from '../../core/runs/store.js';
import { formatTable, pct, secs } from '../table.js';
import { formatEvaluation } from '../evaluationTable.js';
import { readEvaluation } from '../../core/evaluation/read.js';

/**
 * Lists runs (of one experiment when `file` is given), newest first; with a file, the evaluation of
 * its newest run that has one follows (per-class rows, biggest confusions). `--json` gives each run's
 * `evaluation` beside its summary. Each run's name and tags (`meta.json`) are columns; `--json` gives
 * its `meta` (`{}` without the file) and `metaError` when the file cannot be read (the listing goes
 * on; the table says `(bad meta.json)` and the error goes to stderr). @returns 0.
 */
export function runsCommand(file: string | undefined, o: { runsDir: string; json?: boolean }): number {
  const name = file ? experimentNameOfFile(file) : undefined;
  const runs = listRuns(o.runsDir, name).map((r) => {
    const { meta, error } = readRunMetaSafe(r.dir);
    return { ...r, meta, ...(error ? { metaError: error } : {}) };
  });
  for (const r of runs) if (r.metaError) process.stderr.write(`warning: ${r.metaError}\n`);
  if (o.json) {
    const withEvaluation = runs.map((r) => {
      const evaluation = readEvaluation(r.dir, r.summary);
      return evaluation ? { ...r, evaluation } : r;
    });
    process.stdout.write(JSON.stringify(withEvaluation, null, 2) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs under ${o.runsDir}${name ? ` for ${name}` : ''}\n`);
    return 0;
  }
  const rows = runs.map((r) => [
    r.summary.experiment,
    r.summary.runId,
    r.metaError ? '(bad meta.json)' : (r.meta.name ?? ''),
    (r.meta.tags ?? []).join(', '),
    r.summary.status,
    r.summary.strategy,
    `${r.summary.epochsDone}/${r.summary.epochsPlanned}`,
    pct(r.summary.best?.valAccuracy),
    pct(r.summary.test?.accuracy),
    secs(r.summary.seconds),
    r.summary.backend?.name ?? '–',
  ]);
  process.stdout.write(
    formatTable(['experiment', 'run', 'name', 'tags', 'status', 'strategy', 'epochs', 'best val', 'test', 'seconds', 'backend'], rows) + '\n',
  );
  if (name) {
    const evaluated = runs.map((r) => ({ r, e: readEvaluation(r.dir, r.summary) })).find((x) => x.e);
    if (evaluated) process.stdout.write(`\nrun ${evaluated.r.runId}: ${formatEvaluation(evaluated.e!)}`);
  }
  return 0;
}
