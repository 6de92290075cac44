// Per-variable optimizers against tfjs's own optimizers (an independent implementation) and against
// a plain float64 reference, with rates that change every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { PerVariableOptimizer, type OptimizerConfig } from '../../../src/core/training/optimizers.js';
import { initBackend } from '../../../src/core/backend/index.js';

const CONFIG: OptimizerConfig = { type: 'sgd', momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, rho: 0.9 };

function gradsFor(step: number, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.7 * step) + 0.1 * step);
}

async function ours(cfg: OptimizerConfig, lr: number, steps: number): Promise<Float32Array> {
  const v = tf.variable(tf.tensor([0.5, -1, 2, 0.25]), true, `w_${cfg.type}_${Math.random()}`);
  const opt = new PerVariableOptimizer(cfg);
  for (let s = 0; s < steps; s++) {
    const g = tf.tensor(gradsFor(s, [4]));
    opt.apply({ [v.name]: g }, new Map([[v.name, v]]), () => lr);
    g.dispose();
  }
  const out = v.dataSync() as Float32Array;
  opt.dispose();
  v.dispose();
  return Float32Array.from(out);
}

async function theirs(make: () => tf.Optimizer, steps: number): Promise<Float32Array> {
  const v = tf.variable(tf.tensor([0.5, -1, 2, 0.25]), true, `t_${Math.random()}`);
  const opt = make();
  for (let s = 0; s < steps; s++) {
    const g = tf.tensor(gradsFor(s, [4]));
    opt.applyGradients({ [v.name]: g });
    g.dispose();
  }
  const out = Float32Array.from(v.dataSync() as Float32Array);
  opt.dispose();
  v.dispose();
  return out;
}

function close(a: Float32Array, b: Float32Array, tol: number, what: string) {
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `${what}[${i}]: ${x} vs ${b[i]}`));
}

test('constant-rate updates equal tfjs sgd, momentum, adam and rmsprop', async () => {
  await tf.setBackend('cpu');
  const lr = 0.05;
  close(await ours({ ...CONFIG, type: 'sgd' }, lr, 20), await theirs(() => tf.train.sgd(lr), 20), 1e-6, 'sgd');
  close(await ours({ ...CONFIG, type: 'momentum' }, lr, 20), await theirs(() => tf.train.momentum(lr, 0.9), 20), 1e-6, 'momentum');
  close(await ours({ ...CONFIG, type: 'momentum', nesterov: true }, lr, 20), await theirs(() => tf.train.momentum(lr, 0.9, true), 20), 1e-6, 'nesterov');
  close(await ours({ ...CONFIG, type: 'adam' }, lr, 20), await theirs(() => tf.train.adam(lr, 0.9, 0.999, 1e-7), 20), 1e-5, 'adam');
  close(await ours({ ...CONFIG, type: 'rmsprop', momentum: 0.5 }, lr, 20), await theirs(() => tf.train.rmsprop(lr, 0.9, 0.5, 1e-7), 20), 1e-5, 'rmsprop');
});

async function changingRates(backend: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(backend);
  const cfg: OptimizerConfig = { ...CONFIG, type: 'adam' };
  const a = tf.variable(tf.tensor([1, 2]), true, 'opt_a');
  const b = tf.variable(tf.tensor([3]), true, 'opt_b');
  const opt = new PerVariableOptimizer(cfg);
  const rate = (s: number) => 0.01 * (1 + s);
  // reference state
  const ref = { a: { w: [1, 2], m: [0, 0], v: [0, 0], t: 0 }, b: { w: [3], m: [0], v: [0], t: 0 } };
  const refStep = (st: typeof ref.a, g: number[], lr: number) => {
    st.t++;
    st.w = st.w.map((w, i) => {
      st.m[i] = 0.9 * st.m[i]! + 0.1 * g[i]!;
      st.v[i] = 0.999 * st.v[i]! + 0.001 * g[i]! * g[i]!;
      const mh = st.m[i]! / (1 - 0.9 ** st.t);
      const vh = st.v[i]! / (1 - 0.999 ** st.t);
      return w - (lr * mh) / (Math.sqrt(vh) + 1e-7);
    });
  };
  for (let s = 0; s < 8; s++) {
    const ga = [Math.cos(s), 0.5 - s * 0.1];
    const gb = [Math.sin(s) * 2];
    const grads: tf.NamedTensorMap = { opt_a: tf.tensor(ga) };
    if (s >= 3) grads.opt_b = tf.tensor(gb); // b joins at step 3 (a layer unfrozen in a later stage)
    opt.apply(
      grads,
      new Map([
        ['opt_a', a],
        ['opt_b', b],
      ]),
      (name) => (name === 'opt_a' ? rate(s) : 2 * rate(s)),
    );
    tf.dispose(Object.values(grads));
    refStep(ref.a, ga, rate(s));
    if (s >= 3) refStep(ref.b, gb, 2 * rate(s));
  }
  close(Float32Array.from(a.dataSync()), Float32Array.from(ref.a.w), 1e-5, 'a');
  close(Float32Array.from(b.dataSync()), Float32Array.from(ref.b.w), 1e-5, 'b');
  const before = tf.memory().numTensors;
  opt.dispose();
  assert.equal(tf.memory().numTensors, before - 4, 'dispose frees both variables’ two slots');
  a.dispose();
  b.dispose();
}

test('changing rates and adding a variable later keep each variable’s state (float64 reference)', async () => {
  await changingRates('cpu');
});

test('on wasm (Adam as one loop over the heap) the same float64 reference holds, and tfjs adam on cpu is matched', async () => {
  await initBackend('wasm');
  await changingRates('wasm');
  await tf.setBackend('wasm');
  const lr = 0.05;
  const got = await ours({ ...CONFIG, type: 'adam' }, lr, 20);
  await tf.setBackend('cpu');
  close(got, await theirs(() => tf.train.adam(lr, 0.9, 0.999, 1e-7), 20), 1e-5, 'adam on wasm vs tfjs adam on cpu');
  // A larger variable, gradients of both signs and scales: the heap loop against the op form on cpu.
  const shape = [3, 5, 7];
  const run = async (backend: 'cpu' | 'wasm') => {
    await tf.setBackend(backend);
    const v = tf.variable(tf.tensor(gradsFor(99, shape), shape), true, `big_${backend}_${Math.random()}`);
    const opt = new PerVariableOptimizer({ ...CONFIG, type: 'adam' });
    for (let s = 0; s < 12; s++) {
      const g = tf.tensor(
        gradsFor(s, shape).map((x, i) => x * (i % 3 === 0 ? 1e-3 : 10)),
        shape,
      );
      opt.apply({ [v.name]: g }, new Map([[v.name, v]]), () => 0.01 * (s + 1));
      g.dispose();
    }
    const out = Float32Array.from(v.dataSync() as Float32Array);
    opt.dispose();
    v.dispose();
    return out;
  };
  close(await run('wasm'), await run('cpu'), 1e-5, 'adam [3,5,7] wasm vs cpu');
});
