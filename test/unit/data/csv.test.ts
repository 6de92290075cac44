import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { loadData, loadSource } from '../../../src/core/data/index.js';
import { parseCsv } from '../../../src/core/data/sources/csv-parse.js';
import type { SourceContext } from '../../../src/core/data/sources/source.js';
import { resolvedData } from './helpers.js';

const FLOWERS = path.resolve(__dirname, '../../fixtures/flowers.csv');
const FEATURES = ['sepal length', 'sepal, width', 'petal_length'];
const train: SourceContext = { role: 'train', image: { channels: 1, resize: 'cover', scale: 'unit' } };
const tmp = mkdtempSync(path.join(tmpdir(), 'csv-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

function dataError(pattern: RegExp, file: string) {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
    assert.equal(e.source, file);
    assert.match(e.message, pattern);
    return true;
  };
}

test('parser: quoted commas, doubled quotes, newlines in quotes, CRLF, BOM, blank lines; records keep their start line', () => {
  const recs = parseCsv('\ufeffa,"b,c"\r\n"x ""y""",2\r\n\r\n"multi\nline",3\n,\n', 'mem.csv');
  assert.deepEqual(
    recs.map((r) => [r.line, r.fields]),
    [
      [1, ['a', 'b,c']],
      [2, ['x "y"', '2']],
      [4, ['multi\nline', '3']],
      [6, ['', '']],
    ],
  );
});

test('parser errors name the row and column', () => {
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n', 'f.csv'), /f\.csv: row 2, column 2: quoted field is never closed/);
  assert.throws(() => parseCsv('a,b\n1,"x"y\n', 'f.csv'), /row 2, column 2: unexpected "y" after a closing quote/);
  assert.throws(() => parseCsv('a,b\n1,2\n3,x"y\n', 'f.csv'), /row 3, column 2: quote inside an unquoted field/);
});

test('flowers.csv: quoted headers and fields, class names sorted, ids name the starting line', async () => {
  const { classNames, set } = await loadSource({ kind: 'csv', path: FLOWERS, labelColumn: 'species', featureColumns: FEATURES }, train);
  assert.deepEqual(classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(set.shape, [3]);
  assert.equal(set.count, 6);
  assert.deepEqual([...set.labels], [0, 0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(set.gather([1, 3])), Array.from(new Float32Array([4.9, 3.0, 1.4, 6.4, 3.2, 4.5])));
  assert.equal(set.id(2), `${FLOWERS} row 4`);
  assert.equal(set.id(3), `${FLOWERS} row 6`);
  assert.equal(set.range, undefined);
});

test('perClass keeps the first rows of each class; default features are every other column', async () => {
  const file = csv('ints.csv', 'f1,label,f2\n1,0,10\n2,1,20\n3,0,30\n4,1,40\n5,0,50\n');
  const { classNames, set } = await loadSource({ kind: 'csv', path: file, perClass: 2 }, train);
  assert.deepEqual(classNames, ['0', '1']);
  assert.deepEqual([...set.labels], [0, 1, 0, 1]);
  assert.deepEqual(Array.from(set.gather([0, 1, 2, 3])), [1, 10, 2, 20, 3, 30, 4, 40]);
});

test('a bad integer label names the row, the column and the value', async () => {
  const file = csv('bad-label.csv', 'x,label\n0.5,0\n0.1,1\n0.2,one\n0.3,2\n');
  await assert.rejects(
    loadSource({ kind: 'csv', path: file }, train),
    dataError(/row 4, column 2 \("label"\): label "one" is not a non-negative integer/, file),
  );
  const neg = csv('neg-label.csv', 'x,label\n0.5,0\n0.1,-1\n');
  await assert.rejects(loadSource({ kind: 'csv', path: neg }, train), dataError(/row 3, .*label "-1"/, neg));
});

test('integer labels 1..3 (no 0): the out-of-range label is named with its value and row (was "no examples of class 0")', async () => {
  const file = csv('one-based.csv', 'a,b,c,d,label\n1,2,3,4,1\n1,2,3,4,2\n1,2,3,4,3\n1,2,3,4,3\n');
  await assert.rejects(
    loadSource({ kind: 'csv', path: file }, train),
    dataError(/row 4, column 5 \("label"\): label 3 is out of range for the 3 classes found: .* no row has label 0 \(labels found: 1, 2, 3\)/, file),
  );
});

test('validation csv: labels resolved against the training classes by name or integer', async () => {
  const ok = csv('val.csv', 'a,b,c,species\n1,2,3,virginica\n1,2,3,0\n');
  const known = { ...train, role: 'validation' as const, knownClasses: ['setosa', 'versicolor', 'virginica'] };
  const { set } = await loadSource({ kind: 'csv', path: ok, labelColumn: 'species' }, known);
  assert.deepEqual([...set.labels], [2, 0]);
  const bad = csv('val-bad.csv', 'a,b,c,species\n1,2,3,virginica\n1,2,3,rose\n');
  await assert.rejects(
    loadSource({ kind: 'csv', path: bad, labelColumn: 'species' }, known),
    dataError(/row 3, column 4 \("species"\): label "rose" is not an integer 0\.\.2 and not a known class name/, bad),
  );
});

test('bad features, columns and rows are DataErrors naming the file and place', async () => {
  const nan = csv('nan.csv', 'x,y,label\n1,2,0\n1,abc,1\n');
  await assert.rejects(loadSource({ kind: 'csv', path: nan }, train), dataError(/row 3, column 2 \("y"\): feature value "abc" is not a finite number/, nan));
  const short = csv('short.csv', 'x,y,label\n1,2,0\n1,1\n');
  await assert.rejects(loadSource({ kind: 'csv', path: short }, train), dataError(/row 3 has 2 fields but the header has 3/, short));
  await assert.rejects(loadSource({ kind: 'csv', path: nan, labelColumn: 'class' }, train), dataError(/label column "class" not found/, nan));
  const missing = path.join(tmp, 'missing.csv');
  await assert.rejects(loadSource({ kind: 'csv', path: missing }, train), dataError(/CSV file not found/, missing));
});

test('loadData on a csv: 1-D examples, stratified split', async () => {
  const rows = ['f,label', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? 'odd' : 'even'}`)];
  const file = csv('many.csv', rows.join('\n'));
  const d = await loadData(resolvedData({ kind: 'csv', path: file, labelColumn: 'label' }, { split: { validation: 0.25, test: 0 } }), {
    inputShape: [1],
    seed: 1,
  });
  assert.deepEqual(d.classNames, ['even', 'odd']);
  assert.equal(d.train.count, 30);
  assert.equal(d.validation.count, 10);
  for (let i = 0; i < d.validation.count; i++) {
    assert.equal(d.validation.labels[i], d.validation.gather([i])[0] % 2);
  }
});
