/**
 * Checks the text of a `*.transfer.json` file against the experiment JSON Schema: JSON syntax (with
 * comments and trailing commas allowed), then the draft-07 schema generated from `schema.ts` (the
 * object VS Code's JSON service reads too), with ajv errors rewritten as one readable problem each,
 * located at the offending value.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { getLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { buildExperimentJsonSchema, VSCODE_SCHEMA_KEYWORDS } from './json-schema.js';
import { JSONC_OPTIONS, JsonLocator, parsePointer, toPointer, type LocateOptions } from './locate.js';
import { capProblems, describeSize, findTooDeep, MAX_EXPERIMENT_CHARS, MAX_EXPERIMENT_DEPTH, MAX_PROBLEMS } from './limits.js';
import { hasErrors, sortProblems, type Problem } from './problem.js';
import type { ExperimentFile } from './schema.js';
import { closest, didYouMean } from './suggest.js';

/** Result of {@link validateExperimentText}. */
export interface ValidationResult {
  /** The parsed experiment, present when there are no errors (warnings allowed). */
  experiment?: ExperimentFile;
  /** Syntax and schema problems in text order. */
  problems: Problem[];
}

let compiled: ValidateFunction | undefined;

/** The compiled validator of the generated schema (compiled once per process). */
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
    for (const keyword of VSCODE_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword });
    compiled = ajv.compile(buildExperimentJsonSchema());
  }
  return compiled;
}

/**
 * Parses and schema-checks an experiment file's text. Never throws.
 * @param text the file content (JSON with comments).
 * @param file the file path, used only in messages.
 * @returns the experiment (when there are no errors) and the problems, each with a JSON pointer
 *   path and a 1-based line:column. A JSON syntax error stops there (no schema check). Duplicate
 *   property names are warnings (the last one wins, as in `JSON.parse`). A text over 1 MiB or
 *   nested more than 64 levels deep is one error, found before parsing; at most 100 problems are
 *   listed, the rest counted in a last one (`limits.ts`). Linear in the text's length.
 */
export function validateExperimentText(text: string, file: string): ValidationResult {
  if (text.length > MAX_EXPERIMENT_CHARS) {
    const message = `${file} is ${describeSize(text.length)}: an experiment file may be at most ${describeSize(MAX_EXPERIMENT_CHARS)} (real ones are a few KB)`;
    return { problems: [{ path: '', message, severity: 'error', offset: 0, length: Math.min(1, text.length), line: 1, column: 1 }] };
  }
  const deep = findTooDeep(text);
  if (deep) {
    const message = `objects and arrays are nested more than ${MAX_EXPERIMENT_DEPTH} levels deep here (an experiment needs at most 6)`;
    return { problems: [{ path: '', message, severity: 'error', offset: deep.offset, length: 1, ...lineColumn(text, deep.offset) }] };
  }
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, JSONC_OPTIONS);
  const locator = new JsonLocator(text, root);
  if (syntax.length > 0) {
    return {
      problems: capProblems(sortProblems(syntax.slice(0, MAX_PROBLEMS).map((e) => syntaxProblem(locator, e))), Math.max(0, syntax.length - MAX_PROBLEMS)),
    };
  }
  if (!root) {
    return { problems: [locator.problem('', `${file} is empty: expected an experiment object { "base": …, "data": … }`)] };
  }
  const problems = duplicateKeys(locator, root, []);
  let unlisted = 0;
  const value = getNodeValue(root) as unknown;
  const validate = validator();
  if (!validate(value)) {
    const { errors, extra } = focusUnions(validate.errors ?? [], value);
    // Only the first MAX_PROBLEMS are located (locating is what costs); the rest are counted.
    const listed = errors.filter((e) => e.keyword !== 'anyOf'); // schemaProblem gives one problem for each of these
    const raw = [...extra, ...listed.slice(0, MAX_PROBLEMS).map((e) => schemaProblem(e, value)!)].slice(0, MAX_PROBLEMS);
    for (const e of raw) problems.push(locator.problem(e.path, e.message, 'error', e.options));
    unlisted = extra.length + listed.length - raw.length;
  }
  const sorted = capProblems(sortProblems(problems), unlisted);
  return hasErrors(sorted) ? { problems: sorted } : { experiment: value as ExperimentFile, problems: sorted };
}

