"""PyTorch reference of one Transfer Lab benchmark case.

Reads the spec written by bench/export-for-torch.ts (the product's examples, layers, initial
weights, frozen layers, per-layer rate multipliers, optimizer and batch size), builds the same
network in PyTorch (NCHW; weights converted from the tfjs NHWC layouts; TensorFlow's asymmetric
'same' padding reproduced with an explicit pad where needed) and trains it the way PyTorch's
transfer-learning tutorial does: every batch goes through the whole model, frozen layers included
(requires_grad=False, frozen BatchNorm in eval mode), then validation every epoch, then one timed
pass over the test set (inference).

Usage: /usr/bin/python3 bench/torch_reference.py SPEC.json --threads N [--target ACC]
Set OMP_NUM_THREADS and OPENBLAS_NUM_THREADS to N before starting (the bench does).
Prints one line: RESULT {json}. Times in seconds, memory in bytes.
"""
import argparse
import json
import os
import re
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def blas_in_use():
    """Which BLAS library torch loaded (threadpoolctl, else the process's mapped libraries)."""
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info.get('user_api') == 'blas':
                return '%s %s (%s, %s)' % (info.get('internal_api'), info.get('version') or '', info.get('threading_layer', ''), info.get('filepath'))
    except Exception:  # noqa: BLE001 - fall back to the memory map
        pass
    with open('/proc/self/maps') as f:
        libs = sorted({line.split()[-1] for line in f if re.search(r'blas|mkl', line)})
    return ', '.join(libs) or 'unknown'


def load_arrays(spec_file):
    spec = json.load(open(spec_file))
    raw = open(spec_file[: -len('.json')] + '.bin', 'rb').read()

    def arr(ref):
        dtype = np.float32 if ref['dtype'] == 'float32' else np.int32
        count = int(np.prod(ref['shape'])) if ref['shape'] else 1
        return np.frombuffer(raw, dtype=dtype, count=count, offset=ref['offset']).reshape(ref['shape'])

    return spec, arr


def tf_same_padding(size, k, s):
    """TensorFlow 'same' padding (before, after) of one spatial dimension."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def conv_padding(in_shape, kernel, strides, padding):
    """(module before the conv or None, padding argument of the conv)."""
    if padding == 'valid':
        return None, 0
    (top, bottom), (left, right) = (tf_same_padding(in_shape[0], kernel[0], strides[0]),
                                    tf_same_padding(in_shape[1], kernel[1], strides[1]))
    if top == bottom and left == right:
        return None, (top, left)
    return nn.ZeroPad2d((left, right, top, bottom)), 0


def activation(name):
    if name in (None, 'linear'):
        return None
    if name == 'relu':
        return nn.ReLU()
    if name == 'relu6':
        return nn.ReLU6()
    if name == 'tanh':
        return nn.Tanh()
    if name == 'gelu':
        return nn.GELU()
    raise ValueError('activation %s not supported' % name)


def with_bias_and_activation(module, c, w, arr):
    """`module` with the layer's bias (when it has one), followed by its activation (when not linear)."""
    if c['useBias']:
        module.bias.data = torch.from_numpy(arr(w['bias']).copy())
    act = activation(c.get('activation'))
    return [module] if act is None else [module, act]


def build(spec, arr):
    """nn.Sequential of the spec's layers with its initial weights, and the frozen modules."""
    mods, frozen, groups = [], [], {}
    flatten_shape = None
    for layer in spec['layers']:
        t, c, ins, w = layer['type'], layer['config'], layer['inputShape'], layer['weights']
        made = []
        if t in ('Conv2D', 'DepthwiseConv2D'):
            if any(d != 1 for d in c.get('dilationRate', [1, 1])):
                raise ValueError('dilated convolutions are not supported')
            kh, kw = c['kernelSize']
            pre, pad = conv_padding(ins, (kh, kw), c['strides'], c['padding'])
            if pre is not None:
                made.append(pre)
            cin = ins[2]
            if t == 'Conv2D':
                conv = nn.Conv2d(cin, c['filters'], (kh, kw), tuple(c['strides']), pad, bias=c['useBias'])
                conv.weight.data = torch.from_numpy(arr(w['kernel']).transpose(3, 2, 0, 1).copy())
            else:
                mult = c['depthMultiplier']
                conv = nn.Conv2d(cin, cin * mult, (kh, kw), tuple(c['strides']), pad, groups=cin, bias=c['useBias'])
                k = arr(w['depthwise_kernel']).reshape(kh, kw, cin * mult)
                conv.weight.data = torch.from_numpy(k.transpose(2, 0, 1)[:, None].copy())
            made.extend(with_bias_and_activation(conv, c, w, arr))
        elif t == 'MaxPooling2D':
            if c['padding'] != 'valid':
                raise ValueError('only valid max pooling is supported')
            made.append(nn.MaxPool2d(tuple(c['poolSize']), tuple(c['strides'])))
        elif t == 'Flatten':
            flatten_shape = ins
            made.append(nn.Flatten())
        elif t == 'Dense':
            lin = nn.Linear(ins[0], c['units'], bias=c['useBias'])
            k = arr(w['kernel'])
            if flatten_shape is not None:
                # tfjs flattens NHWC (h, w, c); torch flattens NCHW (c, h, w): permute the rows.
                h, ww, ch = flatten_shape
                k = k.reshape(h, ww, ch, -1).transpose(2, 0, 1, 3).reshape(h * ww * ch, -1)
                flatten_shape = None
            lin.weight.data = torch.from_numpy(k.T.copy())
            made.extend(with_bias_and_activation(lin, c, w, arr))
        elif t == 'BatchNormalization':
            ch = ins[-1]
            bn = (nn.BatchNorm2d if len(ins) == 3 else nn.BatchNorm1d)(ch, eps=c['epsilon'], momentum=1 - c['momentum'])
            bn.weight.data = torch.from_numpy(arr(w['gamma']).copy())
            bn.bias.data = torch.from_numpy(arr(w['beta']).copy())
            bn.running_mean.data = torch.from_numpy(arr(w['moving_mean']).copy())
            bn.running_var.data = torch.from_numpy(arr(w['moving_variance']).copy())
            made.append(bn)
        elif t == 'ReLU':
            mv = c.get('maxValue')
            made.append(nn.ReLU() if mv is None else nn.ReLU6() if mv == 6 else nn.Hardtanh(0, mv))
        elif t == 'GlobalAveragePooling2D':
            made += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        elif t == 'Dropout':
            made.append(nn.Dropout(c['rate']))
        else:
            raise ValueError('layer type %s not supported' % t)
        for m in made:
            if layer['frozen']:
                for p in m.parameters():
                    p.requires_grad_(False)
                frozen.append(m)
            else:
                groups.setdefault(layer['lrMultiplier'], []).extend(p for p in m.parameters())
        mods += made
    return nn.Sequential(*mods), frozen, groups


