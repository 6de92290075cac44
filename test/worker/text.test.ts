// Text experiments through the CLI as a child process: a run on a text folder with a user vectors
// file, `validate` reporting coverage, and bad input (a malformed vectors line, non-UTF-8 text)
// exiting 2 with the file and line named and no run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

/** Two topics whose words have separable 4-d vectors: fruit words near +e1, vehicle words near +e2. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-text-'));
  const fruit = ['apple', 'banana', 'cherry', 'grape', 'lemon', 'mango'];
  const vehicle = ['car', 'truck', 'bus', 'train', 'bike', 'plane'];
  const lines = [...fruit.map((w, i) => `${w} 1 0 ${(i % 3) * 0.1} 0.2`), ...vehicle.map((w, i) => `${w} 0 1 0.2 ${(i % 3) * 0.1}`), 'the 0.1 0.1 0.1 0.1'];
  fs.writeFileSync(path.join(dir, 'vectors.txt'), lines.join('\n') + '\n');
  for (const [cls, words] of [
    ['fruit', fruit],
    ['vehicle', vehicle],
  ] as const) {
    fs.mkdirSync(path.join(dir, 'docs', cls), { recursive: true });
    for (let d = 0; d < 30; d++) {
      const text = Array.from({ length: 5 + (d % 4) }, (_, k) => `the ${words[(d * 7 + k * 5) % words.length]}`).join(' ');
      fs.writeFileSync(path.join(dir, 'docs', cls, `${String(d).padStart(2, '0')}.txt`), text);
    }
  }
  const exp = (strategy: string) => ({
    base: { kind: 'wordVectors', vectors: 'vectors.txt', encoder: 'mean' },
    data: { train: { kind: 'textFolder', path: 'docs' }, split: { validation: 0.2, test: 0.2 }, text: { maxLength: 12 } },
    transfer:
      strategy === 'fineTune'
        ? {
            strategy,
            stages: [
              { name: 'head', epochs: 4, freeze: { all: true } },
              { name: 'all', epochs: 2, freeze: {} },
            ],
          }
        : { strategy, head: { units: [] } },
    learningRate: { base: 0.05 },
    training: { epochs: 6, batchSize: 8 },
  });
  fs.writeFileSync(path.join(dir, 'fe.transfer.json'), JSON.stringify(exp('featureExtraction')));
  fs.writeFileSync(path.join(dir, 'ft.transfer.json'), JSON.stringify(exp('fineTune')));
  return dir;
}

test('text: feature extraction and fine-tuning on a text folder with a GloVe-format vectors file; validate reports coverage', () => {
  const dir = workspace();
  const v = cli(['validate', 'fe.transfer.json'], dir);
  assert.equal(v.status, 0, v.stderr);
  // 60 documents, every token in the vectors
  assert.match(v.stdout, /vectors .*vectors\.txt: 13 words × 4 d/);
  assert.match(v.stdout, /train: 60 documents \(0 empty skipped, \d+ truncated\); vocabulary coverage 100\.0% of tokens/);
  for (const name of ['fe', 'ft']) {
    const r = cli(['run', `${name}.transfer.json`, '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, 'completed');
    assert.ok(s.test.accuracy >= 0.9, `${name}: test accuracy ${s.test.accuracy}`);
    const runDir = path.join(dir, '.transfer-lab', 'runs', name, s.runId);
    const log = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8');
    assert.match(log, /text train: 60 documents/);
  }
});

test('text: a run of a text experiment is the base of another (its vocabulary travels with the checkpoint)', () => {
  const dir = workspace();
  assert.equal(cli(['run', 'ft.transfer.json'], dir).status, 0);
  const target = {
    base: { kind: 'run', experiment: 'ft.transfer.json' },
    data: { train: { kind: 'textFolder', path: 'docs' }, split: { validation: 0.2, test: 0.2, trainPerClass: 5 } },
    transfer: { strategy: 'featureExtraction', head: { units: [] } },
    learningRate: { base: 0.05 },
    training: { epochs: 5, batchSize: 4 },
  };
  fs.writeFileSync(path.join(dir, 'target.transfer.json'), JSON.stringify(target));
  const r = cli(['run', 'target.transfer.json', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, 'completed');
  assert.ok(s.test.accuracy >= 0.9, `test accuracy ${s.test.accuracy}`);
  const log = fs.readFileSync(path.join(dir, '.transfer-lab', 'runs', 'target', s.runId, 'metrics.jsonl'), 'utf8');
  // the source's base (embedding, pool) and its head are kept up to the old logits: 13 words, 100 % covered
  assert.match(log, /text train: 60 documents .*coverage 100\.0% of tokens/);
});

test('text: a bidirectional GRU encoder trains (head, then everything) and its checkpoint is the base of another run', () => {
  const dir = workspace();
  const ft = JSON.parse(fs.readFileSync(path.join(dir, 'ft.transfer.json'), 'utf8'));
  ft.base = { ...ft.base, encoder: 'bigru', units: 8 };
  fs.writeFileSync(path.join(dir, 'gru.transfer.json'), JSON.stringify(ft));
  const r = cli(['run', 'gru.transfer.json', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, 'completed');
  assert.ok(s.test.accuracy >= 0.9, `bigru: test accuracy ${s.test.accuracy}`);
  const target = {
    base: { kind: 'run', experiment: 'gru.transfer.json' },
    data: { train: { kind: 'textFolder', path: 'docs' }, split: { validation: 0.2, test: 0.2, trainPerClass: 5 } },
    transfer: { strategy: 'featureExtraction', head: { units: [] } },
    learningRate: { base: 0.05 },
    training: { epochs: 5, batchSize: 4 },
  };
  fs.writeFileSync(path.join(dir, 'target.transfer.json'), JSON.stringify(target));
  const t = cli(['run', 'target.transfer.json', '--json'], dir);
  assert.equal(t.status, 0, t.stderr); // the checkpoint's PrePad1D and Bidirectional GRU load again
  assert.equal(JSON.parse(t.stdout).status, 'completed');
});

test('text: a malformed vectors line and a non-UTF-8 document exit 2, name file and line, leave no run folder', () => {
  const dir = workspace();
  fs.appendFileSync(path.join(dir, 'vectors.txt'), 'broken 1 2\n');
  for (const cmd of ['validate', 'run']) {
    const r = cli([cmd, 'fe.transfer.json'], dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /vectors\.txt: line 14: the vector of "broken" has 2 values, expected 4/);
  }
  assert.ok(!fs.existsSync(path.join(dir, '.transfer-lab', 'runs', 'fe')));
  const dir2 = workspace();
  fs.writeFileSync(path.join(dir2, 'docs', 'fruit', '99.txt'), Buffer.from([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9]));
  const r = cli(['run', 'fe.transfer.json'], dir2);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /99\.txt: line 2 is not valid UTF-8/);
  assert.ok(!fs.existsSync(path.join(dir2, '.transfer-lab', 'runs', 'fe')));
});

test('text bad input: each case exits 2 from validate and from run, names the file and line or field, and leaves no run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-text-bad-'));
  const put = (rel: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  put('good.txt', 'the 0.1 0.2 0.3\ncat 0.3 0.4 0.5\ndog 0.1 0.1 0.9\n');
  put('value.txt', 'the 0.1 0.2 0.3\ncat 0.3 x 0.5\n');
  put('header.vec', '2 3\nthe 0.1 0.2 0.3\ncat 0.1 0.2\n');
  put('docs/a/1.txt', 'the cat');
  put('docs/b/1.txt', 'the dog');
  put('latin1/a/1.txt', 'the cat');
  put('latin1/b/1.txt', Buffer.from('the dog\ncaf\xe9\n', 'latin1'));
  put('empty/a/1.txt', '...');
  put('empty/b/1.txt', '');
  put('notxt/a/notes.md', 'the cat');
  put('notxt/b/1.txt', 'the dog');
  put('one/a/1.txt', 'the cat');
  put('one/a/2.txt', 'the dog');
  put('t.csv', 'body,label\nthe cat,a\nthe dog,b\n');
  put('t.jsonl', '{"body":"the cat","label":"a"}\n{"label":"b","text":"the dog"}\n');
  put('one.csv', 'body,label\nthe cat,a\nthe dog,a\n');
  const cases: [name: string, vectors: string, train: object, message: RegExp][] = [
    ['value', 'value.txt', { kind: 'textFolder', path: 'docs' }, /value\.txt: line 2: value 2 of "cat" is "x", not a number/],
    ['dimension', 'header.vec', { kind: 'textFolder', path: 'docs' }, /header\.vec: line 3: the vector of "cat" has 2 values, expected 3/],
    ['encoding', 'good.txt', { kind: 'textFolder', path: 'latin1' }, /latin1\/b\/1\.txt: line 2 is not valid UTF-8/],
    [
      'textcolumn',
      'good.txt',
      { kind: 'textTable', path: 't.csv', textColumn: 'text', labelColumn: 'label' },
      /t\.csv: text column "text" not found; the header has "body", "label"/,
    ],
    ['labelcolumn', 'good.txt', { kind: 'textTable', path: 't.csv', textColumn: 'body', labelColumn: 'class' }, /t\.csv: label column "class" not found/],
    [
      'jsonl',
      'good.txt',
      { kind: 'textTable', path: 't.jsonl', textColumn: 'body', labelColumn: 'label' },
      /t\.jsonl: line 2: text property "body" is missing/,
    ],
    ['nodocuments', 'good.txt', { kind: 'textFolder', path: 'empty' }, /every document of text folder .*empty is empty \(no token\)/],
    ['notxt', 'good.txt', { kind: 'textFolder', path: 'notxt' }, /class folder .*notxt\/a has no \.txt files/],
    ['oneclass', 'good.txt', { kind: 'textFolder', path: 'one' }, /\/data\/train: data\.train has only one class/],
    [
      'onelabel',
      'good.txt',
      { kind: 'textTable', path: 'one.csv', textColumn: 'body', labelColumn: 'label' },
      /one\.csv: every row has the label "a": a classifier needs at least two classes/,
    ],
  ];
  for (const [name, vectors, train, message] of cases) {
    const exp = {
      base: { kind: 'wordVectors', vectors },
      data: { train, split: { validation: 0.5, test: 0 } },
      transfer: { strategy: 'featureExtraction' },
      training: { epochs: 1 },
    };
    fs.writeFileSync(path.join(dir, `${name}.transfer.json`), JSON.stringify(exp));
    for (const cmd of ['validate', 'run']) {
      const r = cli([cmd, `${name}.transfer.json`], dir);
      assert.equal(r.status, 2, `${name} ${cmd}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, message, `${name} ${cmd}`);
    }
    assert.ok(!fs.existsSync(path.join(dir, '.transfer-lab', 'runs', name)), `${name}: a run folder was written`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