/** 1-based line and column of `offset` (one pass over the text before it; no parse). */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

// ---------------------------------------------------------------------------------------------
// JSON syntax
// ---------------------------------------------------------------------------------------------

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected (in double quotes)',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace "}" expected',
  CloseBracketExpected: 'closing bracket "]" expected',
  EndOfFileExpected: 'end of file expected (text after the experiment object)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'comment not closed ("*/" expected)',
  UnexpectedEndOfString: "string not closed ('\"' expected)",
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function syntaxProblem(locator: JsonLocator, e: ParseError): Problem {
  const code = printParseErrorCode(e.error);
  const range = locator.range(e.offset, Math.max(1, e.length));
  const path = toPointer(getLocation(locator.text, e.offset).path);
  return { path, message: `JSON syntax error: ${SYNTAX_MESSAGES[code] ?? code}`, severity: 'error', syntax: true, ...range };
}

/** Warnings for property names that appear twice in one object. */
function duplicateKeys(locator: JsonLocator, node: Node, path: (string | number)[]): Problem[] {
  const out: Problem[] = [];
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (!key) continue;
      const name = String(key.value);
      if (seen.has(name)) {
        const pos = locator.range(key.offset, key.length);
        out.push({ path: toPointer([...path, name]), message: `duplicate property "${name}" (the last one wins)`, severity: 'warning', syntax: true, ...pos });
      }
      seen.add(name);
      if (value) out.push(...duplicateKeys(locator, value, [...path, name]));
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, i) => out.push(...duplicateKeys(locator, child, [...path, i])));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// anyOf: report against the matching branch
// ---------------------------------------------------------------------------------------------

interface RawProblem {
  path: string;
  message: string;
  options?: LocateOptions;
}

/** The value at a JSON pointer, or undefined. */
function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const s of parsePointer(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * With `allErrors`, a failing `anyOf` reports the errors of every branch. Keep only the branch the
 * value was meant for: for unions of objects told apart by a `kind` constant, the branch of the
 * value's `kind` (an unknown or missing `kind` becomes one problem listing the kinds); for other
 * unions, the one branch whose type the value has (else one "must be A or B" problem).
 */
function focusUnions(errors: ErrorObject[], data: unknown): { errors: ErrorObject[]; extra: RawProblem[] } {
  let kept = errors.slice();
  const extra: RawProblem[] = [];
  const unions = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (!kept.includes(u)) continue; // inside a branch already dropped
    const branches = (u.schema ?? []) as Record<string, unknown>[];
    const inBranch = (e: ErrorObject, i: number) => e.schemaPath.startsWith(`${u.schemaPath}/${i}/`);
    const inAny = (e: ErrorObject) => e.schemaPath.startsWith(`${u.schemaPath}/`);
    const value = valueAt(data, u.instancePath);
    const kinds = branches.map((b) => (b.properties as Record<string, { const?: unknown }> | undefined)?.kind?.const);
    let chosen: number | undefined;
    if (kinds.length > 0 && kinds.every((k) => typeof k === 'string')) {
      const list = kinds.map((k) => `"${String(k)}"`).join(', ');
      if (!isObject(value)) {
        extra.push({ path: u.instancePath, message: `must be an object with a "kind" (${list})` });
      } else if (value.kind === undefined) {
        extra.push({ path: u.instancePath, message: `missing required property "kind" (one of ${list})` });
      } else {
        const kind: unknown = value.kind;
        const i = (kinds as unknown[]).indexOf(kind);
        if (i >= 0) chosen = i;
        else {
          const hint = typeof kind === 'string' ? didYouMean(kind, kinds as string[]) : '';
          extra.push({ path: `${u.instancePath}/kind`, message: `unknown kind ${JSON.stringify(kind)}: must be one of ${list}${hint}` });
        }
      }
    } else {
      const typeMatches = branches
        .map((_, i) => i)
        .filter((i) => !kept.some((e) => inBranch(e, i) && e.instancePath === u.instancePath && e.keyword === 'type'));
      if (typeMatches.length === 1) chosen = typeMatches[0];
      else extra.push({ path: u.instancePath, message: `must be ${branches.map(describeSchema).join(' or ')}${found(value)}` });
    }
    kept = kept.filter((e) => e !== u && (!inAny(e) || (chosen !== undefined && inBranch(e, chosen))));
  }
  return { errors: kept, extra };
}

