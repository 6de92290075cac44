// loadExperiment / checkExperimentText: the whole pipeline on files, ExperimentError formatting,
// and a `run` base read from the run store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExperimentText, ExperimentError, loadExperiment } from '../../../src/core/experiment/load.js';
import type { ResolvedExperiment } from '../../../src/core/experiment/types.js';
import { createRun } from '../../../src/core/runs/store.js';
import type { RunSummary } from '../../../src/core/runs/events.js';
import { at } from './helpers.js';

const FIXTURES = path.join(__dirname, '../../fixtures/experiments');
const MODEL = path.join(__dirname, '../../fixtures/models/nested/model.json');

test('a valid file loads resolved, with its warnings', async () => {
  const file = path.join(FIXTURES, 'nested-finetune.transfer.json');
  const { experiment, problems } = await loadExperiment(file);
  assert.equal(experiment.name, 'nested-finetune');
  assert.equal(experiment.base.kind === 'model' && experiment.base.path, MODEL);
  assert.deepEqual(experiment.transfer.stages, [{ name: 'fineTune', epochs: 2, freeze: { upTo: 'relu_a' }, learningRate: 0.01 }]);
  const text = fs.readFileSync(file, 'utf8');
  assert.deepEqual(
    problems.map((p) => [p.severity, p.path, p.line, p.column]),
    [['warning', '/optimizer/rho', at(text, '0.5').line, at(text, '0.5').column]],
  );
});

test('schema errors throw an ExperimentError with file:line:col path: message lines', async () => {
  const file = path.join(FIXTURES, 'bad-schema.transfer.json');
  const text = fs.readFileSync(file, 'utf8');
  await assert.rejects(loadExperiment(file), (e: unknown) => {
    assert.ok(e instanceof ExperimentError);
    assert.equal(e.name, 'ExperimentError');
    assert.equal(e.file, file);
    const a = at(text, '-1');
    const b = at(text, '"valAcc"');
    assert.equal(
      e.message,
      [
        `${file}:${a.line}:${a.column} /data/train/perClass: must be >= 1 (found -1)`,
        `${file}:${b.line}:${b.column} /training/monitor: must be one of "valLoss", "valAccuracy" (found "valAcc"); did you mean "valAccuracy"?`,
      ].join('\n'),
    );
    return true;
  });
});

test('semantic errors throw too; a missing file is an ExperimentError', async () => {
  await assert.rejects(
    loadExperiment(path.join(FIXTURES, 'bad-layer.transfer.json')),
    /\/transfer\/freeze\/upTo: no layer "relu_aa" in the base; did you mean "relu_a"\?/,
  );
  await assert.rejects(loadExperiment(path.join(FIXTURES, 'missing.transfer.json')), (e: unknown) => {
    assert.ok(e instanceof ExperimentError);
    assert.match(e.message, /missing\.transfer\.json:1:1 \/: experiment file not found/);
    return true;
  });
});

test('checkExperimentText checks an unsaved buffer and returns the base layers', async () => {
  const file = path.join(FIXTURES, 'unsaved.transfer.json');
  const text = `{ "base": { "kind": "model", "path": "../models/nested/model.json" }, "data": { "train": { "kind": "mnist" } }, "transfer": { "cutLayer": "gapp" } }`;
  const r = await checkExperimentText(text, file);
  assert.equal(r.layers?.length, 11);
  assert.deepEqual(
    r.problems.map((p) => [p.path, p.message, p.column]),
    [['/transfer/cutLayer', 'no layer "gapp" in the base; did you mean "gap"?', at(text, '"gapp"').column]],
  );
  const broken = await checkExperimentText('{ "base": ', file);
  assert.equal(broken.experiment, undefined);
  assert.match(broken.problems[0].message, /JSON syntax error/);
});

test('a run base reads its layers from the source experiment’s latest completed checkpoint', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-load-'));
  try {
    const runsDir = path.join(dir, 'runs');
    fs.writeFileSync(
      path.join(dir, 'src.transfer.json'),
      '{ "name": "source-digits", "base": { "kind": "builtin" }, "data": { "train": { "kind": "mnist" } } }',
    );
    const target = path.join(dir, 'target.transfer.json');
    const text =
      '{ "base": { "kind": "run", "experiment": "src.transfer.json" }, "data": { "train": { "kind": "mnist" } }, "transfer": { "freeze": { "upTo": "relu_a" } } }';
    fs.writeFileSync(target, text);

    const none = await checkExperimentText(text, target, { runsDir });
    assert.deepEqual(
      none.problems.map((p) => [p.severity, p.path]),
      [['warning', '/base/experiment']],
    );
    assert.match(none.problems[0].message, /no completed run of "source-digits"/);

    const run = createRun(runsDir, { name: 'source-digits' } as ResolvedExperiment);
    fs.copyFileSync(MODEL, path.join(run.checkpointDir('best'), 'model.json'));
    run.writeSummary({ runId: run.id, experiment: 'source-digits', status: 'completed' } as RunSummary);
    const ok = await checkExperimentText(text, target, { runsDir });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.layers?.[0].name, 'conv_a');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
