/**
 * What people say about a run: a name, tags and notes, in `meta.json` beside `summary.json`
 * (`<runsDir>/<experiment>/<run-id>/meta.json`). Written only by people (the tree, the panel, tests),
 * never by the worker, so editing it never touches `metrics.jsonl` or `summary.json`. Replaced
 * atomically (temp file + rename); fields this version does not know are kept as they are. A run
 * without the file has no name, tags or notes. Pure Node fs (no vscode).
 *
 * ```json
 * { "name": "lr 3e-4, no warmup", "tags": ["baseline", "photos"], "notes": "first try" }
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from './store.js';

export const META_FILE = 'meta.json';

/** Longest run name, in characters. */
export const MAX_NAME_LENGTH = 80;
/** Longest tag, in characters. */
export const MAX_TAG_LENGTH = 32;
/** Most tags on one run. */
export const MAX_TAGS = 16;
/** Longest notes, in characters. */
export const MAX_NOTES_LENGTH = 10_000;

/** `meta.json` of a run: every field optional; unknown fields are carried along untouched. */
export interface RunMeta {
  /** Shown instead of the start time in the tree and the panel. */
  name?: string;
  /** Lower-case words (letters, digits, `-`, `_`, `.`, `/`), unique, in the order given. */
  tags?: string[];
  /** Free text. */
  notes?: string;
  [other: string]: unknown;
}

/** The fields {@link writeRunMeta} changes: a string sets, `''`/`[]`/null removes. */
export interface RunMetaPatch {
  name?: string | null;
  tags?: readonly string[] | null;
  notes?: string | null;
}

/** `meta.json` is not valid JSON, not an object, or a field has the wrong type; the message names the file (and field). */
export class RunMetaError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'RunMetaError';
  }
}

/** Why a run name cannot be used, or undefined when it can (empty means "no name"). */
export function nameProblem(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a run name is one line (no control characters)';
  if (name.trim().length > MAX_NAME_LENGTH) return `a run name has at most ${MAX_NAME_LENGTH} characters (this one has ${name.trim().length})`;
  return undefined;
}

const TAG = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_./-]*$/u;

/** Why a tag cannot be used, or undefined when it can. Tags are compared lower-cased. */
export function tagProblem(tag: string): string | undefined {
  if (tag.length > MAX_TAG_LENGTH) return `tag "${tag}" is longer than ${MAX_TAG_LENGTH} characters`;
  if (!TAG.test(tag.toLowerCase())) return `tag "${tag}": use letters, digits, "-", "_", "." or "/", starting with a letter or digit`;
  return undefined;
}

/**
 * Parses what a user typed in a tags box: tags separated by commas or spaces, lower-cased, duplicates
 * dropped (first kept). @returns the tags, or `{ error }` naming the first bad tag.
 */
export function parseTags(text: string): string[] | { error: string } {
  const tags: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const tag = raw.trim().replace(/^#/, '').toLowerCase();
    if (!tag) continue;
    const problem = tagProblem(tag);
    if (problem) return { error: problem };
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { error: `at most ${MAX_TAGS} tags (${tags.length} given)` };
  return tags;
}

/** Why notes cannot be stored, or undefined. */
export function notesProblem(notes: string): string | undefined {
  return notes.length > MAX_NOTES_LENGTH ? `notes have at most ${MAX_NOTES_LENGTH} characters (these have ${notes.length})` : undefined;
}

/**
 * Reads `meta.json` of a run folder. A missing file is `{}` (old runs, runs nobody named).
 * @throws RunMetaError when the file is not JSON (with the parser's message), not an object, or
 *   `name`/`notes` is not a string or `tags` not an array of strings.
 * @throws Node fs errors other than ENOENT (EACCES…).
 */
export function readRunMeta(runDir: string): RunMeta {
  const file = path.join(runDir, META_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunMetaError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RunMetaError(file, 'expected a JSON object');
  const m = value as Record<string, unknown>;
  for (const key of ['name', 'notes'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string') throw new RunMetaError(file, `"${key}" must be a string`);
  }
  if (m.tags !== undefined && (!Array.isArray(m.tags) || m.tags.some((t) => typeof t !== 'string'))) {
    throw new RunMetaError(file, '"tags" must be an array of strings');
  }
  return m as RunMeta;
}

/** {@link readRunMeta} that never throws: the meta (or `{}`) and the error's message when the file is bad. */
export function readRunMetaSafe(runDir: string): { meta: RunMeta; error?: string } {
  try {
    return { meta: readRunMeta(runDir) };
  } catch (e) {
    return { meta: {}, error: (e as Error).message };
  }
}

/**
 * Changes the name, tags or notes of a run: reads `meta.json` (keeping every other field), applies
 * `patch` (trimmed; empty removes the field), and replaces the file atomically. The run folder must
 * exist; nothing else in it is written.
 * @returns the meta now on disk.
 * @throws RunMetaError for a bad existing file (it is left as it is, so nothing is lost) or a bad
 *   value (message naming the field); Node fs errors (ENOENT: no such run folder, EACCES…).
 */
export function writeRunMeta(runDir: string, patch: RunMetaPatch): RunMeta {
  const file = path.join(runDir, META_FILE);
  if (!fs.statSync(runDir).isDirectory()) throw new RunMetaError(file, 'the run folder is not a folder');
  const meta: RunMeta = { ...readRunMeta(runDir) };
  if (patch.name !== undefined) {
    const name = (patch.name ?? '').trim();
    const problem = nameProblem(name);
    if (problem) throw new RunMetaError(file, `"name": ${problem}`);
    if (name) meta.name = name;
    else delete meta.name;
  }
  if (patch.tags !== undefined) {
    const parsed = parseTags((patch.tags ?? []).join(','));
    if (!Array.isArray(parsed)) throw new RunMetaError(file, `"tags": ${parsed.error}`);
    if (parsed.length) meta.tags = parsed;
    else delete meta.tags;
  }
  if (patch.notes !== undefined) {
    const notes = (patch.notes ?? '').trim();
    const problem = notesProblem(notes);
    if (problem) throw new RunMetaError(file, `"notes": ${problem}`);
    if (notes) meta.notes = notes;
    else delete meta.notes;
  }
  writeJsonAtomic(file, meta);
  return meta;
}
