/**
 * Turns the TypeBox `ExperimentSchema` into the plain draft-07 JSON Schema object that VS Code's JSON
 * service reads (`schemas/transfer.schema.json`, written by `npm run schema`) and that the run-time
 * validator compiles with ajv. Both use this one function, so they check the same schema.
 */
import { ExperimentSchema } from './schema.js';

/** The `$id` of the generated schema (a name, never fetched). */
export const EXPERIMENT_SCHEMA_ID = 'https://transfer-lab.invalid/schemas/transfer.schema.json';

/**
 * Keywords of VS Code's JSON language service (completion texts, snippets, messages): not draft-07,
 * ignored by other validators. ajv must be told about them (`ajv.addKeyword`) in strict mode.
 */
export const VSCODE_SCHEMA_KEYWORDS = [
  'enumDescriptions',
  'markdownDescription',
  'markdownEnumDescriptions',
  'defaultSnippets',
  'errorMessage',
  'deprecationMessage',
  'doNotSuggest',
] as const;

/** Keywords of JSON Schema draft-07 (validation and annotations) plus the VS Code extensions we emit. */
const DRAFT07_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$comment',
  'title',
  'description',
  'default',
  'readOnly',
  'writeOnly',
  'examples',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'contentMediaType',
  'contentEncoding',
  'items',
  'additionalItems',
  'maxItems',
  'minItems',
  'uniqueItems',
  'contains',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'dependencies',
  'propertyNames',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'definitions',
  // VS Code JSON language service extensions (ignored by other validators).
  ...VSCODE_SCHEMA_KEYWORDS,
]);

/** Keywords whose value is a map from names to sub-schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is a sub-schema or an array of sub-schemas. */
const SCHEMA_VALUES = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'not',
  'allOf',
  'anyOf',
  'oneOf',
]);

/** Order keywords are written in; keywords not listed follow alphabetically. Property order is the source order. */
const KEY_ORDER = [
  '$schema',
  '$id',
  'title',
  '$comment',
  'description',
  'markdownDescription',
  'type',
  'const',
  'enum',
  'enumDescriptions',
  'default',
  'examples',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'additionalItems',
  'required',
  'properties',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
];
const rank = (k: string): number => {
  const i = KEY_ORDER.indexOf(k);
  return i < 0 ? KEY_ORDER.length : i;
};

/** Thrown when the TypeBox output uses a keyword draft-07 does not know (e.g. `prefixItems`, `$defs`). */
export class SchemaGenerationError extends Error {}

/**
 * Builds the experiment JSON Schema (draft-07): a deep copy of `ExperimentSchema` without TypeBox's
 * symbol keys, with keywords in a fixed order (so the file is stable), a `markdownDescription` next to
 * every description that uses Markdown backticks (VS Code renders it in hovers), and `$schema`, `$id`,
 * `title` at the top.
 *
 * @throws SchemaGenerationError when a keyword outside draft-07 appears (the path is in the message).
 */
export function buildExperimentJsonSchema(): Record<string, unknown> {
  const body = normalize(ExperimentSchema, '#') as Record<string, unknown>;
  const { title, ...rest } = body;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: EXPERIMENT_SCHEMA_ID,
    title: title ?? 'Transfer Lab experiment',
    $comment: 'Generated from src/core/experiment/schema.ts by `npm run schema`; do not edit by hand.',
    ...rest,
  };
}

/** Recursively copies one schema node: string keys only, ordered, checked against draft-07. */
function normalize(node: unknown, where: string): unknown {
  if (Array.isArray(node)) return node.map((v, i) => normalize(v, `${where}/${i}`));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const keys = Object.keys(src).sort((a, b) => rank(a) - rank(b) || (rank(a) === KEY_ORDER.length && a !== b ? (a < b ? -1 : 1) : 0));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (!DRAFT07_KEYWORDS.has(key)) throw new SchemaGenerationError(`${where}: keyword "${key}" is not JSON Schema draft-07`);
    const value = src[key];
    if (value === undefined) continue;
    if (SCHEMA_MAPS.has(key)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value as Record<string, unknown>)) map[name] = normalize(sub, `${where}/${key}/${name}`);
      out[key] = map;
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = normalize(value, `${where}/${key}`);
    } else {
      // Annotation or constraint values (examples, default, enum…): plain JSON, copied as is.
      out[key] = JSON.parse(JSON.stringify(value)) as unknown;
    }
    if (key === 'description' && typeof value === 'string' && value.includes('`') && src.markdownDescription === undefined) {
      out.markdownDescription = value;
    }
  }
  return out;
}

/** The `$id` of the hints-only schema VS Code's JSON service reads through `jsonValidation`. */
export const EXPERIMENT_HINTS_SCHEMA_ID = 'https://transfer-lab.invalid/schemas/transfer.hints.schema.json';

/**
 * Keywords that make VS Code's JSON service report a problem (as a warning, in its own words): the
 * hints schema has none of them, so every schema problem is reported once, by Transfer Lab's own
 * checker, as the error `transfer-lab validate` and Run give.
 */
const CONSTRAINT_KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'contentMediaType',
  'contentEncoding',
  'maxItems',
  'minItems',
  'uniqueItems',
  'contains',
  'maxProperties',
  'minProperties',
  'required',
  'dependencies',
  'propertyNames',
  'not',
  'errorMessage',
  'deprecationMessage',
]);

