/**
 * Shared support for the backend tests: the wasm backend (with Transfer Lab's kernels) next to the
 * pure-JS cpu backend as an independent reference, seeded random data, and error measurement.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../../src/core/backend/index.js';

/** Values and shape of a tensor read back from a backend. */
export interface Readout {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tf.DataType;
}

/** Initialises wasm + our kernels (via the product entry point) and makes the cpu backend available. */
export async function setUpBackends(): Promise<void> {
  await initBackend('wasm');
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
  await tf.setBackend('wasm');
}

/** Runs `build` on backend `name` inside a tidy and reads the result back. */
export async function runOn(name: 'cpu' | 'wasm', build: () => tf.Tensor): Promise<Readout> {
  await tf.setBackend(name);
  const out = tf.tidy(build);
  try {
    return { values: (await out.data()) as Readout['values'], shape: out.shape.slice(), dtype: out.dtype };
  } finally {
    out.dispose();
  }
}

/** Seeded uniform values in [-1, 1) (mulberry32), reproducible across runs. */
export function random(shape: readonly number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Seeded integer in [lo, hi]. */
export function randomInt(lo: number, hi: number, seed: number): number {
  return lo + Math.floor(((random([1], seed)[0]! + 1) / 2) * (hi - lo + 1));
}

/**
 * Largest |got - ref| and largest finite |ref|. Equal non-finite values (NaN and NaN, Infinity and
 * Infinity) count as no error; a non-finite value against anything else as an infinite one.
 */
export function maxAbsError(got: Readout, ref: Readout): { err: number; scale: number } {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < ref.values.length; i++) {
    const g = Number(got.values[i]);
    const r = Number(ref.values[i]);
    const d = Object.is(g, r) ? 0 : Math.abs(g - r);
    err = Math.max(err, Number.isNaN(d) ? Infinity : d);
    if (Number.isFinite(r)) scale = Math.max(scale, Math.abs(r));
  }
  return { err, scale };
}

/** Tracks the worst error seen per kernel, for the test's diagnostics and the report. */
export class ErrorLog {
  private readonly worst = new Map<string, { err: number; scale: number; label: string; cases: number }>();

  /** Records one comparison. */
  add(kernel: string, label: string, e: { err: number; scale: number }): void {
    const w = this.worst.get(kernel);
    if (w === undefined) this.worst.set(kernel, { ...e, label, cases: 1 });
    else {
      w.cases++;
      if (e.err > w.err) Object.assign(w, e, { label });
    }
  }

  /** One line per kernel: cases compared, worst absolute error, reference scale, worst case. */
  lines(): string[] {
    return [...this.worst].map(([k, w]) => `${k}: ${w.cases} cases, max abs err ${w.err.toExponential(2)} (max |ref| ${w.scale.toFixed(2)}) at ${w.label}`);
  }
}

/**
 * Runs `build` on cpu and on wasm, checks shapes and dtypes agree and that the maximal absolute
 * difference is at most `rel` × max(|ref|, 1). Returns the measured error.
 */
export async function expectSameOnBothBackends(build: () => tf.Tensor, label: string, rel = 1e-4): Promise<{ err: number; scale: number }> {
  const ref = await runOn('cpu', build);
  const got = await runOn('wasm', build);
  if (got.shape.join() !== ref.shape.join()) {
    throw new Error(`${label}: wasm shape [${got.shape}] differs from cpu [${ref.shape}]`);
  }
  if (got.dtype !== ref.dtype) throw new Error(`${label}: wasm dtype ${got.dtype}, cpu ${ref.dtype}`);
  const e = maxAbsError(got, ref);
  if (!(e.err <= rel * Math.max(e.scale, 1))) {
    throw new Error(`${label}: max abs err ${e.err} exceeds ${rel} × max(|ref| = ${e.scale}, 1)`);
  }
  return e;
}

/** Runs the registered kernel `name` of the current backend through the engine (as ops do). */
export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel<tf.Tensor>(name, inputs, attrs as tf.NamedAttrMap);
}