/** "an array of numbers", "\"balanced\"", … for "must be A or B" messages. */
function describeSchema(s: Record<string, unknown>): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  const t = typeof s.type === 'string' ? s.type : 'value';
  if (t === 'array' && isObject(s.items) && typeof s.items.type === 'string') return `an array of ${s.items.type}s`;
  return article(t);
}

// ---------------------------------------------------------------------------------------------
// one ajv error → one readable problem
// ---------------------------------------------------------------------------------------------

function article(type: string): string {
  switch (type) {
    case 'object':
    case 'array':
    case 'integer':
      return `an ${type}`;
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return `a ${type}`;
  }
}

/** ` (found …)` describing a value briefly. */
function found(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return ' (found an array)';
  if (isObject(v)) return ' (found an object)';
  const s = JSON.stringify(v);
  return ` (found ${s.length > 40 ? s.slice(0, 37) + '…' : s})`;
}

function schemaProblem(e: ErrorObject, data: unknown): RawProblem | undefined {
  const path = e.instancePath;
  const value = valueAt(data, path);
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, message: `missing required property "${String(p.missingProperty)}"` };
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const allowed = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      const kind = isObject(value) && typeof value.kind === 'string' && allowed.includes('kind') ? ` for kind "${value.kind}"` : '';
      const hint = closest(name, allowed);
      const tail = hint ? `; did you mean "${hint}"?` : allowed.length > 0 ? ` (allowed${kind}: ${allowed.join(', ')})` : '';
      return { path: toPointer([...parsePointer(path), name]), message: `unknown property "${name}"${tail}`, options: { key: true } };
    }
    case 'type': {
      const types = String(p.type).split(',').map(article).join(' or ');
      return { path, message: `must be ${types}${found(value)}` };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const hint =
        typeof value === 'string'
          ? didYouMean(
              value,
              allowed.filter((a): a is string => typeof a === 'string'),
            )
          : '';
      return { path, message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${found(value)}${hint}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}${found(value)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${String(p.comparison)} ${String(p.limit)}${found(value)}` };
    case 'minLength':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    case 'minItems':
    case 'maxItems':
    case 'additionalItems': {
      const min = parent.minItems;
      const max = parent.maxItems;
      const n = Array.isArray(value) ? ` (found ${value.length})` : '';
      if (typeof min === 'number' && min === max) return { path, message: `must have exactly ${min} items${n}` };
      if (e.keyword === 'minItems') return { path, message: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} items${n}` };
      return { path, message: `must have at most ${String(p.limit)} items${n}` };
    }
    case 'uniqueItems':
      return { path, message: `must not repeat an item (items ${String(p.j)} and ${String(p.i)} are equal)` };
    case 'pattern':
      if (p.pattern === '^https?://') return { path, message: `must start with http:// or https://${found(value)}` };
      return { path, message: `must match the pattern ${String(p.pattern)}${found(value)}` };
    case 'anyOf':
      return undefined; // replaced by focusUnions
    default:
      return { path, message: e.message ?? `fails "${e.keyword}"` };
  }
}
