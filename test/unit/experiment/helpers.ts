// Helpers shared by the experiment tests: where a snippet sits in a text (1-based line:column,
// computed independently of the code under test) and a minimal valid experiment.
import type { ExperimentFile } from '../../../src/core/experiment/schema.js';

/**
 * 1-based line and column of the `nth` (0-based) occurrence of `needle` in `text`, counting from the
 * first occurrence of `after` when given (so a short needle such as a digit is not found in a path).
 */
export function at(text: string, needle: string, nth = 0, after?: string): { line: number; column: number; offset: number } {
  let offset = after === undefined ? -1 : text.indexOf(after);
  if (after !== undefined && offset < 0) throw new Error(`"${after}" not in the text`);
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" (#${nth}) not in the text`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1, offset };
}

/** The smallest valid experiment: MNIST digits on the built-in small CNN. */
export function minimal(extra: Partial<ExperimentFile> = {}): ExperimentFile {
  return { base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } }, ...extra };
}
