/**
 * An experiment's name and its newest checkpoint, in one place. The name is the file's `name` field
 * when it sets one, else the file name without `.transfer.json` (`experimentNameFromFile`); runs are
 * stored under it (`<runsDir>/<name>/<run-id>/`), so every reader of a `run` base, the checker, the
 * loader and the CLI's `runs <file>`, must find the same folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import type { CheckpointKind } from '../runs/store.js';
import { listRuns } from '../runs/store.js';
import { JSONC_OPTIONS } from './locate.js';
import { experimentNameFromFile } from './resolve.js';

/**
 * The name of the experiment in `file`: its `name` field when it is a non-empty string, else the file
 * name without `.transfer.json`. Reads the file without validating it; a missing or unparsable file
 * gives the file name.
 */
export function experimentNameOfFile(file: string): string {
  try {
    const v = parse(fs.readFileSync(file, 'utf8'), [], JSONC_OPTIONS) as { name?: unknown } | undefined;
    if (typeof v?.name === 'string' && v.name !== '') return v.name;
  } catch {
    // fall back to the file name
  }
  return experimentNameFromFile(file);
}

/**
 * Path of `checkpoints/<which>/model.json` of the newest completed run of experiment `name` under
 * `runsDir` that has that checkpoint (analysis runs, failed and stopped runs are passed over), or
 * undefined when there is none.
 */
export function latestCheckpoint(runsDir: string, name: string, which: CheckpointKind): string | undefined {
  for (const run of listRuns(runsDir, name)) {
    const file = path.join(run.dir, 'checkpoints', which, 'model.json');
    if (run.summary.status === 'completed' && fs.existsSync(file)) return file;
  }
  return undefined;
}
