// Unsupervised text transfer on real text: five Brown-corpus genres → pooled GloVe document vectors →
// PCA → k-means, beside the same PCA and k on TF-IDF vectors. Checked independently with Debian's
// python3-sklearn: NMI/ARI of the written assignments, and the whole pipeline (mean of the GloVe rows
// read from the shipped file with NumPy; TfidfVectorizer; PCA; KMeans) scoring the genres alike.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSource } from '../../../src/core/data/index.js';
import type { ClustersFile, EmbeddingFile } from '../../../src/core/runs/artifacts.js';
import { runTask } from '../../../src/core/tasks/run-task.js';
import { documentTexts, vocabularyOf } from '../../../src/core/text/encode.js';
import { tokenize } from '../../../src/core/text/tokenizer.js';
import { loadShippedVectors, shippedVectorsPath } from '../../../src/core/text/vectors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-text-unsup-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const GENRES = ['news', 'government', 'learned', 'fiction', 'romance'];

const SKLEARN = `
import json, sys
import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score as ari, normalized_mutual_info_score as nmi
d = json.load(sys.stdin)
y = d["label"]
out = {"nmi": nmi(y, d["cluster"]), "ari": ari(y, d["cluster"]), "rawNmi": nmi(y, d["rawCluster"]), "rawAri": ari(y, d["rawCluster"])}
# the shipped vectors: magic(8) u32 n, dim, wordLen; words; pad; f32 scales[n]; i8 values[n, dim]
buf = open(d["vectors"], "rb").read()
n, dim, wl = np.frombuffer(buf, "<u4", 3, 8)
words = buf[20:20 + wl].decode("utf8").split("\\n")
at = 20 + wl + (-wl % 4)
scales = np.frombuffer(buf, "<f4", n, at)
vals = np.frombuffer(buf, "i1", n * dim, at + 4 * n).reshape(n, dim).astype(np.float64) * (scales[:, None].astype(np.float64) / 127)
index = {w: i for i, w in enumerate(words)}
oov = vals.mean(0)
docs = np.array([np.mean([vals[index[t]] if t in index else oov for t in toks[: d["maxLength"]]], 0) for toks in d["tokens"]])
def score(x):
    z = PCA(20, random_state=0).fit_transform(x)
    return nmi(y, KMeans(5, n_init=20, random_state=0).fit_predict(z))
tfidf = TfidfVectorizer(analyzer=lambda t: t, min_df=2, max_features=5000).fit_transform(d["allTokens"]).toarray()
out["pipelineNmi"] = score(docs)
out["pipelineRawNmi"] = score(tfidf)
print(json.dumps(out))
`;

test('unsupervised text: Brown genres clustered from pooled GloVe vectors and from TF-IDF, scores as scikit-learn computes them', async () => {
  const file = path.join(dir, 'brown-unsup.transfer.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      base: { kind: 'wordVectors', vectors: 'glove-100d', encoder: 'mean' },
      data: { train: { kind: 'brownCorpus', classes: GENRES }, text: { maxLength: 2000 } },
      transfer: { kind: 'unsupervised', unsupervised: { components: 20, clusters: 5 } },
      training: { seed: 42 },
    }),
  );
  const s = await runTask('train', { experimentFile: file, runsDir: path.join(dir, 'runs'), backend: 'wasm' });
  assert.equal(s.status, 'completed', s.error);
  const runDir = path.join(dir, 'runs', 'brown-unsup', s.runId);
  const c = JSON.parse(fs.readFileSync(path.join(runDir, 'clusters.json'), 'utf8')) as ClustersFile;
  const e = JSON.parse(fs.readFileSync(path.join(runDir, 'embedding.json'), 'utf8')) as EmbeddingFile;
  assert.equal(c.examples, 212);
  assert.equal(c.features.input, 'features');
  assert.equal(c.features.dim, 100);
  assert.equal(c.raw?.input, 'tfidf');
  assert.ok(c.raw.dim === 5000, `TF-IDF terms: ${c.raw.dim}`);
  assert.ok(
    s.results?.some((r) => r.name === 'NMI TF-IDF'),
    JSON.stringify(s.results),
  );

  // The same documents, tokenized as the run did (vocabulary membership only keeps hyphenated words whole).
  const vectors = loadShippedVectors();
  const has = new Set(vectors.words);
  const src = await loadSource(
    { kind: 'brownCorpus', classes: GENRES },
    { role: 'train', image: { channels: 1, resize: 'cover', scale: 'unit' }, text: { vocabulary: vocabularyOf(vectors.words), maxLength: 2000 } },
  );
  const text = documentTexts(src.set)!;
  const byId = new Map(Array.from({ length: src.set.count }, (_, i) => [src.set.id(i), text(i)]));
  const texts = e.ids.map((id) => byId.get(id)!);
  const input = {
    label: e.label,
    cluster: e.cluster,
    rawCluster: e.rawCluster,
    vectors: shippedVectorsPath(),
    maxLength: 2000,
    tokens: texts.map((t) => tokenize(t, (w) => has.has(w))),
    allTokens: texts.map((t) => tokenize(t)),
  };
  const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', SKLEARN], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<
    string,
    number
  >;
  const close = (a: number | undefined, b: number, tol: number, what: string) =>
    assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${what}: ours ${a}, sklearn ${b}`);
  close(c.features.scores.nmi, ref.nmi!, 1e-9, 'NMI of the feature clusters');
  close(c.features.scores.ari, ref.ari!, 1e-9, 'ARI of the feature clusters');
  close(c.raw.scores.nmi, ref.rawNmi!, 1e-9, 'NMI of the TF-IDF clusters');
  close(c.raw.scores.ari, ref.rawAri!, 1e-9, 'ARI of the TF-IDF clusters');
  // k-means finds local optima: the independent pipeline lands near, not on, the same clustering.
  close(c.features.scores.nmi, ref.pipelineNmi!, 0.1, 'NMI, pooled GloVe pipeline');
  close(c.raw.scores.nmi, ref.pipelineRawNmi!, 0.1, 'NMI, TF-IDF pipeline');
  console.log(
    `NMI/ARI pooled GloVe ${c.features.scores.nmi?.toFixed(3)}/${c.features.scores.ari?.toFixed(3)}, TF-IDF ${c.raw.scores.nmi?.toFixed(3)}/${c.raw.scores.ari?.toFixed(3)}; sklearn pipeline NMI ${ref.pipelineNmi?.toFixed(3)} / ${ref.pipelineRawNmi?.toFixed(3)}`,
  );
});
