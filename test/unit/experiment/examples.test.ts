// Every shipped example experiment passes the schema and the semantic checks that need no files
// (data and model files are checked where the examples run: the demo, the worker tests, the bench).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkExperimentText } from '../../../src/core/experiment/load.js';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

test('examples/*.transfer.json have no errors', async () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.transfer.json') && !f.startsWith('_'));
  assert.ok(files.length >= 20, `only ${files.length} examples`);
  for (const f of files) {
    const file = path.join(EXAMPLES, f);
    const checked = await checkExperimentText(fs.readFileSync(file, 'utf8'), file, { checkFiles: false });
    const errors = checked.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((p) => `${f}:${p.line}:${p.column} ${p.path} ${p.message}`),
      [],
      f,
    );
  }
});

test('the demo targets of one size differ only in base, transfer, learning rate and description', () => {
  for (const n of [10, 50]) {
    const read = (s: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, `digits-5-9-${n}-${s}.transfer.json`), 'utf8'));
    const [scratch, fe, ft] = ['scratch', 'feature-extraction', 'fine-tune'].map(read);
    for (const other of [fe, ft]) {
      assert.deepEqual(other.data, scratch.data, `${n}: identical data and split`);
      assert.deepEqual(other.training, scratch.training, `${n}: identical training settings`);
      assert.deepEqual(other.optimizer, scratch.optimizer);
      assert.equal(other.transfer.cutLayer, scratch.transfer.cutLayer, `${n}: the same network (cut layer)`);
      assert.deepEqual(other.transfer.head, scratch.transfer.head, `${n}: the same network (head)`);
    }
  }
});
