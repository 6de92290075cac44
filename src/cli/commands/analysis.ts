/**
 * What the analysis commands (`sweep`, `filters`, `advise`) share: run the task in the worker (a run of
 * the experiment), read its result file, print it or its JSON, and with `--apply` write the suggested
 * edit into the experiment file, keeping its comments and formatting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPointerEdits, type PointerEdit } from '../../core/experiment/edits.js';
import { ARTIFACT_FILES, type ArtifactName, type RunTask } from '../../core/runs/artifacts.js';
import type { AdviseTaskOptions, BackendPreference } from '../../protocol/worker.js';
import { EXIT_OK } from '../../worker/exit-codes.js';
import { printRunTable, runThroughWorker } from './run.js';

export interface AnalysisCommandOptions {
  runsDir: string;
  backend: BackendPreference;
  json?: boolean;
  apply?: boolean;
  taskOptions?: AdviseTaskOptions;
}

/** Writes a line to stdout. */
export const out = (s: string) => process.stdout.write(s + '\n');
/** A number with `d` decimals (non-finite values as they are). */
export const num = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** Runs `task`, reads its artifact, prints it (or the JSON) and applies its edit when asked. @returns the exit code. */
export async function analysis<T>(
  file: string,
  task: RunTask,
  artifact: ArtifactName,
  o: AnalysisCommandOptions,
  print: (v: T) => void,
  edits?: (v: T) => PointerEdit[],
): Promise<number> {
  const r = await runThroughWorker(file, {
    runsDir: o.runsDir,
    backend: o.backend,
    json: o.json,
    task,
    ...(o.taskOptions ? { taskOptions: o.taskOptions } : {}),
  });
  const resultFile = r.runDir && r.summary?.artifacts?.[artifact] ? path.join(r.runDir, ARTIFACT_FILES[artifact]) : undefined;
  if (!resultFile) {
    if (o.json) out(JSON.stringify(r.summary ?? { error: r.error }, null, 2));
    else if (r.summary) printRunTable(r.summary);
    else process.stderr.write(`error: ${r.error}\n`);
    return r.exitCode === EXIT_OK ? 1 : r.exitCode;
  }
  const value = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T;
  if (o.json) out(JSON.stringify(value, null, 2));
  else {
    print(value);
    out(`\n${path.relative(process.cwd(), resultFile)}`);
  }
  const e = edits?.(value) ?? [];
  if (o.apply && e.length > 0) {
    const abs = path.resolve(file);
    fs.writeFileSync(abs, applyPointerEdits(fs.readFileSync(abs, 'utf8'), e));
    if (!o.json)
      out(
        `applied to ${path.relative(process.cwd(), abs)}: ${e.map((x) => (x.value === undefined ? `remove ${x.pointer}` : `${x.pointer} = ${JSON.stringify(x.value)}`)).join(', ')}`,
      );
  } else if (e.length > 0 && !o.json) {
    out(
      `suggested edit (--apply writes it): ${e.map((x) => (x.value === undefined ? `remove ${x.pointer}` : `${x.pointer} = ${JSON.stringify(x.value)}`)).join(', ')}`,
    );
  }
  return r.exitCode;
}
