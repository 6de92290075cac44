// A pretrained text model we did not build as a text base: a tfjs Layers model (Embedding → global
// average pooling → Dense → Dense) trained here on three Brown genres as its "pretraining", saved as
// model.json with a Keras-style vocabulary file ('' and [UNK] first), then reused through
// `base.vocabulary` on two other genres: frozen (feature extraction), cut, and fine-tuned in stages.
// Bad vocabularies and models are refused naming the file, line or layer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadSource } from '../../../src/core/data/index.js';
import { saveModel } from '../../../src/core/models/io.js';
import { loadExperiment } from '../../../src/core/experiment/load.js';
import { readMetrics } from '../../../src/core/runs/store.js';
import { checkTextExperiment } from '../../../src/core/text/check.js';
import { runTask } from '../../../src/core/tasks/run-task.js';
import { documentTexts, vocabularyOf } from '../../../src/core/text/encode.js';
import { tokenize } from '../../../src/core/text/tokenizer.js';
import { readVocabularyFile } from '../../../src/core/text/vocabulary-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-text-model-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const MAX_LENGTH = 300;
const image = { channels: 1, resize: 'cover', scale: 'unit' } as const;

/** The source model: most frequent 3,000 Brown words, trained 3 epochs on news/government/learned. */
before(async () => {
  await initBackend('wasm');
  const src = await loadSource(
    { kind: 'brownCorpus', classes: ['news', 'government', 'learned'] },
    { role: 'train', image, text: { vocabulary: vocabularyOf([]), maxLength: 8 } },
  );
  const text = documentTexts(src.set)!;
  const counts = new Map<string, number>();
  for (let i = 0; i < src.set.count; i++) for (const t of tokenize(text(i))) counts.set(t, (counts.get(t) ?? 0) + 1);
  const words = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3000)
    .map(([w]) => w);
  fs.writeFileSync(path.join(dir, 'vocabulary.txt'), ['', '[UNK]', ...words].join('\n') + '\n');
  const vocab = vocabularyOf(words);
  const ids = new Float32Array(src.set.count * MAX_LENGTH);
  for (let i = 0; i < src.set.count; i++)
    tokenize(text(i))
      .slice(0, MAX_LENGTH)
      .forEach((t, k) => (ids[i * MAX_LENGTH + k] = vocab.idOf(t) ?? 1));
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: words.length + 2,
        outputDim: 16,
        inputLength: MAX_LENGTH,
        name: 'embedding',
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }),
      }),
      tf.layers.globalAveragePooling1d({ name: 'average' }),
      tf.layers.dense({ units: 8, activation: 'relu', name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'genre', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor2d(ids, [src.set.count, MAX_LENGTH]);
  const y = tf.tensor1d(Array.from(src.set.labels), 'float32');
  await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  fs.mkdirSync(path.join(dir, 'model'));
  await saveModel(model, path.join(dir, 'model'));
  model.dispose();
});

function experiment(name: string, transfer: object, base: object = {}): string {
  const file = path.join(dir, `${name}.transfer.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'model', path: 'model/model.json', vocabulary: 'vocabulary.txt', ...base },
      data: { train: { kind: 'brownCorpus', classes: ['fiction', 'romance'] }, split: { validation: 0.25, test: 0.25 } },
      transfer,
      learningRate: { base: 0.01 },
      training: { epochs: 4, batchSize: 8, seed: 5 },
    }),
  );
  return file;
}
const runsDir = path.join(dir, 'runs');

test('a tfjs text model + vocabulary file as a base: feature extraction (old head dropped), a cut at the pooling, staged fine-tuning', async () => {
  const fe = await runTask('train', { experimentFile: experiment('fe', { strategy: 'featureExtraction', head: { units: [] } }), runsDir, backend: 'wasm' });
  assert.equal(fe.status, 'completed', fe.error);
  const logs = (id: string, name: string) =>
    readMetrics(path.join(runsDir, name, id))
      .filter((m) => m.kind === 'log')
      .map((m) => (m as { message: string }).message)
      .join('\n');
  assert.match(logs(fe.runId, 'fe'), /cut at "hidden" \(features 8\)/);
  assert.match(logs(fe.runId, 'fe'), /old head dropped: genre/);
  assert.match(logs(fe.runId, 'fe'), /text train: \d+ documents .*coverage/);
  const cut = await runTask('train', {
    experimentFile: experiment('cut', { strategy: 'featureExtraction', cutLayer: 'average', head: { units: [] } }),
    runsDir,
    backend: 'wasm',
  });
  assert.equal(cut.status, 'completed', cut.error);
  assert.match(logs(cut.runId, 'cut'), /cut at "average" \(features 16\)/);
  const ft = await runTask('train', {
    experimentFile: experiment('ft', {
      strategy: 'fineTune',
      stages: [
        { name: 'head', epochs: 2, freeze: { all: true } },
        { name: 'all', epochs: 2, freeze: {} },
      ],
    }),
    runsDir,
    backend: 'wasm',
  });
  assert.equal(ft.status, 'completed', ft.error);
  for (const s of [fe, cut, ft]) assert.ok((s.test?.accuracy ?? -1) >= 0, JSON.stringify(s.test));
});

test('bad text models and vocabularies are refused naming the file, line or layer', async () => {
  const bad = (name: string, content: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  assert.throws(() => readVocabularyFile(bad('v1.txt', 'the\nof\n')), /v1\.txt: lines 1 and 2 must be the padding token/);
  assert.throws(() => readVocabularyFile(bad('v2.txt', '\n[UNK]\nthe\n\nof\n')), /v2\.txt: line 4 is empty/);
  assert.throws(() => readVocabularyFile(bad('v3.txt', '\n[UNK]\nthe\nof\nthe\n')), /v3\.txt: line 5 repeats "the" of line 3/);
  assert.deepEqual(readVocabularyFile(bad('v4.txt', '\r\n[UNK]\r\nthe\r\nof')), ['the', 'of']);
  // validate reads the vocabulary and the documents too (no training needed to find these).
  const { experiment: good } = await loadExperiment(experiment('good', { strategy: 'featureExtraction' }));
  const lines = await checkTextExperiment(good);
  assert.match(lines[0]!, /vocabulary .*vocabulary\.txt: 3000 words/);
  assert.match(lines[1]!, /^train: \d+ documents .*vocabulary coverage/);
  const { experiment: badVocab } = await loadExperiment(experiment('badvocab', { strategy: 'featureExtraction' }, { vocabulary: 'v1.txt' }));
  await assert.rejects(checkTextExperiment(badVocab), /v1\.txt: lines 1 and 2 must be the padding token/);
  const short = experiment('short', { strategy: 'featureExtraction' }, { vocabulary: bad('v5.txt', '\n[UNK]\nthe\nof\n') });
  const s = await runTask('train', { experimentFile: short, runsDir, backend: 'wasm' }).catch((e: Error) => ({ status: 'threw', error: e.message }));
  assert.match(String(s.error), /layer "embedding" has 3002 rows but .*v5\.txt lists 4 tokens/);
});
