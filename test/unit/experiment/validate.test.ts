// Schema validation of experiment text: each kind of error names its JSON path and the line:column
// of the offending value; unions by `kind` report against the matching branch only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateExperimentText } from '../../../src/core/experiment/validate.js';
import { formatProblem, type Problem } from '../../../src/core/experiment/problem.js';
import { at } from './helpers.js';

const FILE = 'bad.transfer.json';

function problems(text: string): Problem[] {
  const r = validateExperimentText(text, FILE);
  assert.equal(r.experiment, undefined, 'an invalid file yields no experiment');
  return r.problems;
}

/** Asserts exactly one problem at `path`, located at `needle` in the text, and returns it. */
function one(text: string, path: string, needle: string, message: RegExp): Problem {
  const ps = problems(text);
  const hits = ps.filter((p) => p.path === path);
  assert.equal(hits.length, 1, `one problem at ${path}; got:\n${ps.map((p) => formatProblem(FILE, p)).join('\n')}`);
  const p = hits[0];
  const want = at(text, needle);
  assert.deepEqual({ line: p.line, column: p.column }, { line: want.line, column: want.column }, `location of ${path}`);
  assert.equal(p.offset, want.offset);
  assert.match(p.message, message);
  assert.equal(p.severity, 'error');
  return p;
}

test('a valid file with comments and trailing commas parses', () => {
  const text = `{
  // the base
  "base": { "kind": "builtin", "architecture": "smallCnn", },
  /* data */
  "data": { "train": { "kind": "mnist", "classes": [0, 1, 2] } },
}`;
  const r = validateExperimentText(text, FILE);
  assert.deepEqual(r.problems, []);
  assert.equal(r.experiment?.base.kind, 'builtin');
});

test('type error names its path and the value position', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" } },
  "training": {
    "epochs": "five"
  }
}`;
  const p = one(text, '/training/epochs', '"five"', /must be an integer \(found "five"\)/);
  assert.equal(p.length, '"five"'.length);
});

test('enum error suggests the closest value', () => {
  const text = `{
  "base": { "kind": "builtin", "architecture": "smalCnn" },
  "data": { "train": { "kind": "mnist" } }
}`;
  one(text, '/base/architecture', '"smalCnn"', /must be one of "smallCnn", "mobileNetLike".*did you mean "smallCnn"/);
});

test('missing required property points at the object that lacks it', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": {
    "split": { "validation": 0.2 }
  }
}`;
  one(text, '/data', '"data"', /missing required property "train"/);
});

test('missing required property of an array element points at the element', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" } },
  "transfer": { "stages": [ { "epochs": 2, "freeze": {} }, { "epochs": 3 } ] }
}`;
  one(text, '/transfer/stages/1', '{ "epochs": 3 }', /missing required property "freeze"/);
});

test('unknown property is located at its name, with a suggestion', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" } },
  "training": { "epochs": 3, "batchsize": 16 }
}`;
  one(text, '/training/batchsize', '"batchsize"', /unknown property "batchsize"; did you mean "batchSize"\?/);
});

test('a property of another kind is reported against the matching branch only', () => {
  const text = `{
  "base": { "kind": "builtin", "path": "models/model.json" },
  "data": { "train": { "kind": "mnist" } }
}`;
  const ps = problems(text);
  assert.equal(ps.length, 1, ps.map((p) => formatProblem(FILE, p)).join('\n'));
  one(text, '/base/path', '"path"', /unknown property "path" \(allowed for kind "builtin": kind, architecture, inputShape\)/);
});

