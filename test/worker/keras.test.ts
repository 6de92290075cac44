// A real Keras `.h5` from a public repository (test/fixtures/keras/SOURCES.md) as the base of
// feature-extraction and fine-tuning runs through the CLI and the worker, on real digits; `layers`,
// `convert` and `validate` on Keras files as child processes, with their exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'keras');
const CNN = path.join(FIXTURES, 'mnist-cnn.h5');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function workspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tl-keras-'));
}

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
}

/** Digits 3 vs 8 on the Keras MNIST CNN (trained on raw 0–255 pixels, hence `scale: raw`). */
const experiment = (strategy: string, base: string = CNN, rate = 0.03) => ({
  base: { kind: 'model', path: base },
  data: { train: { kind: 'mnist', classes: [3, 8], perClass: 40 }, image: { scale: 'raw' }, split: { validation: 0.2, test: 0.2 } },
  transfer: { strategy },
  learningRate: { base: rate },
  training: { epochs: 5, batchSize: 8 },
});

for (const [strategy, rate] of [
  ['featureExtraction', 0.03],
  ['fineTune', 0.01],
] as const) {
  test(`run: ${strategy} on the Keras mnist-cnn.h5 base completes on real digits`, () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'k.transfer.json'), JSON.stringify(experiment(strategy, CNN, rate)));
    const r = cli(['run', 'k.transfer.json', '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, 'completed');
    assert.ok(s.test.accuracy >= 0.75, `test accuracy ${s.test.accuracy}`);
    const log = fs.readFileSync(path.join(dir, '.transfer-lab', 'runs', 'k', s.runId, 'metrics.jsonl'), 'utf8');
    assert.match(log, /mnist-cnn\.h5; 8 base layers, cut at \\"dense_2\\" \(features 16\)/);
    assert.match(log, /old head dropped: dense_3/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test('layers: the table of a Keras file and of an experiment whose base is one', () => {
  const dir = workspace();
  const r = cli(['layers', CNN], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /index\s+name\s+class\s+output shape\s+params\s+trainable/);
  assert.match(r.stdout, /\n\s+0\s+conv2d\s+Conv2D\s+26×26×32\s+320\s+yes\n/);
  assert.match(r.stdout, /\n\s+5\s+dense\s+Dense\s+784\s+113680\s+yes\n/);
  assert.match(r.stdout, /9 layers, 129066 parameters/);
  fs.writeFileSync(path.join(dir, 'k.transfer.json'), JSON.stringify(experiment('featureExtraction')));
  const e = cli(['layers', 'k.transfer.json', '--json'], dir);
  assert.equal(e.status, 0, e.stderr);
  assert.deepEqual(
    JSON.parse(e.stdout)
      .map((l: { name: string }) => l.name)
      .slice(-2),
    ['dense_2', 'dense_3'],
  );
  const missing = cli(['layers', 'nothing.h5'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nothing\.h5: Keras model file not found/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('convert writes a tfjs folder (exit 0); a weights-only file exits 2 saying why', () => {
  const dir = workspace();
  const r = cli(['convert', CNN, 'out'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /out\/model\.json: 10 top-level layers, 129066 parameters/);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'model.json'), 'utf8'));
  assert.equal(json.weightsManifest[0].weights.length, 12);
  assert.equal(fs.statSync(path.join(dir, 'out', 'weights.bin')).size, 129066 * 4);
  const bad = cli(['convert', path.join(FIXTURES, 'lenet5-weights-only.h5'), 'out2'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /holds weights only/);
  assert.ok(!fs.existsSync(path.join(dir, 'out2')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('validate and run: a Keras layer class tfjs lacks is named with its layer, exit 2, before any training', () => {
  const dir = workspace();
  const bad = path.join(dir, 'lambda.h5');
  const py = `
import h5py, json, shutil, sys
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], 'r+') as f:
    c = json.loads(f.attrs['model_config'])
    for l in c['config']['layers']:
        if l['config']['name'] == 'flatten': l['class_name'] = 'Lambda'
    f.attrs['model_config'] = json.dumps(c)
`;
  const p = spawnSync(PYTHON, ['-c', py, CNN, bad], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  fs.writeFileSync(path.join(dir, 'k.transfer.json'), JSON.stringify(experiment('featureExtraction', 'lambda.h5')));
  const v = cli(['validate', 'k.transfer.json'], dir);
  assert.equal(v.status, 2, v.stdout);
  assert.match(v.stderr, /\/base\/path: .*lambda\.h5: layer "flatten" is a Lambda, a layer class TensorFlow\.js Layers does not have/);
  const r = cli(['run', 'k.transfer.json'], dir);
  assert.equal(r.status, 2, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /epoch 1/);
  fs.rmSync(dir, { recursive: true, force: true });
});
