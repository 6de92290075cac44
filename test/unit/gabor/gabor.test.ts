// Gabor kernels against the closed form evaluated independently in float64, the bank's order and
// normalisation, the `gabor` base's convolution against a direct float64 cross-correlation, its
// topology against the tfjs model, and the filter match (an exact Gabor is found with r = 1).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { gaborBank, gaborKernel, type GaborParams } from '../../../src/core/gabor/kernel.js';
import { buildGaborBase, gaborConvKernel } from '../../../src/core/gabor/base.js';
import { gaborTopology } from '../../../src/core/gabor/topology.js';
import { bestMatch, channelAveraged, defaultGrid, matchFilters, pearson, searchBank } from '../../../src/core/gabor/match.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ResolvedGaborBase } from '../../../src/core/experiment/types.js';
import { Rng } from '../../../src/core/data/rng.js';

before(async () => {
  await initBackend('wasm');
});

/**
 * The closed form written another way: rotate (x, y) by −θ as a complex number, z = (x + iy)·e^{−iθ},
 * so x′ = Re z and y′ = Im z; the carrier is Re e^{i(2πx′/λ + ψ)}.
 */
function reference(x: number, y: number, p: GaborParams): number {
  const re = x * Math.cos(-p.theta) - y * Math.sin(-p.theta);
  const im = x * Math.sin(-p.theta) + y * Math.cos(-p.theta);
  const envelope = Math.exp(-(re ** 2 + (p.gamma * im) ** 2) / (2 * p.sigma ** 2));
  const phase = (2 * Math.PI * re) / p.lambda + p.psi;
  return envelope * Math.cos(phase);
}

test('gaborKernel equals the closed form at every pixel (float64)', () => {
  const params: GaborParams[] = [
    { lambda: 4, theta: 0, psi: 0, sigma: 2.24, gamma: 0.5 },
    { lambda: 6.5, theta: Math.PI / 3, psi: Math.PI / 2, sigma: 3, gamma: 1 },
    { lambda: 3, theta: (7 * Math.PI) / 8, psi: Math.PI, sigma: 1.2, gamma: 0.3 },
  ];
  for (const p of params) {
    for (const size of [7, 8, 11]) {
      const k = gaborKernel(size, p);
      const c = (size - 1) / 2;
      for (let r = 0; r < size; r++)
        for (let q = 0; q < size; q++) assert.ok(Math.abs(k[r * size + q]! - reference(q - c, r - c, p)) < 1e-14, `size ${size} at ${r},${q}`);
    }
  }
  // Known values: the centre of an even kernel (ψ = 0) is 1, and shifting ψ by π negates the kernel.
  assert.equal(gaborKernel(5, params[0]!)[12], 1);
  const a = gaborKernel(9, params[1]!);
  const b = gaborKernel(9, { ...params[1]!, psi: params[1]!.psi + Math.PI });
  a.forEach((v, i) => assert.ok(Math.abs(v + b[i]!) < 1e-12));
  assert.throws(() => gaborKernel(5, { ...params[0]!, sigma: 0 }), RangeError);
});

test('the bank: scale, orientation, phase order; every kernel zero-mean with unit norm', () => {
  const spec = { size: 9, orientations: 4, wavelengths: [3, 6], sigmas: [1.7, 3.4], gamma: 0.5, phases: [0, 90] };
  const bank = gaborBank(spec);
  assert.equal(bank.length, 2 * 4 * 2);
  const f = bank[(1 * 4 + 3) * 2 + 1]!; // scale 1, orientation 3, phase 1
  assert.equal(f.params.lambda, 6);
  assert.ok(Math.abs(f.params.theta - (3 * Math.PI) / 4) < 1e-15);
  assert.ok(Math.abs(f.params.psi - Math.PI / 2) < 1e-15);
  for (const { kernel } of bank) {
    const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
    const norm = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0));
    assert.ok(Math.abs(mean) < 1e-14 && Math.abs(norm - 1) < 1e-12);
  }
  // The normalised kernel is the closed form up to an offset and a scale: r = 1 with the raw kernel.
  const raw = gaborKernel(9, f.params);
  assert.ok(Math.abs(pearson(raw, f.kernel) - 1) < 1e-12);
});

const BASE: ResolvedGaborBase = {
  kind: 'gabor',
  size: 5,
  orientations: 2,
  wavelengths: [3],
  sigmas: [1.68],
  gamma: 0.5,
  phases: [0, 90, 180],
  pool: 2,
  inputShape: [8, 8, 2],
};

