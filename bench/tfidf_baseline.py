#!/usr/bin/python3
"""TF-IDF + logistic regression, the classic text baseline of `npm run bench:text`.

Reads {"train": [[text, label], ...], "validation": [...], "test": [...]} as JSON on stdin and prints
{"C": chosen, "valAccuracy": ..., "testAccuracy": ...}. scikit-learn's TfidfVectorizer (its own
tokenizer, lower case, unigrams and bigrams, sublinear tf) fitted on the training documents; C of the
L2-regularised LogisticRegression chosen on validation accuracy from 0.1, 1, 10, 100 (ties: smaller C).
Run with Debian's python3-sklearn: /usr/bin/python3 bench/tfidf_baseline.py < draw.json
"""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

d = json.load(sys.stdin)
split = {k: ([t for t, _ in d[k]], [y for _, y in d[k]]) for k in ("train", "validation", "test")}
vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
xtr = vec.fit_transform(split["train"][0])
best = None
for c in (0.1, 1.0, 10.0, 100.0):
    clf = LogisticRegression(C=c, max_iter=2000).fit(xtr, split["train"][1])
    val = clf.score(vec.transform(split["validation"][0]), split["validation"][1])
    if best is None or val > best[1]:
        best = (c, val, clf)
c, val, clf = best
print(json.dumps({"C": c, "valAccuracy": val, "testAccuracy": clf.score(vec.transform(split["test"][0]), split["test"][1])}))
