// JSON text edits that keep comments and layout: replacing, inserting (one-line and multi-line
// objects, after a trailing comment), removing, appending to arrays, and the minimal replacement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { detectFormatting, getJsonValue, minimalReplacement, renderCompact, renderMultiline, setJsonValue } from '../../../src/core/experiment/json-text.js';

const FILE = `{
  // the experiment
  "name": "demo",
  "transfer": { "strategy": "fineTune" },
  "learningRate": {
    "base": 0.01, // head rate
    "schedule": {
      "type": "cosine"
    }
  }
}
`;

test('replacing a scalar changes only that value', () => {
  const out = setJsonValue(FILE, ['learningRate', 'base'], 0.003);
  assert.equal(out, FILE.replace('0.01,', '0.003,'));
});

test('a property added to a one-line object stays on that line', () => {
  const out = setJsonValue(FILE, ['transfer', 'freeze'], { upTo: 'pool1' });
  assert.equal(out, FILE.replace('{ "strategy": "fineTune" }', '{ "strategy": "fineTune", "freeze": { "upTo": "pool1" } }'));
});

test('a property added to a multi-line object gets its own line with the same indentation', () => {
  const out = setJsonValue(FILE, ['learningRate', 'schedule', 'minRate'], 0.0001);
  assert.equal(out, FILE.replace('"type": "cosine"\n', '"type": "cosine",\n      "minRate": 0.0001\n'));
});

test('a property added after a line comment goes below it, the comma before the comment', () => {
  const text = '{\n  "a": 1 // keep me\n}\n';
  assert.equal(setJsonValue(text, ['b'], { c: [1, 2] }), '{\n  "a": 1, // keep me\n  "b": {\n    "c": [1, 2]\n  }\n}\n');
});

test('missing objects on the way are created, nested in the layout of the parent', () => {
  const out = setJsonValue(FILE, ['training', 'batchSize'], 16);
  assert.match(out, /\n {2}},\n {2}"training": \{\n {4}"batchSize": 16\n {2}\}\n\}\n$/);
  assert.equal((parse(out) as { training: { batchSize: number } }).training.batchSize, 16);
  assert.ok(out.includes('// the experiment') && out.includes('// head rate'));
});

test('removing a property takes its line and the comma before it when it was last', () => {
  const out = setJsonValue(FILE, ['learningRate', 'schedule'], undefined);
  assert.equal(out, FILE.replace('0.01, // head rate\n    "schedule": {\n      "type": "cosine"\n    }\n', '0.01 // head rate\n'));
  assert.equal(setJsonValue(FILE, ['nothing', 'here'], undefined), FILE);
});

test('removing from a one-line object keeps it on one line; the only property leaves {}', () => {
  assert.equal(setJsonValue('{ "a": 1, "b": 2, "c": 3 }', ['b'], undefined), '{ "a": 1, "c": 3 }');
  assert.equal(setJsonValue('{ "a": 1, "b": 2 }', ['b'], undefined), '{ "a": 1 }');
  assert.equal(setJsonValue('{ "x": { "only": true } }', ['x', 'only'], undefined), '{ "x": {} }');
});

test('replacing an object keeps its one-line or multi-line layout', () => {
  const one = '{ "freeze": { "upTo": "conv2" } }';
  assert.equal(setJsonValue(one, ['freeze'], { names: ['conv1', 'pool1'] }), '{ "freeze": { "names": ["conv1", "pool1"] } }');
  const multi = '{\n  "freeze": {\n    "all": true\n  }\n}';
  assert.equal(setJsonValue(multi, ['freeze'], { upTo: 'pool1' }), '{\n  "freeze": {\n    "upTo": "pool1"\n  }\n}');
});

test('appending to arrays: one-line stays one line, multi-line gets a new element line', () => {
  assert.equal(setJsonValue('{ "a": [1, 2] }', ['a', 2], 3), '{ "a": [1, 2, 3] }');
  const text = '{\n  "groups": [\n    { "name": "early" }\n  ]\n}';
  assert.equal(setJsonValue(text, ['groups', 1, 'name'], 'late'), '{\n  "groups": [\n    { "name": "early" },\n    {\n      "name": "late"\n    }\n  ]\n}');
});

test('tabs and CRLF are detected and used', () => {
  const text = '{\r\n\t"a": {\r\n\t\t"b": 1\r\n\t}\r\n}\r\n';
  const f = detectFormatting(text);
  assert.equal(f.unit, '\t');
  assert.equal(f.eol, '\r\n');
  assert.equal(setJsonValue(text, ['a', 'c'], 2), '{\r\n\t"a": {\r\n\t\t"b": 1,\r\n\t\t"c": 2\r\n\t}\r\n}\r\n');
});

test('rendering: compact and multi-line', () => {
  assert.equal(renderCompact({ a: [1, 'x'], b: {}, c: undefined }), '{ "a": [1, "x"], "b": {} }');
  assert.equal(renderMultiline({ a: { b: [1, 2] } }, '', '  ', '\n'), '{\n  "a": {\n    "b": [1, 2]\n  }\n}');
});

test('getJsonValue reads through comments', () => {
  assert.deepEqual(getJsonValue(FILE, ['learningRate', 'schedule']), { type: 'cosine' });
  assert.equal(getJsonValue(FILE, ['missing']), undefined);
});

test('minimalReplacement keeps the common prefix and suffix', () => {
  assert.equal(minimalReplacement('abc', 'abc'), undefined);
  assert.deepEqual(minimalReplacement('{ "a": 1 }', '{ "a": 22 }'), { offset: 7, length: 1, text: '22' });
  assert.deepEqual(minimalReplacement('aXa', 'aa'), { offset: 1, length: 1, text: '' });
  const before = FILE;
  const after = setJsonValue(FILE, ['transfer', 'freeze'], { all: true });
  const r = minimalReplacement(before, after)!;
  assert.equal(before.slice(0, r.offset) + r.text + before.slice(r.offset + r.length), after);
  assert.ok(r.length === 0 && r.text === ', "freeze": { "all": true }');
});