/** A value suggestion of VS Code's JSON service (`defaultSnippets`: label, documentation, inserted JSON). */
interface Snippet {
  label: string;
  description?: string;
  markdownDescription?: string;
  body: unknown;
}

/** The discriminator constant of an object alternative (`properties.kind.const`), if any. */
function kindOf(alt: unknown): string | undefined {
  const kind = ((alt as { properties?: Record<string, { const?: unknown }> } | null)?.properties ?? {}).kind?.const;
  return typeof kind === 'string' ? kind : undefined;
}

/**
 * Builds the hints-only schema for VS Code's JSON service (`jsonValidation` in package.json): the
 * full schema's structure and annotations — `properties`, `items`, descriptions (hovers), `default`,
 * `examples`, `defaultSnippets` — without one constraint, so the JSON service never reports a schema
 * problem itself; Transfer Lab's diagnostics (the full schema through ajv, with "did you mean")
 * report them as errors. What the constraints gave completion is kept another way:
 *
 * - `enum` and `const` values become `defaultSnippets` (label = the JSON value, documentation = its
 *   `enumDescriptions` entry), and a boolean gets `true` and `false`;
 * - a union of objects told apart by `kind` (`base`, `data.train`, …) becomes a `kind` property that
 *   suggests every kind, plus one `if` (`kind` is K) / `then` (that alternative's hints) per
 *   alternative: the JSON service discards the problems of an `if`, and merges the `then` it takes,
 *   so a `"kind": "builtin"` object is offered the builtin fields only;
 * - other unions keep `anyOf` over hinted alternatives (all of them match, none reports).
 *
 * Full schema for users who point `$schema` at it: {@link buildExperimentJsonSchema}.
 */
export function buildExperimentHintsSchema(): Record<string, unknown> {
  const full = buildExperimentJsonSchema();
  const body = hintsOf(full) as Record<string, unknown>;
  return {
    $schema: full.$schema,
    $id: EXPERIMENT_HINTS_SCHEMA_ID,
    title: full.title,
    $comment:
      'Completion and hover hints only, for VS Code (no constraints: Transfer Lab reports schema problems itself). The full schema is transfer.schema.json. Generated by `npm run schema`; do not edit by hand.',
    ...Object.fromEntries(Object.entries(body).filter(([k]) => !['$schema', '$id', 'title', '$comment'].includes(k))),
  };
}

/** Hints of one schema node (see {@link buildExperimentHintsSchema}). */
function hintsOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(hintsOf);
  if (node === null || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const snippets: Snippet[] = [];
  const descriptions = (src.enumDescriptions ?? []) as string[];
  if (Array.isArray(src.enum))
    src.enum.forEach((v, i) => snippets.push({ label: JSON.stringify(v), ...(descriptions[i] ? { description: descriptions[i] } : {}), body: v }));
  if ('const' in src)
    snippets.push({ label: JSON.stringify(src.const), ...(typeof src.description === 'string' ? { description: src.description } : {}), body: src.const });
  if (src.type === 'boolean' && snippets.length === 0) snippets.push({ label: 'true', body: true }, { label: 'false', body: false });
  for (const [key, value] of Object.entries(src)) {
    if (CONSTRAINT_KEYWORDS.has(key) || key === 'enumDescriptions') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, hintsOf(v)]));
    } else if (key === 'additionalProperties' || key === 'additionalItems') {
      if (value && typeof value === 'object') out[key] = hintsOf(value); // `false` is a constraint
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value) && value.length > 1 && value.every((alt) => kindOf(alt) !== undefined)) {
      Object.assign(out, discriminated(value, out));
    } else if (key === 'defaultSnippets' && Array.isArray(value)) {
      snippets.unshift(...(value as Snippet[]));
    } else if (['items', 'allOf', 'anyOf', 'oneOf', 'then', 'else'].includes(key)) {
      out[key] = hintsOf(value);
    } else {
      out[key] = JSON.parse(JSON.stringify(value)) as unknown; // annotations (description, default, examples…) and `if`, whose problems are never reported
    }
  }
  if (snippets.length) out.defaultSnippets = snippets;
  return out;
}

/** A union of objects told apart by `kind` as a suggested `kind` plus one `if`/`then` per alternative. */
function discriminated(alts: unknown[], out: Record<string, unknown>): Record<string, unknown> {
  const kinds = alts.map((alt) => {
    const a = alt as { description?: string; properties?: { kind?: { description?: string } } };
    const description = a.description ?? a.properties?.kind?.description;
    return { label: JSON.stringify(kindOf(alt)), ...(description ? { description } : {}), body: kindOf(alt) };
  });
  const properties = {
    ...((out.properties as Record<string, unknown>) ?? {}),
    kind: { description: 'Which kind this is; each kind has its own fields.', defaultSnippets: kinds },
  };
  const branches = alts.map((alt) => ({ if: { properties: { kind: { const: kindOf(alt) } }, required: ['kind'] }, then: hintsOf(alt) }));
  return { properties, allOf: [...((out.allOf as unknown[]) ?? []), ...branches] };
}