test('an error inside a data-source branch has no anyOf noise', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "idx", "images": "a.gz", "labels": "b.gz", "classes": [1, -2] } }
}`;
  const ps = problems(text);
  assert.equal(ps.length, 1, ps.map((p) => formatProblem(FILE, p)).join('\n'));
  one(text, '/data/train/classes/1', '-2', /must be >= 0 \(found -2\)/);
});

test('an unknown kind is one problem at the kind, with a suggestion', () => {
  const text = `{
  "base": { "kind": "modle", "path": "m/model.json" },
  "data": { "train": { "kind": "mnist" } }
}`;
  const ps = problems(text);
  assert.equal(ps.length, 1);
  one(
    text,
    '/base/kind',
    '"modle"',
    /unknown kind "modle": must be one of "builtin", "model", "url", "catalog", "run", "gabor", "wordVectors"; did you mean "model"\?/,
  );
});

test('a missing kind is one problem at the union', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "path": "data/train" } }
}`;
  const ps = problems(text);
  assert.equal(ps.length, 1);
  one(
    text,
    '/data/train',
    '"train"',
    /missing required property "kind" \(one of "mnist", "idx", "imageFolder", "csv", "textFolder", "textTable", "spamAssassin", "brownCorpus"\)/,
  );
});

test('a non-kind union (classWeights) reports the branch of the value type, or both', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" } },
  "training": { "classWeights": 3 }
}`;
  one(text, '/training/classWeights', '3 }', /must be "balanced" or an array of numbers \(found 3\)/);
  const text2 = text.replace('"classWeights": 3', '"classWeights": [1, -1]');
  one(text2, '/training/classWeights/1', '-1', /must be >= 0/);
});

test('a tuple of the wrong length', () => {
  const text = `{
  "base": { "kind": "builtin", "inputShape": [28, 28] },
  "data": { "train": { "kind": "mnist" } }
}`;
  one(text, '/base/inputShape', '"inputShape"', /must have exactly 3 items \(found 2\)/);
});

test('JSON syntax error: line:column of the token and the path where it happened', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" }
  "training": { "epochs": 3 }
}`;
  const ps = problems(text);
  assert.ok(ps.length >= 1);
  const p = ps[0];
  const want = at(text, '"training"');
  assert.deepEqual([p.line, p.column], [want.line, want.column]);
  assert.match(p.message, /JSON syntax error: comma expected/);
});

test('an empty file and a non-object are errors at 1:1', () => {
  for (const text of ['', '  ', '[1, 2]']) {
    const ps = problems(text);
    assert.equal(ps.length, 1, JSON.stringify(text));
    assert.deepEqual([ps[0].line, ps[0].column, ps[0].path], [1, 1, '']);
  }
});

test('duplicate property names are warnings and do not block the experiment', () => {
  const text = `{
  "base": { "kind": "builtin" },
  "data": { "train": { "kind": "mnist" } },
  "name": "a",
  "name": "b"
}`;
  const r = validateExperimentText(text, FILE);
  assert.equal(r.experiment?.name, 'b');
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'warning');
  assert.equal(r.problems[0].line, at(text, '"name"', 1).line);
});

test('CRLF line endings count lines the same way', () => {
  const text = '{\r\n  "base": { "kind": "builtin" },\r\n  "data": { "train": { "kind": "mnist", "perClass": 0 } }\r\n}';
  const p = problems(text).find((x) => x.path === '/data/train/perClass');
  assert.ok(p);
  assert.deepEqual([p.line, p.column], [3, text.split('\r\n')[2].indexOf('0 }') + 1]);
});

test('formatProblem prints file:line:col path: message', () => {
  const text = '{ "base": { "kind": "builtin" }, "data": { "train": { "kind": "mnist" } }, "training": { "seed": 1.5 } }';
  const [p] = problems(text);
  assert.equal(formatProblem(FILE, p), `${FILE}:1:${at(text, '1.5').column} /training/seed: must be an integer (found 1.5)`);
});

test('a learning rate beyond float32 (1e39) is refused before training, naming its path', () => {
  const text = `{
  "base": { "kind": "builtin", "architecture": "smallCnn" },
  "data": { "train": { "kind": "mnist", "classes": [0, 1, 2] } },
  "learningRate": { "base": 1e39 }
}`;
  one(text, '/learningRate/base', '1e39', /must be <= 3\.40\d*e\+38/);
});
