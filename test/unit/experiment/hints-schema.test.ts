// The hints-only schema VS Code's JSON service reads (package.json `jsonValidation`): no keyword that
// makes the JSON service report a problem (outside `if`, whose problems it discards), every field and
// enum value of the full schema still there for completion, descriptions for hovers. The full schema
// (for users who point `$schema` at it) still validates as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HINTS_SCHEMA_FILE, hintsSchemaFileText } from '../../../scripts/gen-schema.js';
import { buildExperimentHintsSchema, buildExperimentJsonSchema } from '../../../src/core/experiment/json-schema.js';

const CONSTRAINTS = [
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'required',
  'additionalItems',
  'not',
  'format',
];

type Node = Record<string, unknown>;
/** Visits every schema node (not inside `if`, not inside annotation values). */
function walk(n: unknown, visit: (n: Node, where: string) => void, where = '#'): void {
  if (Array.isArray(n)) return n.forEach((x, i) => walk(x, visit, `${where}/${i}`));
  if (!n || typeof n !== 'object') return;
  const o = n as Node;
  visit(o, where);
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions')
      for (const [p, s] of Object.entries(v as Node)) walk(s, visit, `${where}/${k}/${p}`);
    else if (['items', 'additionalProperties', 'additionalItems', 'allOf', 'anyOf', 'oneOf', 'then', 'else'].includes(k)) walk(v, visit, `${where}/${k}`);
  }
}

test('committed hints schema equals a fresh generation (run `npm run schema` when this fails); package.json points jsonValidation at it', () => {
  assert.equal(fs.readFileSync(HINTS_SCHEMA_FILE, 'utf8'), hintsSchemaFileText());
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { url: string }[] };
  };
  assert.deepEqual(
    pkg.contributes.jsonValidation.map((j) => j.url),
    ['./schemas/transfer.hints.schema.json'],
  );
});

test('the hints schema has no constraint keyword outside `if` and no additionalProperties: false', () => {
  walk(buildExperimentHintsSchema(), (n, where) => {
    for (const k of CONSTRAINTS) assert.ok(!(k in n) || (k === 'type' && typeof n.type === 'object'), `${where} has "${k}"`);
    assert.notEqual(n.additionalProperties, false, `${where}: additionalProperties false`);
  });
});

test('every enum and const value of the full schema is offered as a snippet, every described property keeps its description', () => {
  const full = buildExperimentJsonSchema();
  const values = new Set<string>();
  const descriptions = new Set<string>();
  walk(full, (n) => {
    for (const v of (n.enum as unknown[]) ?? []) values.add(JSON.stringify(v));
    if ('const' in n) values.add(JSON.stringify(n.const));
    if (typeof n.description === 'string') descriptions.add(n.description);
  });
  const offered = new Set<string>();
  const kept = new Set<string>();
  walk(buildExperimentHintsSchema(), (n) => {
    for (const s of (n.defaultSnippets as { body: unknown }[]) ?? []) offered.add(JSON.stringify(s.body));
    if (typeof n.description === 'string') kept.add(n.description);
  });
  for (const v of values) assert.ok(offered.has(v), `${v} is not offered`);
  for (const d of descriptions) assert.ok(kept.has(d), `description lost: ${d.slice(0, 60)}`);
  assert.ok(values.size > 40, `${values.size} values`);
});

test('a kind union becomes one if/then per kind, its fields only under its own kind', () => {
  const h = buildExperimentHintsSchema() as { properties: { data: { properties: { train: Node } } } };
  const train = h.properties.data.properties.train as {
    allOf: { if: { properties: { kind: { const: string } } }; then: { properties: Node } }[];
    properties: { kind: Node };
  };
  const byKind = Object.fromEntries(train.allOf.map((b) => [b.if.properties.kind.const, Object.keys(b.then.properties)]));
  assert.deepEqual(byKind.mnist, ['kind', 'classes', 'perClass', 'transform']);
  assert.ok(byKind.imageFolder!.includes('path'));
  assert.ok(!byKind.mnist!.includes('path'));
  assert.deepEqual(
    (train.properties.kind.defaultSnippets as { body: string }[]).map((s) => s.body),
    Object.keys(byKind),
  );
});