def to_torch_images(x):
    t = torch.from_numpy(np.array(x))  # a writable copy
    return t.permute(0, 3, 1, 2).contiguous() if t.dim() == 4 else t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('spec')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--target', type=float, default=None, help='validation accuracy whose first epoch is timed')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    spec, arr = load_arrays(a.spec)
    torch.manual_seed(spec['seed'])
    model, frozen, groups = build(spec, arr)
    d = spec['data']
    model.eval()
    with torch.no_grad():
        ours = torch.from_numpy(np.array(arr(d['checkLogits'])))
        check = (model(to_torch_images(arr(d['checkX']))) - ours).abs().max().item()
    opt_cfg = spec['optimizer']
    opt = torch.optim.Adam([{'params': ps, 'lr': opt_cfg['lr'] * m} for m, ps in groups.items() if ps],
                           lr=opt_cfg['lr'], betas=(opt_cfg['beta1'], opt_cfg['beta2']), eps=opt_cfg['epsilon'])
    x, y = to_torch_images(arr(d['trainX'])), torch.from_numpy(arr(d['trainY']).astype(np.int64))
    vx, vy = to_torch_images(arr(d['valX'])), torch.from_numpy(arr(d['valY']).astype(np.int64))
    n, b = x.shape[0], spec['batchSize']
    gen = torch.Generator().manual_seed(spec['seed'])

    def set_training():
        model.train()
        for m in frozen:
            m.eval()  # frozen BatchNorm keeps its statistics (the tutorial's model.train() would not)

    def evaluate(ex, ey, bs):
        model.eval()
        loss, hits = 0.0, 0
        with torch.no_grad():
            for i in range(0, ex.shape[0], bs):
                out = model(ex[i:i + bs])
                loss += F.cross_entropy(out, ey[i:i + bs], reduction='sum').item()
                hits += (out.argmax(1) == ey[i:i + bs]).sum().item()
        return loss / max(1, ex.shape[0]), hits / max(1, ex.shape[0])

    epochs, elapsed, cpu_elapsed, time_to_target, cpu_time_to_target = [], 0.0, 0.0, None, None
    for e in range(spec['epochs']):
        t0, c0 = time.perf_counter(), time.process_time()
        set_training()
        perm = torch.randperm(n, generator=gen)
        loss_sum, hits = 0.0, 0
        for k in range(0, n, b):
            idx = perm[k:k + b]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            hits += (out.argmax(1) == yb).sum().item()
        val_loss, val_acc = evaluate(vx, vy, spec['evalBatchSize'])
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        elapsed += seconds
        cpu_elapsed += cpu
        if time_to_target is None and a.target is not None and val_acc >= a.target:
            time_to_target, cpu_time_to_target = elapsed, cpu_elapsed
        epochs.append({'epoch': e, 'seconds': seconds, 'cpuSeconds': cpu, 'samplesPerSecond': n / seconds,
                       'trainLoss': loss_sum / n, 'trainAccuracy': hits / n, 'valLoss': val_loss, 'valAccuracy': val_acc,
                       'elapsed': elapsed})
    test = None
    if 'testX' in d:
        tx, ty = to_torch_images(arr(d['testX'])), torch.from_numpy(arr(d['testY']).astype(np.int64))
        t0, c0 = time.perf_counter(), time.process_time()
        test_loss, test_acc = evaluate(tx, ty, spec['testBatchSize'])
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        test = {'examples': int(tx.shape[0]), 'seconds': seconds, 'cpuSeconds': cpu, 'samplesPerSecond': tx.shape[0] / seconds,
                'loss': test_loss, 'accuracy': test_acc}
    print('RESULT ' + json.dumps({
        'framework': 'torch ' + torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_in_use(),
        'env': {k: os.environ.get(k) for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS')},
        'trainExamples': n,
        'initialLogitsMaxAbsDiff': check,
        'epochs': epochs,
        'timeToTarget': time_to_target,
        'cpuTimeToTarget': cpu_time_to_target,
        'test': test,
        'rssPeakBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == '__main__':
    sys.exit(main())
