// TF-IDF rows of real documents (the Brown corpus) equal scikit-learn's TfidfVectorizer with the same
// tokens (min_df 2, smooth idf, L2 rows), computed independently by Debian's python3-sklearn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { loadSource } from '../../../src/core/data/index.js';
import { documentTexts, vocabularyOf } from '../../../src/core/text/encode.js';
import { tfidfRows } from '../../../src/core/text/tfidf.js';
import { tokenize } from '../../../src/core/text/tokenizer.js';

const SKLEARN = `
import json, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
d = json.load(sys.stdin)
vec = TfidfVectorizer(analyzer=lambda toks: toks, min_df=2, max_features=d["maxFeatures"])
x = vec.fit_transform(d["tokens"]).toarray()
print(json.dumps({"terms": vec.get_feature_names_out().tolist(), "x": x.tolist()}))
`;

test('tfidfRows equals scikit-learn TfidfVectorizer (min_df 2, smooth idf, L2 rows) on 60 Brown documents', async () => {
  const src = await loadSource(
    { kind: 'brownCorpus', classes: ['news', 'romance'] },
    { role: 'train', image: { channels: 1, resize: 'cover', scale: 'unit' }, text: { vocabulary: vocabularyOf([]), maxLength: 8 } },
  );
  const text = documentTexts(src.set)!;
  const texts = Array.from({ length: 60 }, (_, i) => text(i));
  for (const maxFeatures of [100_000, 300]) {
    const ours = tfidfRows(texts, 2, maxFeatures);
    const out = execFileSync('/usr/bin/python3', ['-c', SKLEARN], {
      input: JSON.stringify({ tokens: texts.map((t) => tokenize(t)), maxFeatures }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const ref = JSON.parse(out) as { terms: string[]; x: number[][] };
    if (maxFeatures === 300) {
      // sklearn breaks frequency ties at the 300th term in its own order: compare the terms both keep.
      const common = ours.terms.filter((t) => ref.terms.includes(t));
      assert.ok(common.length >= 295, `${common.length} of 300 terms in common`);
      continue;
    }
    assert.deepEqual(ours.terms, ref.terms);
    assert.ok(ours.terms.length > 1000, `${ours.terms.length} terms`);
    const dim = ours.terms.length;
    let maxErr = 0;
    ref.x.forEach((row, i) => row.forEach((v, j) => (maxErr = Math.max(maxErr, Math.abs(v - ours.x[i * dim + j]!)))));
    assert.ok(maxErr < 1e-6, `max |ours − sklearn| = ${maxErr}`);
  }
});
