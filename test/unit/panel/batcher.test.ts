// Batching: at most one flush per interval, a trailing flush after a burst, flushNow for final values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher, type Clock } from '../../../src/extension/panel/metrics/batcher.js';

/** A manual clock: `advance` runs the timers that come due. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn, id: next++ };
      timers.push(t);
      return t.id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { clock, advance };
}

test('a burst of 1000 requests in one second gives at most ~10 flushes, the last one after the last request', () => {
  const { clock, advance } = fakeClock();
  const flushes: number[] = [];
  const b = new Batcher(() => flushes.push(clock.now()), 100, clock);
  for (let i = 0; i < 1000; i++) {
    b.request();
    advance(1);
  }
  advance(200);
  assert.ok(flushes.length <= 11, `${flushes.length} flushes`);
  assert.ok(flushes.length >= 10);
  for (let i = 1; i < flushes.length; i++) assert.ok(flushes[i] - flushes[i - 1] >= 100);
  assert.ok(flushes[flushes.length - 1] >= 999, 'the trailing flush comes after the last request');
});

test('the first request after a quiet period flushes at once', () => {
  const { clock, advance } = fakeClock();
  let n = 0;
  const b = new Batcher(() => n++, 100, clock);
  b.request();
  assert.equal(n, 1);
  advance(500);
  b.request();
  assert.equal(n, 2);
  b.request();
  assert.equal(n, 2);
  assert.equal(b.pending, true);
  advance(100);
  assert.equal(n, 3);
});

test('flushNow flushes immediately and cancels the pending one; dispose stops everything', () => {
  const { clock, advance } = fakeClock();
  let n = 0;
  const b = new Batcher(() => n++, 100, clock);
  b.request();
  b.request();
  b.flushNow();
  assert.equal(n, 2);
  advance(1000);
  assert.equal(n, 2);
  b.request();
  b.dispose();
  b.request();
  b.flushNow();
  advance(1000);
  assert.equal(n, 3);
});
