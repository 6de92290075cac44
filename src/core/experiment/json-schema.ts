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
