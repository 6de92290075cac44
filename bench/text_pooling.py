#!/usr/bin/python3
"""Frozen-GloVe pooling probe of `npx tsx bench/text-pooling.ts` (a figure, not a test).

Reads a folder of draws written by text-pooling.ts ({name}-{seed}.json: token ids and labels of the
train/validation/test documents, emb.f32: the embedding matrix [rows, 100] of the base, row 0 padding,
row 1 OOV, rows 2.. the words in frequency order) and, for each pooling, fits an L2 logistic
regression on standardised pooled features, C chosen on validation from 0.01 … 100. Poolings:
- mean: mean of the token vectors (padding left out) — the product's `mean` encoder;
- meanMax: mean and element-wise max concatenated — the product's `meanMax` encoder;
- sif: the smooth-inverse-frequency weighted mean of Arora, Liang & Ma, "A Simple but Tough-to-Beat
  Baseline for Sentence Embeddings", ICLR 2017: weight a / (a + p(w)), a = 1e-3; p(w) from the word's
  frequency rank by Zipf's law, p = 1 / (rank · H), H = ln(V) + 0.5772 (the package has no counts);
- sif+pc: the same, minus the projection on the first singular vector of the training documents'
  vectors ("common component removal", ibid.).
Prints validation (the only thing that may choose) and test accuracy, mean over draws.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

folder, names = sys.argv[1], sys.argv[2:]
E = np.fromfile(f"{folder}/emb.f32", dtype=np.float32).reshape(-1, 100)
V = E.shape[0]
H = np.log(V) + 0.5772
p = np.zeros(V)
p[2:] = 1.0 / (np.arange(1, V - 1) * H)
p[1] = 1.0 / (V * H)  # OOV: rarer than any kept word


def pool(ids, how, a=1e-3):
    ids = np.asarray(ids)
    m = ids != 0
    X = E[ids]
    if how.startswith("sif"):
        X = X * (a / (a + p[ids]))[..., None]
    mean = (X * m[..., None]).sum(1) / np.maximum(m.sum(1, keepdims=True), 1)
    if how != "meanMax":
        return mean
    mx = np.where(m[..., None], X, -1e9).max(1)
    mx[m.sum(1) == 0] = 0
    return np.concatenate([mean, mx], 1)


for name in names:
    for how in ("mean", "meanMax", "sif", "sif+pc"):
        vals, tests = [], []
        for seed in (1, 2, 3):
            d = json.load(open(f"{folder}/{name}-{seed}.json"))
            X = {k: pool(d[k]["ids"], how) for k in d}
            y = {k: np.array(d[k]["labels"]) for k in d}
            if how == "sif+pc":
                u = np.linalg.svd(X["train"], full_matrices=False)[2][0]
                X = {k: v - np.outer(v @ u, u) for k, v in X.items()}
            s = StandardScaler().fit(X["train"])
            X = {k: s.transform(v) for k, v in X.items()}
            best = None
            for C in (0.01, 0.03, 0.1, 0.3, 1, 3, 10, 100):
                clf = LogisticRegression(C=C, max_iter=3000).fit(X["train"], y["train"])
                v = clf.score(X["validation"], y["validation"])
                if best is None or v > best[0]:
                    best = (v, clf)
            vals.append(best[0])
            tests.append(best[1].score(X["test"], y["test"]))
        print(f"{name:12s} {how:8s} validation {100 * np.mean(vals):.1f}  test {100 * np.mean(tests):.1f} ± {100 * np.std(tests, ddof=1):.1f}", flush=True)
