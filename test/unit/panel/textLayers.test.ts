// The panel's layer table for a wordVectors base: the layers read without tfjs, the embedding row's
// vocabulary size and coverage (read from real documents against the shipped GloVe vectors), freeze
// toggles as edits of the file, and layer names checked by the semantic checks.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkExperimentText } from '../../../src/core/experiment/load.js';
import { textReport } from '../../../src/core/text/coverage.js';
import { toggleFreeze } from '../../../src/extension/panel/edits/experimentEdits.js';
import { baseLayerNames, experimentView } from '../../../src/extension/panel/view/experimentView.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'text-panel-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const put = (rel: string, text: string) => {
  const f = path.join(tmp, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
};
// 6 tokens, 5 in GloVe ("qwzxv" is not): 83.3% of tokens; 5 types, 4 found: 80.0% of types.
put('docs/cats/a.txt', 'The cat sat.');
put('docs/dogs/a.txt', 'qwzxv the dog');
const FILE = path.join(tmp, 'text.transfer.json');
const text = (freeze: object) =>
  JSON.stringify({
    base: { kind: 'wordVectors', vectors: 'glove-100d', encoder: 'mean', maxWords: 20000 },
    data: { train: { kind: 'textFolder', path: 'docs' }, split: { validation: 0, test: 0 }, text: { maxLength: 16 } },
    transfer: {
      strategy: 'fineTune',
      stages: [
        { name: 'head', epochs: 1, freeze: { all: true } },
        { name: 'all', epochs: 1, freeze },
      ],
    },
  });
const steps = () => ({ stepsPerEpoch: 1, source: 'test' });

test('wordVectors base: layer table with vocabulary and coverage on the embedding row; freeze toggles edit the file', async () => {
  const src = text({});
  const c = await checkExperimentText(src, FILE);
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.deepEqual(
    c.layers?.map((l) => [l.name, l.className, l.params]),
    [
      ['embedding', 'Embedding', 20002 * 100],
      ['pool', 'MaskedPooling1D', 0],
    ],
  );

  const pending = experimentView(FILE, c.problems, { text: src, experiment: c.experiment!, layers: c.layers }, true, steps).detail!;
  assert.deepEqual(
    pending.layers.map((l) => [l.name, l.role, l.frozen]),
    [
      ['embedding', 'base', [true, false]],
      ['pool', 'cut', [true, false]],
    ],
  );
  assert.equal(pending.layers[0]!.note, 'vocabulary 20,000 words + padding + OOV = 20,002 rows; coverage: reading the documents…');
  assert.equal(pending.layers[1]!.note, undefined);
  assert.match(pending.base, /word vectors glove-100d, mean encoder/);

  const coverage = await textReport(c.experiment!);
  const d = experimentView(FILE, c.problems, { text: src, experiment: c.experiment!, layers: c.layers, coverage }, true, steps).detail!;
  assert.equal(d.layers[0]!.note, 'vocabulary 20,000 words + padding + OOV = 20,002 rows; coverage: train 83.3% of tokens, 80.0% of types (1 OOV types)');
  const failed = experimentView(
    FILE,
    [],
    { text: src, experiment: c.experiment!, layers: c.layers, coverage: { error: 'x.txt: line 3 is not valid UTF-8' } },
    true,
    steps,
  );
  assert.match(failed.detail!.layers[0]!.note!, /coverage unknown: x\.txt: line 3 is not valid UTF-8$/);

  // Freeze the embedding in stage 2 from the panel: the file gains the selector, the table follows.
  const ctx = { text: src, experiment: c.experiment!, baseLayers: baseLayerNames(c.experiment!, c.layers) };
  assert.deepEqual(ctx.baseLayers, ['embedding', 'pool']);
  const after1 = toggleFreeze(ctx, 1, 'embedding', true);
  const c2 = await checkExperimentText(after1, FILE);
  assert.deepEqual((JSON.parse(after1) as { transfer: { stages: { freeze: unknown }[] } }).transfer.stages[1]!.freeze, { upTo: 'embedding' });
  const d2 = experimentView(FILE, c2.problems, { text: after1, experiment: c2.experiment!, layers: c2.layers }, true, steps).detail!;
  assert.deepEqual(
    d2.layers.map((l) => l.frozen),
    [
      [true, true],
      [true, false],
    ],
  );
});

test('wordVectors base: freeze selectors and cutLayer checked against its layers (conv encoder)', async () => {
  const bad = JSON.parse(text({ names: ['embeding'] })) as { base: Record<string, unknown>; transfer: Record<string, unknown> };
  bad.base.encoder = 'conv';
  bad.transfer.cutLayer = 'pool';
  const c = await checkExperimentText(JSON.stringify(bad), FILE);
  assert.deepEqual(
    c.layers?.map((l) => l.name),
    ['embedding', 'conv', 'pool'],
  );
  const msgs = c.problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);
  assert.ok(
    msgs.some((m) => /^error \/transfer\/stages\/1\/freeze\/names\/0: .*embeding.*embedding/.test(m)),
    msgs.join('\n'),
  );
  assert.ok(!msgs.some((m) => m.includes('/transfer/cutLayer')), `no warning on cutting at the text base's last layer:\n${msgs.join('\n')}`);
});
