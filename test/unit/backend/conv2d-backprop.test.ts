/**
 * Conv2DBackpropFilter (missing on wasm) and Conv2DBackpropInput (overridden on wasm) against the
 * tfjs cpu backend, on seeded random shapes: strides 1 and 2, same and valid padding, batch 1 and
 * 3, non-square inputs, 1×1 to 5×5 filters, plus NCHW and explicit padding. The filter gradient has
 * two forms (a convolution, and im2col · dy for strided convolutions with few input channels): each
 * is checked on every case.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ErrorLog, expectSameOnBothBackends, maxAbsError, random, randomInt, runKernel, runOn, setUpBackends } from './helpers.js';
import { conv2dBackpropFilter, conv2dBackpropFilterIm2col, flipFilter, preferIm2col } from '../../../src/core/backend/wasm-kernels/conv2d-backprop.js';
import type { WasmHeapBackend } from '../../../src/core/backend/wasm-kernels/heap.js';

type Pad = 'same' | 'valid' | tf.Conv2DBackpropFilterAttrs['pad'];
interface Case {
  label: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
}

function randomCases(): Case[] {
  const cases: Case[] = [];
  let seed = 1;
  for (const strides of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const batch of [1, 3]) {
        for (const k of [1, 3, 5]) {
          const h = randomInt(Math.max(k, 4), 11, seed++);
          let w = randomInt(Math.max(k, 4), 11, seed++);
          if (w === h) w = h === 11 ? 10 : h + 1;
          const c = randomInt(1, 5, seed++);
          const o = randomInt(1, 7, seed++);
          cases.push({
            label: `s${strides} ${pad} x[${batch},${h},${w},${c}] f[${k},${k},${c},${o}]`,
            xShape: [batch, h, w, c],
            filterShape: [k, k, c, o],
            strides,
            pad,
            dataFormat: 'NHWC',
          });
        }
      }
    }
  }
  cases.push(
    { label: 'non-square filter 2×3, strides [2,1]', xShape: [2, 9, 7, 3], filterShape: [2, 3, 3, 4], strides: [2, 1], pad: 'same', dataFormat: 'NHWC' },
    {
      label: 'explicit padding',
      xShape: [2, 7, 8, 2],
      filterShape: [3, 3, 2, 3],
      strides: 2,
      pad: [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
    { label: 'NCHW s2 same', xShape: [2, 3, 8, 7], filterShape: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW' },
  );
  return cases;
}

function outShape(c: Case): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    c.xShape,
    c.filterShape,
    c.strides,
    1,
    c.pad,
    undefined,
    false,
    c.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
  const [b, oh, ow, o] = info.outShape;
  return c.dataFormat === 'NHWC' ? [b, oh, ow, o] : [b, o, oh, ow];
}

const log = new ErrorLog();
before(setUpBackends);

test('Conv2DBackpropFilter on wasm matches cpu', async (t) => {
  for (const [i, c] of randomCases().entries()) {
    const dyShape = outShape(c);
    const x = random(c.xShape, 100 + i);
    const dy = random(dyShape, 200 + i);
    const e = await expectSameOnBothBackends(
      () =>
        runKernel(
          tf.Conv2DBackpropFilter,
          { x: tf.tensor4d(x, c.xShape), dy: tf.tensor4d(dy, dyShape) },
          { filterShape: c.filterShape, strides: c.strides, pad: c.pad, dataFormat: c.dataFormat },
        ),
      `Conv2DBackpropFilter ${c.label}`,
    );
    log.add('Conv2DBackpropFilter', c.label, e);
  }
  for (const line of log.lines()) t.diagnostic(line);
});

test('both forms of the filter gradient (convolution, im2col) on wasm match cpu', async (t) => {
  const forms = new ErrorLog();
  for (const [i, c] of randomCases().entries()) {
    if (c.dataFormat !== 'NHWC') continue; // the im2col form is NHWC only (the kernel transposes NCHW first)
    const dyShape = outShape(c);
    const x = random(c.xShape, 100 + i);
    const dy = random(dyShape, 200 + i);
    const inputs = () => [tf.tensor4d(x, c.xShape), tf.tensor4d(dy, dyShape)] as const;
    const ref = await runOn('cpu', () =>
      runKernel(
        tf.Conv2DBackpropFilter,
        { x: inputs()[0], dy: inputs()[1] },
        { filterShape: c.filterShape, strides: c.strides, pad: c.pad, dataFormat: 'NHWC' },
      ),
    );
    const byConv = await runOn('wasm', () => conv2dBackpropFilter(...inputs(), c.filterShape, c.strides, c.pad as 'same' | 'valid'));
    const byIm2col = await runOn('wasm', () =>
      conv2dBackpropFilterIm2col(tf.backend() as unknown as WasmHeapBackend, ...inputs(), c.filterShape, c.strides, c.pad as 'same' | 'valid'),
    );
    for (const [form, got] of [
      ['convolution', byConv],
      ['im2col', byIm2col],
    ] as const) {
      assert.deepEqual(got.shape, ref.shape, `${form} ${c.label}: shape`);
      const e = maxAbsError(got, ref);
      assert.ok(e.err <= 1e-4 * Math.max(e.scale, 1), `${form} ${c.label}: max abs err ${e.err} (max |ref| ${e.scale})`);
      forms.add(`Conv2DBackpropFilter (${form})`, c.label, e);
    }
  }
  for (const line of forms.lines()) t.diagnostic(line);
});

test('Conv2DBackpropInput on wasm matches cpu', async (t) => {
  for (const [i, c] of randomCases().entries()) {
    const dyShape = outShape(c);
    const filter = random(c.filterShape, 300 + i);
    const dy = random(dyShape, 400 + i);
    const e = await expectSameOnBothBackends(
      () =>
        runKernel(
          tf.Conv2DBackpropInput,
          { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, c.filterShape) },
          { inputShape: c.xShape, strides: c.strides, pad: c.pad, dataFormat: c.dataFormat },
        ),
      `Conv2DBackpropInput ${c.label}`,
    );
    log.add('Conv2DBackpropInput', c.label, e);
  }
  for (const line of log.lines().filter((l) => l.startsWith('Conv2DBackpropInput'))) t.diagnostic(line);
});

test('the input gradient’s flipped filter (one heap pass) equals reverse + transpose on cpu', async () => {
  for (const [i, shape] of (
    [
      [3, 3, 32, 64],
      [2, 3, 4, 5],
      [1, 1, 3, 2],
      [5, 4, 1, 7],
    ] as const
  ).entries()) {
    const f = random(shape, 500 + i);
    const ref = await runOn('cpu', () => tf.transpose(tf.reverse(tf.tensor4d(f, [...shape]), [0, 1]), [0, 1, 3, 2]));
    const got = await runOn('wasm', () => flipFilter(tf.backend() as unknown as WasmHeapBackend, tf.tensor4d(f, [...shape])));
    assert.deepEqual(got.shape, ref.shape);
    assert.deepEqual(Array.from(got.values), Array.from(ref.values), `filter [${shape}]`);
  }
});

test('the kernel takes the im2col filter gradient for strided convolutions with few input channels only', () => {
  assert.equal(preferIm2col([32, 96, 96, 3], [3, 3, 3, 16], 2, 48, 48), true); // MobileNet-style stem
  assert.equal(preferIm2col([64, 28, 28, 1], [3, 3, 1, 32], [1, 2], 26, 13), true);
  assert.equal(preferIm2col([64, 28, 28, 1], [3, 3, 1, 32], 1, 26, 26), false); // MNIST conv1: stride 1
  assert.equal(preferIm2col([64, 13, 13, 32], [3, 3, 32, 64], 2, 6, 6), false); // many channels
});
