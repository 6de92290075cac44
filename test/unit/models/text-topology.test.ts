// The layer list of a wordVectors base read without tfjs (panel, completion, semantic checks) equals the
// network tfjs builds from the same settings; vocabulary sizes read without the vectors equal the loaded ones.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { before } from 'node:test';
import { initBackend } from '../../../src/core/backend/index.js';
import type { ResolvedWordVectorsBase } from '../../../src/core/experiment/types.js';
import { buildTextBase } from '../../../src/core/models/text-base.js';
import { textBaseTopology } from '../../../src/core/models/text-topology.js';
import { defaultCut } from '../../../src/core/models/cut.js';
import { loadShippedVectors, readVectorsFile, readVectorsShape } from '../../../src/core/text/vectors.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'text-topology-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(() => initBackend('wasm'));
const resolveBase = (over: Partial<ResolvedWordVectorsBase>): ResolvedWordVectorsBase => ({
  kind: 'wordVectors',
  vectors: 'glove-100d',
  encoder: 'mean',
  filters: 128,
  kernelSize: 5,
  units: 64,
  ...over,
});

for (const encoder of ['mean', 'max', 'meanMax', 'conv', 'gru', 'bigru'] as const) {
  test(`textBaseTopology (${encoder}) equals the tfjs model buildTextBase builds: names, classes, output shapes, weights`, async () => {
    const base = resolveBase({ encoder, filters: 16, kernelSize: 3, units: 8 });
    const vectors = loadShippedVectors(300);
    const model = buildTextBase(base, vectors, 12, 1);
    const layers = textBaseTopology(base, await readVectorsShape('glove-100d', 300), 12);
    const real = model.layers.slice(1); // the input layer is not listed
    assert.deepEqual(
      layers.map((l) => [l.name, l.className, l.outputShape, l.params]),
      real.map((l) => [l.name, l.getClassName(), l.outputShape, l.countParams()]),
    );
    assert.equal(layers.at(-1)!.headless, true);
    assert.deepEqual(defaultCut(layers), { index: layers.length - 1, dropped: [] }, 'the default cut keeps the whole text base');
    model.dispose();
  });
}

test('readVectorsShape: shipped header, GloVe .txt and .vec with header, maxWords, missing file', async () => {
  const shipped = loadShippedVectors();
  assert.deepEqual(await readVectorsShape('glove-100d'), { words: shipped.words.length, dim: shipped.dim });
  assert.deepEqual(await readVectorsShape('glove-100d', 1234), { words: 1234, dim: 100 });
  const lines = shipped.words.slice(0, 50).map((w, i) => `${w} ${Array.from(shipped.values.slice(i * 100, i * 100 + 3)).join(' ')}`);
  const txt = path.join(tmp, 'v.txt');
  writeFileSync(txt, `${lines.join('\n')}\n\n`);
  const vec = path.join(tmp, 'v.vec');
  writeFileSync(vec, `50 3\n${lines.join('\n')}\n`);
  for (const f of [txt, vec]) {
    const loaded = await readVectorsFile(f);
    assert.deepEqual(await readVectorsShape(f), { words: loaded.words.length, dim: loaded.dim });
    assert.deepEqual(await readVectorsShape(f, 7), { words: 7, dim: 3 });
  }
  await assert.rejects(readVectorsShape(path.join(tmp, 'none.txt')), /vectors file not found/);
});
