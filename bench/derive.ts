/**
 * Writes a benchmark mode's copy of an experiment file: the mode's sizes (`cases.ts`) applied, data
 * paths made absolute (the copy lives elsewhere), everything else as in `bench/experiments/`.
 * `run` bases name their source experiment by file name, so copies of a source and of the cases
 * that load it live in one folder and share one runs folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sizes } from './cases.js';

/** Folder of the committed benchmark experiments. */
export const EXPERIMENTS_DIR = path.join(__dirname, 'experiments');

type Json = Record<string, unknown>;

/** `p` resolved against the folder of the original experiment file, unless absolute. */
function absolute(p: unknown): unknown {
  return typeof p === 'string' ? path.resolve(EXPERIMENTS_DIR, p) : p;
}

/**
 * Writes `<outDir>/<file>` from `bench/experiments/<file>` with `sizes`.
 * @returns the path written.
 */
export function deriveExperiment(file: string, sizes: Sizes, outDir: string): string {
  const exp = JSON.parse(fs.readFileSync(path.join(EXPERIMENTS_DIR, file), 'utf8')) as Json;
  delete exp.$schema;
  const data = exp.data as Json;
  for (const role of ['train', 'validation', 'test'] as const) {
    const src = data[role] as Json | undefined;
    if (!src) continue;
    for (const key of ['images', 'labels', 'path']) if (key in src) src[key] = absolute(src[key]);
    const perClass = role === 'train' ? sizes.perClass : role === 'test' ? sizes.testPerClass : undefined;
    if (perClass !== undefined) src.perClass = perClass;
  }
  const training = (exp.training ?? {}) as Json;
  training.epochs = sizes.epochs;
  exp.training = training;
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, file);
  fs.writeFileSync(out, JSON.stringify(exp, null, 2) + '\n');
  return out;
}
