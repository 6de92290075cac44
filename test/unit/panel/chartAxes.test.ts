// The accuracy axis fitted to the data and the labels of log axes (the LR preview's overlapped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitUnitRange, logTickLabelled, logTickText, significand } from '../../../webview/panel/chart/axes.js';

test('fitUnitRange: a 95–99 % curve gets an axis around it, not 0–1; limits stay inside [0, 1]', () => {
  assert.deepEqual(fitUnitRange([0.95, 0.97, null, 0.99]), { min: 0.94, max: 1 });
  assert.deepEqual(fitUnitRange([0.951, 0.962]), { min: 0.94, max: 0.98 });
  assert.deepEqual(fitUnitRange([0.2, 0.6]), { min: 0.1, max: 0.7 });
  assert.deepEqual(fitUnitRange([0.48, 0.89]), { min: 0.4, max: 1 });
  assert.deepEqual(fitUnitRange([0.8, 0.88]), { min: 0.75, max: 0.9 });
  assert.deepEqual(fitUnitRange([0, 1]), { min: 0, max: 1 });
  assert.deepEqual(fitUnitRange([0.5]), { min: 0.49, max: 0.51 });
  assert.deepEqual(fitUnitRange([]), { min: 0, max: 1 });
  assert.deepEqual(fitUnitRange([null, undefined, NaN]), { min: 0, max: 1 });
});

/** The ticks Chart.js puts on a log axis from lo to hi (every m·10^e, m = 1…9). */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (let m = 1; m <= 9; m++) {
      const v = Number((m * Math.pow(10, e)).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

test('logTickLabelled: no two labels closer than the gap, powers of ten labelled first', () => {
  for (const [lo, hi, length] of [
    [1e-5, 1e-2, 200],
    [1e-4, 1e-3, 200],
    [3e-4, 3e-3, 180],
    [1e-7, 1, 240],
    [2e-3, 9e-3, 200],
  ] as const) {
    const ticks = logTicks(lo, hi);
    const keep = logTickLabelled(ticks, length, 16);
    const px = (v: number) => ((Math.log10(v) - Math.log10(ticks[0]!)) / (Math.log10(ticks[ticks.length - 1]!) - Math.log10(ticks[0]!))) * length;
    const shown = [...keep].map((i) => px(ticks[i]!)).sort((a, b) => a - b);
    for (let i = 1; i < shown.length; i++) assert.ok(shown[i]! - shown[i - 1]! >= 16 - 1e-9, `${lo}–${hi}: labels ${shown[i - 1]} and ${shown[i]} px overlap`);
    assert.ok(keep.size >= 2, `${lo}–${hi}: at least two labels (${keep.size})`);
    const powers = ticks.map((v, i) => [v, i] as const).filter(([v]) => significand(v) === 1);
    // Powers of ten are at least a decade apart: each is labelled unless the decades are under 16 px.
    if (length / Math.log10(hi / lo) >= 16) for (const [v, i] of powers) assert.ok(keep.has(i), `${lo}–${hi}: ${v} labelled`);
  }
  // One decade on 200 px has room for 1, 2, 5 and more, but not for every tick.
  const one = logTicks(1e-4, 1e-3);
  const keep = logTickLabelled(one, 200, 16);
  assert.ok(keep.size < one.length && keep.size >= 3, `${keep.size} of ${one.length}`);
});

test('logTickText: exponent form for small rates, plain otherwise', () => {
  assert.equal(logTickText(1e-4), '1e-4');
  assert.equal(logTickText(3e-5), '3e-5');
  assert.equal(logTickText(0.0003), '3e-4');
  assert.equal(logTickText(0.05), '0.05');
  assert.equal(logTickText(2), '2');
  assert.equal(logTickText(20000), '2e4');
  assert.equal(significand(3e-4), 3);
  assert.equal(significand(1e-3), 1);
});
