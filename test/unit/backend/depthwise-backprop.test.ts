/**
 * DepthwiseConv2dNativeBackpropFilter / BackpropInput (both missing on wasm) against the tfjs cpu
 * backend, on seeded random shapes: strides 1 and 2, same and valid padding, channel multiplier 1
 * and 2, batch 1 and 3, non-square. Dilation 2 (which the cpu kernels do not implement) is checked
 * through the adjoint identities <dwconv(x, W), dy> = <W, dW> = <x, dx>, with the forward
 * depthwise conv computed on cpu.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, random, randomInt, runKernel, runOn, setUpBackends } from './helpers.js';

interface Case {
  label: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: number;
  dilations: number;
  pad: 'same' | 'valid';
}

function cases(dilations: number): Case[] {
  const out: Case[] = [];
  let seed = 7 + dilations * 1000;
  for (const strides of dilations > 1 ? [1] : [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const batch of [1, 3]) {
        for (const multiplier of [1, 2]) {
          const k = randomInt(2, 4, seed++);
          const reach = (k - 1) * dilations + 1;
          const h = randomInt(Math.max(reach, 4), 10, seed++);
          let w = randomInt(Math.max(reach, 4), 10, seed++);
          if (w === h) w = h === 10 ? 9 : h + 1;
          const c = randomInt(1, 5, seed++);
          out.push({
            label: `s${strides} d${dilations} ${pad} x[${batch},${h},${w},${c}] f[${k},${k},${c},${multiplier}]`,
            xShape: [batch, h, w, c],
            filterShape: [k, k, c, multiplier],
            strides,
            dilations,
            pad,
          });
        }
      }
    }
  }
  if (dilations === 1) {
    out.push(
      { label: 's3 same x[2,11,9,3] f[2,2,3,2]', xShape: [2, 11, 9, 3], filterShape: [2, 2, 3, 2], strides: 3, dilations, pad: 'same' },
      { label: 's2 same x[2,9,10,2] f[5,5,2,1]', xShape: [2, 9, 10, 2], filterShape: [5, 5, 2, 1], strides: 2, dilations, pad: 'same' },
    );
  }
  return out;
}

function dyShape(c: Case): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.strides, c.dilations, c.pad, undefined, true);
  return info.outShape;
}

const log = new ErrorLog();
before(setUpBackends);

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu', async (t) => {
  for (const [i, c] of cases(1).entries()) {
    const x = random(c.xShape, 10 + i);
    const dy = random(dyShape(c), 20 + i);
    log.add(
      'DepthwiseConv2dNativeBackpropFilter',
      c.label,
      await expectSameOnBothBackends(
        () =>
          runKernel(
            tf.DepthwiseConv2dNativeBackpropFilter,
            { x: tf.tensor4d(x, c.xShape), dy: tf.tensor4d(dy, dyShape(c)) },
            { filterShape: c.filterShape, strides: c.strides, dilations: 1, pad: c.pad },
          ),
        c.label,
      ),
    );
  }
  for (const line of log.lines()) if (line.startsWith('DepthwiseConv2dNativeBackpropFilter')) t.diagnostic(line);
});

test('DepthwiseConv2dNativeBackpropInput on wasm matches cpu', async (t) => {
  for (const [i, c] of cases(1).entries()) {
    const filter = random(c.filterShape, 30 + i);
    const dy = random(dyShape(c), 40 + i);
    log.add(
      'DepthwiseConv2dNativeBackpropInput',
      c.label,
      await expectSameOnBothBackends(
        () =>
          runKernel(
            tf.DepthwiseConv2dNativeBackpropInput,
            { dy: tf.tensor4d(dy, dyShape(c)), filter: tf.tensor4d(filter, c.filterShape) },
            { inputShape: c.xShape, strides: c.strides, dilations: 1, pad: c.pad },
          ),
        c.label,
      ),
    );
  }
  for (const line of log.lines()) if (line.startsWith('DepthwiseConv2dNativeBackpropInput')) t.diagnostic(line);
});

test('depthwise gradients with dilation 2 satisfy the adjoint identities', async (t) => {
  let worst = 0;
  for (const [i, c] of cases(2).entries()) {
    const x = random(c.xShape, 50 + i);
    const filter = random(c.filterShape, 60 + i);
    const dy = random(dyShape(c), 70 + i);
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad };
    const X = () => tf.tensor4d(x, c.xShape);
    const W = () => tf.tensor4d(filter, c.filterShape);
    const DY = () => tf.tensor4d(dy, dyShape(c));
    const forward = await runOn('cpu', () => tf.sum(tf.mul(tf.depthwiseConv2d(X(), W(), c.strides, c.pad, 'NHWC', c.dilations), DY())));
    const viaFilter = await runOn('wasm', () => {
      const dW = runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: X(), dy: DY() }, { ...attrs, filterShape: c.filterShape });
      return tf.sum(tf.mul(W(), dW));
    });
    const viaInput = await runOn('wasm', () => {
      const dX = runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: DY(), filter: W() }, { ...attrs, inputShape: c.xShape });
      return tf.sum(tf.mul(X(), dX));
    });
    const ref = forward.values[0]!;
    for (const [what, v] of [
      ['<W,dW>', viaFilter.values[0]!],
      ['<x,dx>', viaInput.values[0]!],
    ] as const) {
      const err = Math.abs(v - ref);
      worst = Math.max(worst, err);
      assert.ok(err <= 1e-4 * Math.max(1, Math.abs(ref)), `${c.label}: ${what} = ${v}, <y,dy> = ${ref}`);
    }
  }
  t.diagnostic(`dilation 2 adjoint identities: max abs err ${worst.toExponential(2)}`);
});
