// Pathological experiment texts: a size cap and a nesting cap found before parsing, and a cap on
// the problems listed. The CLI (validate, run), the worker and the editor's diagnostics share them.
// Before: 60,000 unknown keys kept validate busy > 120 s, 50 MB of whitespace took 58 s and 2.7 GB,
// JSON nested 100,000 deep threw "Maximum call stack size exceeded".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExperimentText as checkAll } from '../../../src/core/experiment/load.js';
import { findTooDeep, MAX_EXPERIMENT_DEPTH, MAX_PROBLEMS } from '../../../src/core/experiment/limits.js';
import { validateExperimentText } from '../../../src/core/experiment/validate.js';
import { checkExperimentText as checkForEditor } from '../../../src/extension/diagnostics/checkExperiment.js';

const FILE = path.join(os.tmpdir(), 'limits.transfer.json');
const GOOD = {
  base: { kind: 'builtin', architecture: 'smallCnn' },
  data: { train: { kind: 'mnist', classes: [3, 8], perClass: 40 } },
  transfer: { strategy: 'scratch' },
  training: { epochs: 1, batchSize: 8 },
};

test('60,000 unknown properties: the first 100 are listed, then one problem counting the other 59,900', async () => {
  const exp: Record<string, unknown> = { ...GOOD };
  for (let i = 0; i < 60_000; i++) exp[`k${i}`] = i;
  const text = JSON.stringify(exp); // 0.9 MB: under the size cap
  assert.ok(text.length < 1 << 20);
  const t0 = performance.now();
  const r = validateExperimentText(text, FILE);
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(r.experiment, undefined);
  assert.equal(r.problems.length, MAX_PROBLEMS + 1);
  assert.match(r.problems[0]!.message, /unknown property "k0"/);
  assert.equal(r.problems[0]!.column, text.indexOf('"k0"') + 1);
  assert.match(r.problems[MAX_PROBLEMS]!.message, /^… and 59,900 more problems \(only the first 100 are listed\)$/);
  assert.equal(r.problems[MAX_PROBLEMS]!.severity, 'error');
  // The editor's diagnostics and the run's loader go through the same check.
  assert.equal((await checkForEditor(FILE, text)).schema.length, MAX_PROBLEMS + 1);
  assert.equal((await checkAll(text, FILE)).problems.length, MAX_PROBLEMS + 1);
  console.log(`60,000 unknown keys (${(text.length / 1e6).toFixed(2)} MB): validateExperimentText ${seconds.toFixed(2)} s`);
});

test('a text over 1 MiB is one error before parsing (50 MB of whitespace)', async () => {
  const text = `{${' '.repeat(50 << 20)}}`;
  const r = validateExperimentText(text, FILE);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, /limits\.transfer\.json is 52\.4 MB: an experiment file may be at most 1\.0 MB/);
  assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column, r.problems[0]!.severity], [1, 1, 'error']);
  assert.equal((await checkForEditor(FILE, text)).schema.length, 1);
});

test('nesting 100,000 deep is one error at the first level past 64 (was a stack overflow)', async () => {
  const text = `{\n  "base": ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}`;
  const r = validateExperimentText(text, FILE);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, /nested more than 64 levels deep/);
  // The root object is level 1, so the 64th "[" opens level 65.
  assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [2, 11 + 63]);
  const all = await checkAll(text, FILE);
  assert.equal(all.problems.length, 1);
});

test('the depth scan skips brackets inside strings and comments, and accepts 64 levels', () => {
  const inString = `{"name": "${'['.repeat(200)}\\"${'{'.repeat(200)}"}`;
  assert.equal(findTooDeep(inString), undefined);
  const inComments = `// ${'['.repeat(200)}\n/* ${'{'.repeat(200)} */ {}`;
  assert.equal(findTooDeep(inComments), undefined);
  const exactly = '['.repeat(MAX_EXPERIMENT_DEPTH) + ']'.repeat(MAX_EXPERIMENT_DEPTH);
  assert.equal(findTooDeep(exactly), undefined);
  assert.deepEqual(findTooDeep(`[${exactly}]`), { offset: MAX_EXPERIMENT_DEPTH });
  // A real experiment passes untouched.
  assert.equal(validateExperimentText(JSON.stringify(GOOD, null, 2), FILE).problems.length, 0);
});
