/**
 * A problem found in an experiment file (JSON syntax, schema, or semantic check), located in the text
 * so the extension can show it as a diagnostic and the CLI can print it as `file:line:col path: message`.
 */

/** `error` stops a run; `warning` does not. */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** JSON pointer of the offending value, e.g. `/data/train/classes/0`; `''` is the whole document. */
  path: string;
  /** One readable sentence, without the path. */
  message: string;
  /** 1-based line of `offset`. */
  line: number;
  /** 1-based column of `offset`, in UTF-16 code units (as VS Code counts). */
  column: number;
  /** 0-based character offset of the start of the range in the text. */
  offset: number;
  /** Length of the range in characters (at least 1 when the text is not empty). */
  length: number;
  severity: Severity;
  /**
   * Set on JSON syntax problems and duplicate property names: what any JSON editor reports itself (VS
   * Code's JSON service does), as opposed to the schema and semantic problems only Transfer Lab finds.
   */
  syntax?: true;
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Problems in text order (then errors before warnings), without duplicates of path + message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.severity}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** `file:line:col path: message` (with `warning: ` before warnings' messages); the root path prints as `/`. */
export function formatProblem(file: string, p: Problem): string {
  const where = p.path === '' ? '/' : p.path;
  return `${file}:${p.line}:${p.column} ${where}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}
