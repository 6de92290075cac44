// Semantic checks: layer names (with the closest name suggested), selectors, classes, split,
// schedule and optimizer consistency, strategy/stage combinations, files — each problem at its
// JSON path and line:column in the original text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem, type Problem } from '../../../src/core/experiment/problem.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import { checkSemantics } from '../../../src/core/experiment/semantic.js';
import { validateExperimentText } from '../../../src/core/experiment/validate.js';
import { readModelTopology, type LayerInfo } from '../../../src/core/models/topology.js';
import { at } from './helpers.js';

const MODEL = path.join(__dirname, '../../fixtures/models/nested/model.json');
let dir: string;
let FILE: string;
let LAYERS: LayerInfo[];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-semantic-'));
  FILE = path.join(dir, 'exp.transfer.json');
  LAYERS = (await readModelTopology(MODEL)).layers;
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Checked {
  text: string;
  problems: Problem[];
}

/** Pretty-prints `obj`, schema-validates, resolves and runs the semantic checks. */
/** `layers` null: the base's layers are unknown. */
function check(obj: Record<string, unknown>, layers: LayerInfo[] | null = LAYERS, withText = true): Checked {
  const text = JSON.stringify({ base: { kind: 'model', path: MODEL }, data: { train: { kind: 'mnist' } }, ...obj }, null, 2);
  const v = validateExperimentText(text, FILE);
  assert.ok(v.experiment, v.problems.map((p) => formatProblem(FILE, p)).join('\n'));
  const exp = resolveExperiment(v.experiment, FILE);
  return { text, problems: checkSemantics(exp, layers ?? undefined, withText ? { text } : {}) };
}

const show = (ps: Problem[]) => ps.map((p) => formatProblem('exp', p)).join('\n');

/** The one problem at `pointer`; asserts its severity, message and that it sits at `needle`. */
function expectAt(c: Checked, pointer: string, severity: 'error' | 'warning', message: RegExp, needle?: string, nth = 0, after?: string): Problem {
  const hits = c.problems.filter((p) => p.path === pointer);
  assert.equal(hits.length, 1, `one problem at ${pointer}; got:\n${show(c.problems)}`);
  const p = hits[0];
  assert.equal(p.severity, severity, show([p]));
  assert.match(p.message, message);
  if (needle !== undefined) {
    const want = at(c.text, needle, nth, after);
    assert.deepEqual([p.line, p.column], [want.line, want.column], `location of ${pointer}`);
  }
  return p;
}

test('a consistent experiment has no problems', () => {
  const c = check({
    transfer: { cutLayer: 'out_relu', freeze: { upTo: 'relu_a' } },
    learningRate: { layerGroups: [{ name: 'late', layers: { names: ['dw_b', 'pw_b'] }, multiplier: 0.5 }] },
  });
  assert.deepEqual(c.problems, [], show(c.problems));
});

test('unknown layer names name the layer and suggest the closest, at the value', () => {
  const c = check({ transfer: { cutLayer: 'out_rellu', freeze: { names: ['conv_a', 'dw_bb'], upTo: 'relu-a', allBut: ['qqqqqqq'] } } });
  expectAt(c, '/transfer/cutLayer', 'error', /^no layer "out_rellu" in the base; did you mean "out_relu"\?$/, '"out_rellu"');
  expectAt(c, '/transfer/freeze/names/1', 'error', /^no layer "dw_bb" in the base; did you mean "dw_b"\?$/, '"dw_bb"');
  expectAt(c, '/transfer/freeze/upTo', 'error', /did you mean "relu_a"\?/, '"relu-a"');
  expectAt(c, '/transfer/freeze/allBut/0', 'error', /^no layer "qqqqqqq" in the base$/, '"qqqqqqq"');
});

test('a layer after the cut is not part of the base', () => {
  const c = check({ transfer: { cutLayer: 'dw_b', freeze: { names: ['pw_b'] } } });
  expectAt(c, '/transfer/freeze/names/0', 'error', /layer "pw_b" is after the cut layer "dw_b"/, '"pw_b"');
  // default cut: the last layer (old classifier) is dropped
  const d = check({ transfer: { freeze: { names: ['logits'] } } });
  expectAt(d, '/transfer/freeze/names/0', 'error', /"logits" is after the cut layer "fc".*last layer is replaced by the head/);
});

