/** The image folders of a run's data, and whether a file lies inside one (no `vscode`: unit-tested in plain Node). */
import * as path from 'node:path';
import type { ResolvedDataSource } from '../../../core/experiment/types.js';
import { readConfig } from '../../../core/runs/store.js';

/** Image-folder roots of a run's data, absolute (empty when the run has no readable `config.json`). */
export function imageDataFolders(runDir: string): string[] {
  const data = readConfig(runDir)?.data;
  if (!data) return [];
  const sources = [data.train, data.validation, data.test, data.target] as (ResolvedDataSource | undefined)[];
  return [
    ...new Set(sources.filter((s): s is Extract<ResolvedDataSource, { kind: 'imageFolder' }> => s?.kind === 'imageFolder').map((s) => path.resolve(s.path))),
  ];
}

/** True when `file` is inside `folder` (after resolving `..`). */
export function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
