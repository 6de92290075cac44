// evaluation.json of a real run through the CLI and worker (real digits): written for the reported
// checkpoint, listed in summary.json, consistent with summary.test, carried by `run --json` and
// `runs --json`, printed by `run` and `runs <file>`; a run without it (older runs) still lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EvaluationFile } from '../../src/core/runs/artifacts.js';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

const experiment = (split: Record<string, number>) => ({
  base: { kind: 'builtin', architecture: 'smallCnn' },
  data: { train: { kind: 'mnist', classes: [3, 5, 8], perClass: 50 }, split },
  transfer: { strategy: 'scratch' },
  learningRate: { base: 0.003 },
  training: { epochs: 2, batchSize: 8 },
});

test('a run with a test split writes evaluation.json for its reported checkpoint; run and runs print and carry it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-eval-'));
  fs.writeFileSync(path.join(dir, 'three.transfer.json'), JSON.stringify(experiment({ validation: 0.2, test: 0.3 })));
  const r = cli(['run', 'three.transfer.json', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.artifacts.evaluation, 'evaluation.json');
  const runDir = path.join(dir, '.transfer-lab', 'runs', 'three', s.runId);
  const e = JSON.parse(fs.readFileSync(path.join(runDir, 'evaluation.json'), 'utf8')) as EvaluationFile;
  assert.deepEqual(s.evaluation, e);
  assert.equal(e.split, 'test');
  assert.equal(e.checkpoint, s.test.checkpoint);
  assert.deepEqual(e.classNames, ['3', '5', '8']);
  // The counts add up to the test split, the diagonal to summary.test's accuracy.
  assert.equal(
    e.confusion.flat().reduce((a, b) => a + b, 0),
    s.test.examples,
  );
  assert.equal(e.confusion.reduce((a, row, c) => a + row[c]!, 0) / e.examples, s.test.accuracy);
  assert.deepEqual(
    e.perClass.map((c) => c.support),
    e.confusion.map((row) => row.reduce((a, b) => a + b, 0)),
  );
  assert.deepEqual(
    e.topK.map((t) => t.k),
    [2],
  );
  assert.ok(e.topK[0]!.accuracy >= e.accuracy);
  assert.equal(e.mistakesTotal, e.examples - Math.round(e.accuracy * e.examples));
  for (const m of e.mistakes) assert.match(m.id, new RegExp(`^mnist:${m.trueClass}#`));

  const text = cli(['runs', 'three.transfer.json'], dir);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /test split, best checkpoint/);
  assert.match(text.stdout, /^macro avg +\d\.\d{3} +\d\.\d{3} +\d\.\d{3} +\d+$/m);
  for (const c of ['3', '5', '8']) assert.match(text.stdout, new RegExp(`^${c} +\\d\\.\\d{3}`, 'm'));
  assert.deepEqual(JSON.parse(cli(['runs', '--json'], dir).stdout)[0].evaluation, e);

  // A run from before evaluation.json: no artifact, no file. It still lists, without a class table.
  fs.rmSync(path.join(runDir, 'evaluation.json'));
  const summaryFile = path.join(runDir, 'summary.json');
  const old = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  delete old.artifacts;
  fs.writeFileSync(summaryFile, JSON.stringify(old));
  const oldText = cli(['runs', 'three.transfer.json'], dir);
  assert.equal(oldText.status, 0, oldText.stderr);
  assert.match(oldText.stdout, new RegExp(s.runId));
  assert.doesNotMatch(oldText.stdout, /macro avg/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('without a test split the evaluation is of the validation split', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-eval-'));
  fs.writeFileSync(path.join(dir, 'val.transfer.json'), JSON.stringify(experiment({ validation: 0.3 })));
  const r = cli(['run', 'val.transfer.json'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /validation split, best checkpoint: accuracy \d+\.\d% on 45/);
  assert.match(r.stdout, /^weighted avg /m);
  fs.rmSync(dir, { recursive: true, force: true });
});
