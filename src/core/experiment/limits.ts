/**
 * Limits that keep checking an experiment file fast and bounded whatever its text: a size cap and a
 * nesting-depth cap checked in one linear scan before the text is parsed (jsonc-parser's tree
 * builder recurses once per level: 100,000 levels overflowed the stack), and a cap on how many
 * problems are reported (60,000 unknown properties were 60,000 located problems). The CLI, the
 * worker and the editor's diagnostics all check through `validateExperimentText`, so they share them.
 */
import type { Problem } from './problem.js';

/** Largest experiment text accepted, in UTF-16 code units (1 MiB; real experiment files are a few KB). */
export const MAX_EXPERIMENT_CHARS = 1 << 20;

/** Deepest nesting of objects and arrays accepted (the schema's deepest path has 6 levels). */
export const MAX_EXPERIMENT_DEPTH = 64;

/** Problems reported one by one; any further ones are counted in one closing problem. */
export const MAX_PROBLEMS = 100;

/** Where the text first nests deeper than {@link MAX_EXPERIMENT_DEPTH}. */
export interface TooDeep {
  /** 0-based offset of the `{` or `[` that opens the level past the limit. */
  offset: number;
}

/**
 * Scans JSON-with-comments text once (strings, escapes and comments skipped) and returns where it
 * first nests deeper than `maxDepth`, or undefined. Linear time, constant memory.
 */
export function findTooDeep(text: string, maxDepth = MAX_EXPERIMENT_DEPTH): TooDeep | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a) break; // closed (or left open at a line end, as jsonc-parser does)
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return { offset: i };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** "1.5 MB", "800 KB" for messages. */
export function describeSize(chars: number): string {
  return chars >= 1e6 ? `${(chars / 1e6).toFixed(1)} MB` : `${Math.ceil(chars / 1e3)} KB`;
}

/**
 * The first {@link MAX_PROBLEMS} of `problems` (sorted), then one problem counting the others and
 * `unlisted` more that were never located: "… and 59,900 more problems". Errors win: the closing
 * problem is an error when an error was left out.
 */
export function capProblems(problems: Problem[], unlisted = 0): Problem[] {
  const kept = problems.slice(0, MAX_PROBLEMS);
  const hidden = problems.length - kept.length + unlisted;
  if (hidden <= 0) return problems;
  const last = kept[kept.length - 1];
  const error = unlisted > 0 || problems.slice(MAX_PROBLEMS).some((p) => p.severity === 'error');
  return [
    ...kept,
    {
      path: '',
      message: `… and ${hidden.toLocaleString('en-US')} more problem${hidden === 1 ? '' : 's'} (only the first ${MAX_PROBLEMS} are listed)`,
      severity: error ? 'error' : 'warning',
      offset: last?.offset ?? 0,
      length: last?.length ?? 0,
      line: last?.line ?? 1,
      column: last?.column ?? 1,
    },
  ];
}
