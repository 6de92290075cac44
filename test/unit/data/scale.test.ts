// Pixel scaling against the formulas of Keras' `imagenet_utils.preprocess_input`, computed
// independently by NumPy on the same random bytes: "caffe" (RGB → BGR, minus [103.939, 116.779,
// 123.68]), "tf" (x / 127.5 − 1), "torch" (x / 255, minus mean [0.485, 0.456, 0.406], over std
// [0.229, 0.224, 0.225]); through PixelStore, the path every image batch takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { PixelStore } from '../../../src/core/data/example-set.js';
import type { PixelScale } from '../../../src/core/data/scale.js';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const NUMPY = `
import sys, json, numpy as np
x = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).astype(np.float32).reshape(-1, 3)
caffe = x[..., ::-1] - np.array([103.939, 116.779, 123.68], dtype=np.float32)
tf = x / 127.5 - 1.0
torch = (x / 255.0 - np.array([0.485, 0.456, 0.406], dtype=np.float32)) / np.array([0.229, 0.224, 0.225], dtype=np.float32)
print(json.dumps({"caffe": caffe.ravel().tolist(), "symmetric": tf.ravel().tolist(), "imagenet": torch.ravel().tolist()}))
`;

test('caffe, tf ("symmetric") and torch ("imagenet") scaling equal the Keras formulas computed by NumPy', () => {
  const h = 5;
  const w = 7;
  const pixels = new Uint8Array(2 * h * w * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 97 + 13) % 256;
  const r = spawnSync(PYTHON, ['-c', NUMPY], { input: Buffer.from(pixels), encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const want = JSON.parse(r.stdout) as Record<string, number[]>;
  for (const scale of ['caffe', 'symmetric', 'imagenet'] as PixelScale[]) {
    const store = new PixelStore({ pixels, count: 2, height: h, width: w, channels: 3, scale, id: String });
    const out = new Float32Array(pixels.length);
    store.write(0, out, 0);
    store.write(1, out, h * w * 3);
    let max = 0;
    for (let i = 0; i < out.length; i++) max = Math.max(max, Math.abs(out[i]! - want[scale]![i]!));
    assert.ok(max < 1e-4, `${scale}: max |difference| ${max}`);
  }
});

test('caffe on a grayscale image replicated to 3 channels: each channel minus its own BGR mean', () => {
  const pixels = new Uint8Array([0, 128, 255]);
  const store = new PixelStore({ pixels, count: 1, height: 1, width: 3, channels: 1, outChannels: 3, scale: 'caffe', id: String });
  const out = new Float32Array(9);
  store.write(0, out, 0);
  const mean = [103.939, 116.779, 123.68];
  assert.deepEqual(
    [...out].map((v) => Number(v.toFixed(3))),
    [0, 128, 255].flatMap((v) => mean.map((m) => Number((v - m).toFixed(3)))),
  );
});