test('regex must compile; a regex matching nothing is a warning', () => {
  const c = check({ transfer: { freeze: { regex: 'block_(' } } });
  expectAt(c, '/transfer/freeze/regex', 'error', /invalid regular expression \/block_\(\//, '"block_("');
  const d = check({ transfer: { freeze: { regex: '^block_' } } });
  expectAt(d, '/transfer/freeze/regex', 'warning', /matches no layer/);
});

test('range within the layer count and from <= to', () => {
  const c = check({ transfer: { freeze: { range: [4, 2] } } });
  expectAt(c, '/transfer/freeze/range/0', 'error', /from 4 is after to 2/, '4', 0, '"range"');
  const d = check({ transfer: { freeze: { range: [0, 10] } } });
  expectAt(d, '/transfer/freeze/range/1', 'error', /to 10 is past the last layer \(index 9: the base has 10 layers\)/, '10', 0, '"range"');
});

test('stage selectors are checked at their own path; strategy/stage mismatches warn', () => {
  const c = check({
    transfer: {
      strategy: 'featureExtraction',
      freeze: { names: ['conv_a'] },
      stages: [
        { name: 'head', epochs: 1, freeze: { all: true } },
        { name: 'more', epochs: 1, freeze: { upTo: 'pw_bee' } },
      ],
    },
  });
  expectAt(c, '/transfer/stages/1/freeze/upTo', 'error', /did you mean "pw_b"/, '"pw_bee"');
  expectAt(c, '/transfer/stages/1/freeze', 'warning', /featureExtraction keeps the whole base frozen/);
  expectAt(c, '/transfer/freeze', 'warning', /transfer.freeze is ignored: featureExtraction freezes the whole base/);
  assert.equal(c.problems.filter((p) => p.path.startsWith('/transfer/stages/0')).length, 0, show(c.problems));

  const s = check({ transfer: { strategy: 'scratch', stages: [{ epochs: 1, freeze: { names: ['conv_a'] } }] } });
  expectAt(s, '/transfer/stages/0/freeze', 'warning', /scratch trains every layer/);
  const f = check({ transfer: { freeze: { all: true }, stages: [{ epochs: 1, freeze: {} }] }, training: { epochs: 9 } });
  expectAt(f, '/transfer/freeze', 'warning', /each stage has its own freeze/);
  expectAt(f, '/training/epochs', 'warning', /transfer.stages sets the epochs/);
});

test('layer groups: names checked, duplicate and "head" group names rejected', () => {
  const c = check({
    learningRate: {
      layerGroups: [
        { name: 'g', layers: { upTo: 'conv_aa' }, multiplier: 0.1 },
        { name: 'g', layers: { all: true }, multiplier: 0.1 },
        { name: 'head', layers: { all: true }, multiplier: 1 },
      ],
    },
  });
  expectAt(c, '/learningRate/layerGroups/0/layers/upTo', 'error', /did you mean "conv_a"/, '"conv_aa"');
  expectAt(c, '/learningRate/layerGroups/1/name', 'error', /duplicate group name "g"/, '"g"', 1);
  expectAt(c, '/learningRate/layerGroups/2/name', 'error', /"head" is the new head's group name/);
});

test('without layers, names are not checked but regex and range order still are', () => {
  const c = check({ transfer: { cutLayer: 'anything', freeze: { names: ['whatever'], regex: '(', range: [3, 1] } } }, null);
  assert.deepEqual(c.problems.map((p) => p.path).sort(), ['/transfer/freeze/range/0', '/transfer/freeze/regex'], show(c.problems));
});

test('class filters within range; class weights match the class count', () => {
  const c = check({
    data: { train: { kind: 'mnist', classes: [5, 6, 7, 10] }, validation: { kind: 'mnist', classes: [5, 6] } },
    training: { classWeights: [1, 2, 3] },
  });
  expectAt(c, '/data/train/classes/3', 'error', /MNIST has digits 0–9; there is no class 10/, '10', 0, '"classes"');
  expectAt(c, '/training/classWeights', 'error', /has 3 weights but data.train has 4 classes/, '"classWeights"');
  expectAt(c, '/data/validation', 'warning', /has 2 classes but data.train has 4/);
  const idxFiles = ['i.gz', 'l.gz'].map((f) => path.join(dir, f));
  idxFiles.forEach((f) => fs.writeFileSync(f, ''));
  const d = check({ data: { train: { kind: 'idx', images: 'i.gz', labels: 'l.gz', classNames: ['a', 'b', 'c'], classes: [0, 3] } } });
  expectAt(d, '/data/train/classes/1', 'error', /class 3 is past the 3 classNames \(0–2\)/);
});

test('split fractions: validation + test < 1, ignored fractions, no validation at all', () => {
  const c = check({ data: { train: { kind: 'mnist' }, split: { validation: 0.6, test: 0.4 } } });
  expectAt(c, '/data/split/test', 'error', /validation \(0.6\) \+ test \(0.4\) must leave training examples/, '0.4');
  const d = check({ data: { train: { kind: 'mnist' }, validation: { kind: 'mnist' }, split: { validation: 0.2 } } });
  expectAt(d, '/data/split/validation', 'warning', /ignored: data.validation is given/, '0.2');
  const e = check({ data: { train: { kind: 'mnist' }, split: { validation: 0 } }, training: { earlyStopping: { patience: 2 } } });
  expectAt(e, '/data/split/validation', 'warning', /no validation data.*early stopping/);
});

test('schedule consistency', () => {
  const one = check({ learningRate: { schedule: { type: 'oneCycle', gamma: 0.5 }, warmup: { steps: 100 } } });
  expectAt(one, '/learningRate/warmup/steps', 'warning', /oneCycle already warms up/, '100', 0, '"warmup"');
  expectAt(one, '/learningRate/schedule/gamma', 'warning', /ignored by the "oneCycle" schedule/, '0.5');
  const cos = check({ learningRate: { base: 0.01, schedule: { type: 'cosine', minRate: 0.01 } } });
  expectAt(cos, '/learningRate/schedule/minRate', 'error', /minRate \(0.01\) must be below the rate it anneals from \(0.01\)/);
  const step = check({ learningRate: { schedule: { type: 'step', stepEpochs: 10 } }, training: { epochs: 10 } });
  expectAt(step, '/learningRate/schedule/stepEpochs', 'warning', /the rate never decays/, '10', 0, '"stepEpochs"');
  const ok = check({ learningRate: { schedule: { type: 'step', stepEpochs: 3 } }, training: { epochs: 10 } });
  assert.deepEqual(ok.problems, [], show(ok.problems));
});

test('optimizer parameters the optimizer ignores warn; early stopping that cannot trigger warns', () => {
  const c = check({ optimizer: { type: 'sgd', momentum: 0.5 }, training: { epochs: 3, earlyStopping: { patience: 3 } } });
  expectAt(c, '/optimizer/momentum', 'warning', /ignored by the "sgd" optimizer/, '0.5');
  expectAt(c, '/training/earlyStopping/patience', 'warning', /can never trigger/);
});

test('builtin base with a transfer strategy warns', () => {
  const c = check({ base: { kind: 'builtin' }, transfer: { strategy: 'featureExtraction' } }, null);
  expectAt(c, '/transfer/strategy', 'warning', /random weights/);
});

test('files and folders must exist; class folders suggested', () => {
  fs.mkdirSync(path.join(dir, 'imgs', 'ants'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'imgs', 'bees'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'modeldir'), { recursive: true });
  fs.copyFileSync(MODEL, path.join(dir, 'modeldir', 'model.json'));
  const c = check(
    {
      base: { kind: 'model', path: 'modeldir' },
      data: {
        train: { kind: 'imageFolder', path: 'imgs', classes: ['ants', 'bess'] },
        validation: { kind: 'csv', path: 'missing.csv' },
        test: { kind: 'idx', images: 'nope-images.gz', labels: 'nope-labels.gz' },
      },
    },
    null,
  );
  expectAt(c, '/base/path', 'error', /is a folder, not a model.json \(did you mean .*modeldir.model\.json\?\)/, '"modeldir"');
  expectAt(c, '/data/train/classes/1', 'error', /no class folder "bess" in .*; did you mean "bees"\?/, '"bess"');
  expectAt(c, '/data/validation/path', 'error', /CSV file not found: .*missing\.csv/, '"missing.csv"');
  expectAt(c, '/data/test/images', 'error', /images file not found/);
  expectAt(c, '/data/test/labels', 'error', /labels file not found/);
  const r = check({ base: { kind: 'run', experiment: 'source.transfer.json' } }, null);
  expectAt(r, '/base/experiment', 'error', /experiment file not found: .*source\.transfer\.json/, '"source.transfer.json"');
  const self = check({ base: { kind: 'run', experiment: 'exp.transfer.json' } }, null);
  expectAt(self, '/base/experiment', 'error', /cannot use its own runs/);
});

test('a device as an IDX file is an error of validate (it hung the run)', () => {
  const c = check({ data: { train: { kind: 'idx', images: '/dev/zero', labels: '/dev/null' } } }, null);
  expectAt(c, '/data/train/images', 'error', /\/dev\/zero is not a regular file \(a device, FIFO or socket\): the images file must be a file/);
  expectAt(c, '/data/train/labels', 'error', /\/dev\/null is not a regular file/);
});

test('image folders are listed as the loader lists them: __MACOSX skipped, names in NFC, empty folders and one class are errors', () => {
  const root = path.join(dir, 'photos');
  const nfd = 'café'.normalize('NFD');
  for (const sub of ['train', 'val']) {
    for (const c of [nfd, 'tea', '__MACOSX']) {
      fs.mkdirSync(path.join(root, sub, c), { recursive: true });
      fs.writeFileSync(path.join(root, sub, c, 'a.png'), 'x');
    }
  }
  fs.mkdirSync(path.join(root, 'train', '.hidden'), { recursive: true });
  const ok = check(
    {
      data: {
        train: { kind: 'imageFolder', path: 'photos/train', classes: ['café'.normalize('NFC'), 'tea'] },
        validation: { kind: 'imageFolder', path: 'photos/val' },
      },
    },
    null,
  );
  assert.deepEqual(ok.problems, [], show(ok.problems));

  fs.mkdirSync(path.join(root, 'empty', '__MACOSX'), { recursive: true });
  const empty = check({ data: { train: { kind: 'imageFolder', path: 'photos/empty' } } }, null);
  expectAt(empty, '/data/train/path', 'error', /image folder .*empty has no class subfolders/);

  fs.mkdirSync(path.join(root, 'noimages', 'a'), { recursive: true });
  fs.mkdirSync(path.join(root, 'noimages', 'b', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'noimages', 'a', 'x.png'), 'x');
  fs.writeFileSync(path.join(root, 'noimages', 'b', '.DS_Store'), 'x');
  const noFiles = check({ data: { train: { kind: 'imageFolder', path: 'photos/noimages', classes: ['a', 'b'] } } }, null);
  expectAt(noFiles, '/data/train/classes/1', 'error', /class folder .*noimages.b is empty \(no image files\)/);

  const one = check({ data: { train: { kind: 'imageFolder', path: 'photos/train', classes: ['tea'] } } }, null);
  expectAt(one, '/data/train/classes', 'error', /only one class: a classifier needs at least two/);
  const oneDigit = check({ data: { train: { kind: 'mnist', classes: [3] } } }, null);
  expectAt(oneDigit, '/data/train/classes', 'error', /only one class/);
});

test('a csv source on a base that takes images is refused by validate (every run crashed with "expected ndim=4")', () => {
  const c = check({ base: { kind: 'builtin', architecture: 'smallCnn' }, data: { train: { kind: 'csv', path: 'flowers.csv' } } }, null);
  expectAt(c, '/data/train/kind', 'error', /a csv source holds flat feature vectors \(tabular data\), but the built-in smallCnn takes images/, '"csv"');
});

test('without the text, paths are still right (located at 1:1)', () => {
  const c = check({ transfer: { freeze: { names: ['conv_aa'] } } }, LAYERS, false);
  const p = expectAt(c, '/transfer/freeze/names/0', 'error', /did you mean "conv_a"/);
  assert.deepEqual([p.line, p.column], [1, 1]);
});
