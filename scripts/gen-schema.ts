/**
 * `npm run schema`: writes `schemas/transfer.schema.json` (JSON Schema draft-07) from the TypeBox
 * `ExperimentSchema`. `npm run schema -- --check` writes nothing and exits 1 when the committed file
 * is stale. The schema is compiled with ajv's draft-07 meta-schema check before it is written.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { buildExperimentJsonSchema, VSCODE_SCHEMA_KEYWORDS } from '../src/core/experiment/json-schema.js';

/** Path of the generated file, from the repository root. */
export const SCHEMA_FILE = join(__dirname, '..', 'schemas', 'transfer.schema.json');

/** The exact text written to `schemas/transfer.schema.json`: 2-space JSON and a final newline. */
export function schemaFileText(): string {
  const schema = buildExperimentJsonSchema();
  // Throws when the schema is not valid draft-07 (meta-schema check) or uses unknown keywords.
  const ajv = new Ajv({ strict: true, allErrors: true });
  for (const keyword of VSCODE_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword });
  ajv.compile(schema);
  return JSON.stringify(schema, null, 2) + '\n';
}

function main(): void {
  const text = schemaFileText();
  let current: string | undefined;
  try {
    current = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    current = undefined;
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${SCHEMA_FILE} is stale: run \`npm run schema\``);
      process.exitCode = 1;
    }
    return;
  }
  if (current === text) {
    console.log(`${SCHEMA_FILE} is up to date`);
    return;
  }
  mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (require.main === module) main();
