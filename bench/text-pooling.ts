/**
 * Frozen-GloVe pooling probe (issue 14's levers; a figure, not a test): writes the token ids of the
 * same label draws as `npm run bench:text` (seeds 1–3; spam 10 and 50 per class at 256 tokens, Brown
 * 10 per class at 1000 and at 2500 tokens, i.e. half or whole documents) and the shipped embedding
 * matrix to a temporary folder, then runs `bench/text_pooling.py` (mean, meanMax, SIF, SIF with
 * common-component removal; logistic regression, C chosen on validation).
 *
 * Usage: npx tsx bench/text-pooling.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadData } from '../src/core/data/index.js';
import type { ExampleView } from '../src/core/data/example-set.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { embeddingMatrix } from '../src/core/models/text-base.js';
import { vocabularyOf, type TokenStore } from '../src/core/text/encode.js';
import { loadShippedVectors } from '../src/core/text/vectors.js';

const BROWN = ['adventure', 'belles_lettres', 'editorial', 'fiction', 'government', 'hobbies', 'learned', 'lore', 'mystery', 'news', 'romance'];
const SETS = [
  { name: 'spam-10', train: { kind: 'spamAssassin' }, maxLength: 256, validation: 0.1, perClass: 10 },
  { name: 'spam-50', train: { kind: 'spamAssassin' }, maxLength: 256, validation: 0.1, perClass: 50 },
  { name: 'brown-10-1000', train: { kind: 'brownCorpus', classes: BROWN }, maxLength: 1000, validation: 0.2, perClass: 10 },
  { name: 'brown-10-2500', train: { kind: 'brownCorpus', classes: BROWN }, maxLength: 2500, validation: 0.2, perClass: 10 },
];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-pooling-'));
  const vectors = loadShippedVectors();
  fs.writeFileSync(path.join(dir, 'emb.f32'), Buffer.from(embeddingMatrix(vectors).buffer));
  const vocabulary = vocabularyOf(vectors.words);
  for (const s of SETS) {
    for (let seed = 1; seed <= 3; seed++) {
      const file = path.join(dir, `${s.name}.transfer.json`);
      const split = { validation: s.validation, test: 0.3, trainPerClass: s.perClass };
      fs.writeFileSync(file, JSON.stringify({ base: { kind: 'wordVectors' }, data: { train: s.train, split, text: { maxLength: s.maxLength } } }));
      const { experiment } = await loadExperiment(file, { seed });
      const data = await loadData(experiment.data, { inputShape: [s.maxLength], seed, text: { vocabulary, maxLength: s.maxLength } });
      const dump = (set: ExampleView) => {
        const store = set.store as TokenStore;
        return {
          ids: Array.from(set.positions, (p) => Array.from(store.ids.subarray(p * s.maxLength, (p + 1) * s.maxLength))),
          labels: Array.from(set.labels),
        };
      };
      const parts = { train: dump(data.train as ExampleView), validation: dump(data.validation as ExampleView), test: dump(data.test as ExampleView) };
      fs.writeFileSync(path.join(dir, `${s.name}-${seed}.json`), JSON.stringify(parts));
    }
  }
  const py = path.join(__dirname, 'text_pooling.py');
  process.stdout.write(execFileSync('/usr/bin/python3', [py, dir, ...SETS.map((s) => s.name)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  fs.rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
