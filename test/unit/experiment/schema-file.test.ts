// The committed schemas/transfer.schema.json is exactly what `npm run schema` generates now, and it
// is a draft-07 schema that ajv compiles and VS Code can read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Ajv from 'ajv';
import { SCHEMA_FILE, schemaFileText } from '../../../scripts/gen-schema.js';
import { buildExperimentJsonSchema } from '../../../src/core/experiment/json-schema.js';

test('committed schema equals a fresh generation (run `npm run schema` when this fails)', () => {
  assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), schemaFileText());
});

test('the schema is draft-07 with an $id and a title, and has no TypeBox symbols', () => {
  const s = buildExperimentJsonSchema();
  assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof s.$id, 'string');
  assert.equal(s.title, 'Transfer Lab experiment');
  const walk = (v: unknown): void => {
    if (v && typeof v === 'object') {
      assert.deepEqual(Object.getOwnPropertySymbols(v), []);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(s);
  const text = JSON.stringify(s);
  for (const newer of ['prefixItems', '$defs', 'unevaluatedProperties', 'dependentRequired']) assert.ok(!text.includes(`"${newer}"`), newer);
  // Draft-07 meta-schema check (ajv's default meta-schema) with VS Code's keywords registered.
  const ajv = new Ajv({ strict: true });
  ajv.addKeyword({ keyword: 'enumDescriptions' });
  ajv.addKeyword({ keyword: 'markdownDescription' });
  assert.equal(ajv.validateSchema(s), true, JSON.stringify(ajv.errors));
});

test('properties with a default are not required (a partial section validates)', () => {
  const s = buildExperimentJsonSchema();
  const lr = (s.properties as Record<string, { required?: string[] }>).learningRate;
  assert.deepEqual(lr.required ?? [], []);
});
