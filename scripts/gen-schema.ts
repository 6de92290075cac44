/**
 * `npm run schema`: writes `schemas/transfer.schema.json` (JSON Schema draft-07, the full schema users
 * may point `$schema` at) and `schemas/transfer.hints.schema.json` (the constraint-free hints VS Code's
 * JSON service reads through `jsonValidation`) from the TypeBox `ExperimentSchema`.
 * `npm run schema -- --check` writes nothing and exits 1 when a committed file is stale. Both are
 * compiled with ajv's draft-07 meta-schema check before they are written.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { buildExperimentHintsSchema, buildExperimentJsonSchema, VSCODE_SCHEMA_KEYWORDS } from '../src/core/experiment/json-schema.js';

/** Path of the generated file, from the repository root. */
export const SCHEMA_FILE = join(__dirname, '..', 'schemas', 'transfer.schema.json');

/** Path of the generated hints-only schema (package.json's `jsonValidation`). */
export const HINTS_SCHEMA_FILE = join(__dirname, '..', 'schemas', 'transfer.hints.schema.json');

/** The exact text written to `schemas/transfer.hints.schema.json`. */
export function hintsSchemaFileText(): string {
  // No `type` next to `properties`, no `minItems` next to tuple `items`, by design (those are
  // constraints): ajv's strict mode would refuse that; the draft-07 meta-schema check still runs.
  return schemaText(buildExperimentHintsSchema(), { strict: false });
}

/** The exact text written to `schemas/transfer.schema.json`: 2-space JSON and a final newline. */
export function schemaFileText(): string {
  return schemaText(buildExperimentJsonSchema());
}

function schemaText(schema: Record<string, unknown>, options: { strict?: boolean } = {}): string {
  // Throws when the schema is not valid draft-07 (meta-schema check) or uses unknown keywords.
  const ajv = new Ajv({ strict: true, allErrors: true, ...options });
  for (const keyword of VSCODE_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword });
  ajv.compile(schema);
  return JSON.stringify(schema, null, 2) + '\n';
}

function main(): void {
  let stale = false;
  for (const [file, text] of [
    [SCHEMA_FILE, schemaFileText()],
    [HINTS_SCHEMA_FILE, hintsSchemaFileText()],
  ] as const) {
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (process.argv.includes('--check')) {
      if (current !== text) {
        console.error(`${file} is stale: run \`npm run schema\``);
        stale = true;
      }
    } else if (current === text) {
      console.log(`${file} is up to date`);
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (require.main === module) main();
