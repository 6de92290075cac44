// What each panel action does to an experiment text with comments: freeze toggles per stage,
// "freeze up to here", the cut layer, layer groups, settings; only the touched values change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import {
  EditRefused,
  addLayerGroup,
  freezeLock,
  freezeUpTo,
  setCutLayer,
  setLayerGroup,
  setSetting,
  stagesWritten,
  toggleFreeze,
} from '../../../src/extension/panel/edits/experimentEdits.js';
import { minimalReplacement } from '../../../src/core/experiment/json-text.js';
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import { STAGES_TEXT, contextOf } from './helpers.js';

/** The only changed span of the text, as [before, after]. */
function change(before: string, after: string): [string, string] {
  const r = minimalReplacement(before, after)!;
  return [before.slice(r.offset, r.offset + r.length), r.text];
}

test('unfreezing conv1 in stage 2 rewrites that stage’s selector only, comments kept', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  assert.deepEqual(ctx.baseLayers, ['conv1', 'pool1', 'conv2', 'pool2', 'flatten']);
  const out = toggleFreeze(ctx, 1, 'conv1', false);
  assert.equal(out, STAGES_TEXT.replace('"freeze": { "upTo": "pool1" }', '"freeze": { "names": ["pool1"] }'));
  assert.ok(out.includes('// conv1 and pool1 stay frozen') && out.includes('/* keep the dense layer out */'));
  // freezing it again gives the prefix form back
  const again = toggleFreeze(await contextOf(out), 1, 'conv1', true);
  assert.equal(again, STAGES_TEXT.replace('"freeze": { "upTo": "pool1" }', '"freeze": { "names": ["conv1", "pool1"] }'));
});

test('freezing a layer already frozen changes nothing', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  assert.equal(toggleFreeze(ctx, 0, 'conv2', true), STAGES_TEXT);
});

test('freeze up to here writes { "upTo": layer } into the chosen stage', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  const out = freezeUpTo(ctx, 0, 'conv2');
  assert.deepEqual(change(STAGES_TEXT, out), ['all": true', 'upTo": "conv2"']);
});

test('without stages, fineTune edits transfer.freeze (created when missing)', async () => {
  const text = '{\n  "base": { "kind": "builtin" },\n  "data": { "train": { "kind": "mnist" } },\n  "transfer": { "strategy": "fineTune" }\n}\n';
  const ctx = await contextOf(text);
  assert.equal(stagesWritten(text), false);
  const out = toggleFreeze(ctx, 0, 'pool1', true);
  assert.equal(out, text.replace('{ "strategy": "fineTune" }', '{ "strategy": "fineTune", "freeze": { "names": ["pool1"] } }'));
});

test('scratch and featureExtraction refuse freeze edits with a reason', async () => {
  const scratch = await contextOf('{ "base": { "kind": "builtin" }, "data": { "train": { "kind": "mnist" } }, "transfer": { "strategy": "scratch" } }');
  assert.match(freezeLock(scratch.experiment, scratch.baseLayers, 0)!, /scratch/);
  assert.throws(() => toggleFreeze(scratch, 0, 'conv1', true), EditRefused);
  const fe = await contextOf('{ "base": { "kind": "builtin" }, "data": { "train": { "kind": "mnist" } }, "transfer": { "strategy": "featureExtraction" } }');
  assert.throws(() => freezeUpTo(fe, 0, 'conv1'), /featureExtraction/);
});

test('layers after the cut cannot be frozen', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  assert.throws(() => toggleFreeze(ctx, 1, 'fc1', true), /after the cut/);
});

test('the cut layer is set, moved and removed', async () => {
  const layers = ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'logits'];
  assert.deepEqual(change(STAGES_TEXT, setCutLayer(STAGES_TEXT, layers, 'pool2')), ['flatten', 'pool2']);
  const removed = setCutLayer(STAGES_TEXT, layers, null);
  assert.ok(!removed.includes('cutLayer'));
  assert.ok(removed.includes('"strategy": "fineTune",\n    "stages"'));
  assert.throws(() => setCutLayer(STAGES_TEXT, layers, 'conv9'), /no layer "conv9"/);
});