test("the gabor base's convolution is the bank as a cross-correlation with 'same' zero padding", () => {
  const model = buildGaborBase(BASE, 1, [8, 8, 2]);
  const rng = new Rng(5);
  const img = Float32Array.from({ length: 8 * 8 * 2 }, () => rng.next());
  const conv = tf.model({ inputs: model.inputs, outputs: model.getLayer('gabor').output as tf.SymbolicTensor });
  const got = (conv.predict(tf.tensor4d(img, [1, 8, 8, 2])) as tf.Tensor).dataSync();
  const bank = gaborBank(BASE);
  const half = 2;
  for (let j = 0; j < bank.length; j++) {
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        let s = 0; // float64 cross-correlation, each channel weighted 1/channels
        for (let r = 0; r < 5; r++) {
          for (let q = 0; q < 5; q++) {
            const yy = y + r - half;
            const xx = x + q - half;
            if (yy < 0 || yy >= 8 || xx < 0 || xx >= 8) continue;
            for (let c = 0; c < 2; c++) s += (bank[j]!.kernel[r * 5 + q]! / 2) * img[(yy * 8 + xx) * 2 + c]!;
          }
        }
        assert.ok(Math.abs(got[(y * 8 + x) * bank.length + j]! - s) < 1e-5, `filter ${j} at ${y},${x}: ${got[(y * 8 + x) * bank.length + j]} vs ${s}`);
      }
    }
  }
  const { values, filters } = gaborConvKernel(BASE, 2);
  assert.equal(filters, 6);
  assert.equal(values.length, 5 * 5 * 2 * 6);
  model.dispose();
});

test('the static topology matches the tfjs model (names, classes, shapes, parameters)', () => {
  const model = buildGaborBase(BASE, 1, [8, 8, 2]);
  const topo = gaborTopology(BASE);
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  assert.deepEqual(
    topo.map((l) => l.name),
    layers.map((l) => l.name),
  );
  assert.deepEqual(
    topo.map((l) => l.className),
    layers.map((l) => l.getClassName()),
  );
  assert.deepEqual(
    topo.map((l) => l.outputShape),
    layers.map((l) => l.outputShape),
  );
  assert.deepEqual(
    topo.map((l) => l.params),
    layers.map((l) => l.countParams()),
  );
  model.dispose();
});

test('a gabor base resolves σ = 0.56·λ (one-octave bandwidth) when sigmas are absent', () => {
  const exp = resolveExperiment({ base: { kind: 'gabor', wavelengths: [4, 10] }, data: { train: { kind: 'mnist' } } }, '/tmp/g.transfer.json');
  assert.equal(exp.base.kind, 'gabor');
  const b = exp.base as ResolvedGaborBase;
  // (1/π)·sqrt(ln 2 / 2)·(2 + 1)/(2 − 1) = 0.5622…
  const ratio = (1 / Math.PI) * Math.sqrt(Math.log(2) / 2) * 3;
  assert.ok(Math.abs(ratio - 0.5622) < 1e-4);
  assert.deepEqual(
    b.sigmas.map((s) => +s.toFixed(6)),
    [4 * ratio, 10 * ratio].map((s) => +s.toFixed(6)),
  );
  assert.deepEqual([b.size, b.orientations, b.gamma, b.pool, b.phases], [11, 8, 0.5, 4, [0, 90, 180, 270]]);
});

test('filter match: a kernel from the search grid is found with r = 1; a negated one by its opposite phase', () => {
  const grid = defaultGrid(7);
  const bank = searchBank(7, grid);
  const target = bank[123]!;
  const scaled = Array.from(target.kernel, (v) => 3 * v + 0.7); // r ignores offset and scale
  const m = bestMatch(scaled, bank);
  assert.ok(Math.abs(m.correlation - 1) < 1e-12);
  assert.ok(pearson(bank[m.index]!.kernel, target.kernel) > 1 - 1e-12);
  const neg = bestMatch(
    Array.from(target.kernel, (v) => -v),
    bank,
  );
  assert.ok(Math.abs(neg.correlation - 1) < 1e-9, 'phase ψ + 180° is in the grid');
  // channelAveraged reads the tfjs [kh, kw, cin, cout] layout.
  const k = new Float32Array(2 * 2 * 3 * 2).map((_, i) => i);
  const avg = channelAveraged(k, 2, 2, 3, 2);
  assert.deepEqual(Array.from(avg[1]!), [(1 + 3 + 5) / 3, (7 + 9 + 11) / 3, (13 + 15 + 17) / 3, (19 + 21 + 23) / 3]);
  // A layer made of grid kernels matches perfectly; random kernels set the chance level below it.
  const layer = new Float32Array(7 * 7 * 1 * 3);
  [5, 400, 1000].forEach((b, o) => bank[b]!.kernel.forEach((v, p) => (layer[p * 3 + o] = v)));
  const file = matchFilters({ experiment: 'x', baseSource: 'y', layer: 'conv', className: 'Conv2D', kernel: layer, shape: [7, 7, 1, 3] }, 50);
  assert.ok(file.filters.every((f) => f.correlation > 1 - 1e-6));
  assert.ok(file.chance.meanCorrelation < 0.9, `chance ${file.chance.meanCorrelation}`);
});
