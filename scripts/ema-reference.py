#!/usr/bin/env python3
"""Reference values for webview/panel/chart/smoothing.ts (TensorBoard's debiased EMA), computed in
closed form with NumPy: smoothed[t] = sum_i w^(t-i) v_i / sum_i w^(t-i) over the finite points up to t
(gaps stay gaps). Writes test/fixtures/charts/ema-reference.json.
Run: python3 scripts/ema-reference.py"""
import json
import os

import numpy as np

rng = np.random.default_rng(16)
steps = np.arange(300)
loss = 2.3 * np.exp(-steps / 80.0) + 0.1 + rng.normal(0, 0.15, size=steps.size) * np.exp(-steps / 200.0)
values = [float(v) for v in loss]
values[40] = None  # a gap (a step whose loss was not logged)
values[41] = None
cases = []
for w in [0.0, 0.6, 0.9, 0.99]:
    finite = [(i, v) for i, v in enumerate(values) if v is not None]
    idx = np.array([i for i, _ in finite])
    vals = np.array([v for _, v in finite])
    out = [None] * len(values)
    for k in range(len(finite)):
        weights = np.power(w, np.arange(k, -1, -1, dtype=np.float64)) if w > 0 else np.eye(1, k + 1, k)[0]
        out[idx[k]] = float(np.dot(weights, vals[: k + 1]) / weights.sum())
    cases.append({"weight": w, "smoothed": out})
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "charts", "ema-reference.json")
with open(path, "w") as f:
    json.dump({"source": "scripts/ema-reference.py (NumPy %s, closed form)" % np.__version__, "values": values, "cases": cases}, f)
print("wrote", path)