test('moving a layer between groups edits every group that has it', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  const none = setLayerGroup(ctx, 'conv1', null);
  assert.equal(none, STAGES_TEXT.replace('"layers": { "names": ["conv1"] }', '"layers": {}'));
  const added = addLayerGroup(ctx, 'late', 0.1, 'conv1');
  const groups = (parse(added) as { learningRate: { layerGroups: unknown[] } }).learningRate.layerGroups;
  assert.deepEqual(groups, [
    { name: 'early', layers: {}, multiplier: 0.01 },
    { name: 'late', layers: { names: ['conv1'] }, multiplier: 0.1 },
  ]);
  const pool = setLayerGroup(ctx, 'pool1', 'early');
  assert.ok(pool.includes('"layers": { "names": ["conv1", "pool1"] }'));
  assert.throws(() => setLayerGroup(ctx, 'pool1', 'nope'), /no layer group/);
  assert.throws(() => addLayerGroup(ctx, 'early', 1, 'pool1'), /exists already/);
  assert.throws(() => addLayerGroup(ctx, 'head', 1, 'pool1'), /reserved/);
});

test('settings: schedule parameters, multipliers, stage epochs and rates; null removes', async () => {
  const ctx = await contextOf(STAGES_TEXT);
  assert.equal(setSetting(ctx, { kind: 'schedule', key: 'type' }, 'cosine'), STAGES_TEXT.replace('"oneCycle"', '"cosine"'));
  assert.ok(setSetting(ctx, { kind: 'schedule', key: 'pctStart' }, 0.3).includes('{ "type": "oneCycle", "pctStart": 0.3 }'));
  assert.deepEqual(change(STAGES_TEXT, setSetting(ctx, { kind: 'groupMultiplier', group: 'early' }, 0.05)), ['1', '5']);
  assert.deepEqual(change(STAGES_TEXT, setSetting(ctx, { kind: 'stageEpochs', stage: 1 }, 4)), ['3', '4']);
  assert.deepEqual(change(STAGES_TEXT, setSetting(ctx, { kind: 'stageLearningRate', stage: 1 }, 0.002)), ['3', '2']);
  const noRate = setSetting(ctx, { kind: 'stageLearningRate', stage: 1 }, null);
  assert.ok(noRate.includes('"freeze": { "upTo": "pool1" } // conv1 and pool1 stay frozen\n      }'));
  assert.throws(() => setSetting(ctx, { kind: 'learningRate', key: 'base' }, Number.NaN), EditRefused);
});

test('switching the schedule type in the panel leaves no parameter the new schedule warns about', async () => {
  // Each schedule with all of its parameters written (and a warmup), switched to every other type:
  // the checker's warnings after the edit must be a subset of those before it.
  const params: Record<string, string> = {
    constant: '',
    step: ', "stepEpochs": 2, "gamma": 0.5',
    exponential: ', "gamma": 0.9',
    cosine: ', "minRate": 0.0001',
    oneCycle: ', "pctStart": 0.3, "divFactor": 10, "finalDivFactor": 100',
  };
  const warnings = async (text: string) => {
    const checked = await checkExperimentText(text, '/tmp/panel-demo.transfer.json', { checkFiles: false });
    assert.ok(checked.experiment, checked.problems.map((p) => p.message).join('; '));
    return checked.problems.filter((p) => p.severity === 'warning').map((p) => `${p.path}: ${p.message}`);
  };
  let switches = 0;
  for (const [from, written] of Object.entries(params)) {
    const warmup = from === 'oneCycle' ? '' : ', "warmup": { "steps": 5 }';
    const text = STAGES_TEXT.replace('"schedule": { "type": "oneCycle" }', `"schedule": { "type": "${from}"${written} }${warmup}`);
    const before = await warnings(text);
    for (const to of Object.keys(params).filter((t) => t !== from)) {
      const out = setSetting(await contextOf(text), { kind: 'schedule', key: 'type' }, to);
      const added = (await warnings(out)).filter((w) => !before.includes(w));
      assert.deepEqual(added, [], `${from} -> ${to} added warnings:\n${out}`);
      assert.equal((parse(out) as { learningRate: { schedule: { type: string } } }).learningRate.schedule.type, to);
      switches++;
    }
  }
  assert.equal(switches, 20);
  // cosine -> oneCycle, the reported case: minRate goes, the comments stay
  const cosine = STAGES_TEXT.replace('"schedule": { "type": "oneCycle" }', '"schedule": { "type": "cosine", "minRate": 0.0001 }');
  const out = setSetting(await contextOf(cosine), { kind: 'schedule', key: 'type' }, 'oneCycle');
  assert.ok(!out.includes('minRate') && out.includes('// conv1 and pool1 stay frozen'), out);
});
