"""Writes test/fixtures/evaluation/sklearn-reference.json: confusion matrices, per-class precision,
recall, F1 and support, macro/weighted averages and top-k accuracy computed by scikit-learn on seeded
random logits, the independent reference that test/unit/evaluation/classification-metrics.test.ts
checks src/core/evaluation against. Run with Debian's python3-sklearn:
/usr/bin/python3 scripts/sklearn-classification-reference.py
"""
import json
import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, top_k_accuracy_score, log_loss

rng = np.random.default_rng(16)
cases = []
# (examples, classes, signal): signal makes logits favour the true class, so some classes are good
# and some confused; the 3-class case leaves class 2 never predicted (precision 0/0 -> 0).
for n, k, signal in [(40, 2, 1.0), (60, 3, 0.0), (200, 5, 1.5), (300, 10, 2.0)]:
    labels = rng.integers(0, k, n)
    logits = np.round(rng.normal(size=(n, k)), 3)
    logits[np.arange(n), labels] += signal
    if k == 3:
        logits[:, 2] -= 10  # never predicted
    z = logits
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    pred = probs.argmax(1)
    p, r, f, s = precision_recall_fscore_support(labels, pred, labels=list(range(k)), zero_division=0)
    avg = {}
    for a in ('macro', 'weighted'):
        ap, ar, af, _ = precision_recall_fscore_support(labels, pred, labels=list(range(k)), average=a, zero_division=0)
        avg[a] = {'precision': ap, 'recall': ar, 'f1': af}
    cases.append({
        'classes': k,
        'labels': labels.tolist(),
        'logits': logits.ravel().tolist(),
        'confusion': confusion_matrix(labels, pred, labels=list(range(k))).tolist(),
        'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist(),
        'macro': avg['macro'], 'weighted': avg['weighted'],
        'topK': [{'k': kk, 'accuracy': top_k_accuracy_score(labels, probs, k=kk, labels=list(range(k)))} for kk in (2, 3, 5) if kk < k],
        'logLoss': log_loss(labels, probs, labels=list(range(k))),
        'accuracy': float((pred == labels).mean()),
    })
with open('test/fixtures/evaluation/sklearn-reference.json', 'w') as fh:
    json.dump({'generator': 'scripts/sklearn-classification-reference.py', 'sklearn': __import__('sklearn').__version__, 'cases': cases}, fh)
    fh.write('\n')
