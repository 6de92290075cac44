/**
 * Runs the core checks on an experiment file's text: JSON syntax and the schema (core validator),
 * then, when those pass, the semantic checks the schema can't express (core semantic checks). All
 * without tfjs.
 */
import { checkExperimentText as checkAll } from '../../core/experiment/load.js';
import type { Problem } from '../../core/experiment/problem.js';

/** Problems by kind, each located in the text. */
export interface CheckResult {
  /**
   * JSON syntax and schema problems. Those marked `syntax` VS Code's JSON service reports itself; the
   * schema problems only Transfer Lab reports (its `jsonValidation` schema holds hints, no constraints).
   */
  schema: Problem[];
  /** Problems the schema can't express: layer names, data folders, class filters, … */
  semantic: Problem[];
}

/** All problems of a result, in text order. */
export function allProblems(r: CheckResult): Problem[] {
  return [...r.schema, ...r.semantic].sort((a, b) => a.offset - b.offset);
}

const key = (p: Problem) => `${p.offset}\u0000${p.path}\u0000${p.message}`;

/**
 * Checks the text of the experiment file at `file` (relative paths resolve against its folder;
 * `runsDir` lets a `run` base's layers be read from its checkpoint).
 */
export async function checkExperimentText(file: string, text: string, runsDir?: string): Promise<CheckResult> {
  // One pass of the core checks: the schema problems are reported as such, the rest as semantic.
  const all = await checkAll(text, file, runsDir ? { runsDir } : {});
  const seen = new Set(all.schemaProblems.map(key));
  return { schema: all.schemaProblems, semantic: all.problems.filter((p) => !seen.has(key(p))) };
}
