// `transfer-lab predict` on a real run (real digits, the CLI as a child process): the digits the run's
// evaluation got most confidently wrong, written as PNG files, get the same predicted class and
// probability from `predict` as from the run's own evaluation (so predict applies exactly the training
// preprocessing to files); bad files are skipped with a reason; --csv and --json; exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { EvaluationFile } from '../../src/core/runs/artifacts.js';
import { mnistDigitsDir } from '../../src/core/data/sources/mnist.js';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

test('predict: files get the run’s own probabilities; bad files are skipped with a reason; --csv, --json, exit codes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-predict-'));
  const experiment = {
    base: { kind: 'builtin', architecture: 'smallCnn' },
    data: { train: { kind: 'mnist', classes: [3, 5, 8], perClass: 50 }, split: { validation: 0.2, test: 0.3 } },
    transfer: { strategy: 'scratch' },
    learningRate: { base: 0.003 },
    training: { epochs: 2, batchSize: 8 },
  };
  fs.writeFileSync(path.join(dir, 'digits.transfer.json'), JSON.stringify(experiment));
  const run = cli(['run', 'digits.transfer.json', '--json'], dir);
  assert.equal(run.status, 0, run.stderr);
  const e = JSON.parse(run.stdout).evaluation as EvaluationFile;
  assert.ok(e.mistakes.length >= 2, `needs mistakes to compare, got ${e.mistakes.length}`);

  // The mistaken digits as 28×28 grey PNGs (lossless: the same bytes the mnist source reads).
  const files = path.join(dir, 'new');
  fs.mkdirSync(path.join(files, 'sub'), { recursive: true });
  const expected = new Map<string, { predictedClass: string; probability: number }>();
  for (const [i, m] of e.mistakes.entries()) {
    const [, digit, index] = /^mnist:(\d)#(\d+)$/.exec(m.id)!;
    const values = (JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), `${digit}.json`), 'utf8')) as { data: number[] }).data;
    const bytes = Uint8Array.from(values.slice(Number(index) * 784, Number(index) * 784 + 784), (v) => Math.round(v * 255));
    const file = path.join(files, i % 2 ? 'sub' : '', `${m.id.replace(/[:#]/g, '-')}.png`);
    await sharp(bytes, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(file);
    expected.set(file, m);
  }
  fs.writeFileSync(path.join(files, 'notes.txt'), 'not an image');
  fs.writeFileSync(path.join(files, '.hidden.png'), 'ignored');

  const json = cli(['predict', 'digits.transfer.json', files, 'missing.png', '--json', '--top-k', '2'], dir);
  assert.equal(json.status, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  assert.equal(r.checkpoint, e.checkpoint);
  assert.deepEqual(r.classNames, ['3', '5', '8']);
  assert.equal(r.predictions.length, expected.size);
  for (const p of r.predictions) {
    const m = expected.get(p.file)!;
    assert.ok(m, `unexpected file ${p.file}`);
    assert.equal(p.top.length, 2);
    assert.equal(p.top[0].className, m.predictedClass, p.file);
    assert.ok(Math.abs(p.top[0].probability - m.probability) < 1e-5, `${p.file}: ${p.top[0].probability} vs ${m.probability}`);
  }
  assert.deepEqual(r.skipped.map((s: { file: string }) => path.basename(s.file)).sort(), ['missing.png', 'notes.txt']);
  for (const s of r.skipped) assert.ok(s.reason.length > 5, s.reason);

  // --csv: a header, one row per file, top-3 by default (3 classes).
  const csv = cli(['predict', 'digits.transfer.json', files, '--csv'], dir);
  assert.equal(csv.status, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'file,class_1,probability_1,class_2,probability_2,class_3,probability_3');
  assert.equal(lines.length, 1 + expected.size);
  assert.match(csv.stderr, /skipped .*notes\.txt: /);

  // The run folder works as well as the experiment file; the table names the predicted class.
  const table = cli(['predict', r.runDir, path.join(files, 'sub')], dir);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^file +predicted +top 2 +top 3$/m);

  // Bad input: exit 2 with the reason.
  const none = cli(['predict', 'digits.transfer.json', path.join(files, 'notes.txt')], dir);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no image could be classified \(1 skipped\)/);
  const noRun = cli(['predict', 'other.transfer.json', files], dir);
  assert.equal(noRun.status, 2);
  assert.match(noRun.stderr, /other\.transfer\.json does not exist/);
  fs.writeFileSync(path.join(dir, 'untrained.transfer.json'), JSON.stringify(experiment));
  const untrained = cli(['predict', 'untrained.transfer.json', files], dir);
  assert.equal(untrained.status, 2);
  assert.match(untrained.stderr, /no run of untrained with a checkpoint/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('predict on a text run: .txt files get the run’s own probabilities (tokenized as in training); empty and non-UTF-8 files are skipped', () => {
  // Two topics with separable 4-d word vectors, and mixed documents that put both topics' words in one
  // document, so the run gets some of its test documents wrong.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-predict-text-'));
  const fruit = ['apple', 'banana', 'cherry', 'grape', 'lemon', 'mango'];
  const vehicle = ['car', 'truck', 'bus', 'train', 'bike', 'plane'];
  const vectors = [...fruit.map((w, i) => `${w} 1 0 ${(i % 3) * 0.1} 0.2`), ...vehicle.map((w, i) => `${w} 0 1 0.2 ${(i % 3) * 0.1}`), 'the 0.1 0.1 0.1 0.1'];
  fs.writeFileSync(path.join(dir, 'vectors.txt'), vectors.join('\n') + '\n');
  for (const [cls, own, other] of [
    ['fruit', fruit, vehicle],
    ['vehicle', vehicle, fruit],
  ] as const) {
    fs.mkdirSync(path.join(dir, 'docs', cls), { recursive: true });
    for (let d = 0; d < 40; d++) {
      const n = 3 + (d % 4);
      // every other document mixes in as many or more of the other topic's words
      const words = Array.from({ length: n }, (_, k) => (d % 2 && k % 3 !== 0 ? other : own)[(d * 7 + k * 5) % 6]!);
      fs.writeFileSync(path.join(dir, 'docs', cls, `${String(d).padStart(2, '0')}.txt`), `The ${words.join(', ')}.\n`);
    }
  }
  const experiment = {
    base: { kind: 'wordVectors', vectors: 'vectors.txt', encoder: 'mean' },
    data: { train: { kind: 'textFolder', path: 'docs' }, split: { validation: 0.2, test: 0.4 }, text: { maxLength: 12 } },
    transfer: { strategy: 'featureExtraction', head: { units: [] } },
    learningRate: { base: 0.05 },
    training: { epochs: 4, batchSize: 8 },
  };
  fs.writeFileSync(path.join(dir, 'topics.transfer.json'), JSON.stringify(experiment));
  const run = cli(['run', 'topics.transfer.json', '--json'], dir);
  assert.equal(run.status, 0, run.stderr);
  const e = JSON.parse(run.stdout).evaluation as EvaluationFile;
  assert.ok(e.mistakes.length >= 2, `needs mistakes to compare, got ${e.mistakes.length}`);
  const files = e.mistakes.map((m) => m.id);
  for (const f of files) assert.ok(fs.existsSync(f), `a mistake's id is its file: ${f}`);
  fs.writeFileSync(path.join(dir, 'empty.txt'), ' ... \n');
  fs.writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x72, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));

  const json = cli(['predict', 'topics.transfer.json', ...files, 'empty.txt', 'latin1.txt', '--json'], dir);
  assert.equal(json.status, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  assert.equal(r.kind, 'text');
  assert.deepEqual(r.inputShape, [12]);
  assert.deepEqual(r.classNames, ['fruit', 'vehicle']);
  assert.equal(r.predictions.length, files.length);
  for (const m of e.mistakes) {
    const p = r.predictions.find((x: { file: string }) => x.file === m.id);
    assert.ok(p, `${m.id} classified`);
    assert.equal(p.top[0].className, m.predictedClass, m.id);
    assert.ok(Math.abs(p.top[0].probability - m.probability) < 1e-5, `${m.id}: ${p.top[0].probability} vs ${m.probability}`);
    assert.equal(p.snippet, m.snippet);
  }
  const reasons = Object.fromEntries(r.skipped.map((s: { file: string; reason: string }) => [path.basename(s.file), s.reason]));
  assert.match(reasons['empty.txt'], /no token/);
  assert.match(reasons['latin1.txt'], /line 2 is not valid UTF-8/);
  const none = cli(['predict', 'topics.transfer.json', 'empty.txt'], dir);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no document could be classified \(1 skipped\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});
