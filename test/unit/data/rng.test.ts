import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng, deriveSeed, shuffle } from '../../../src/core/data/rng.js';

test('same seed, same stream; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    xa,
    Array.from({ length: 5 }, () => b.next()),
  );
  assert.notDeepEqual(
    xa,
    Array.from({ length: 5 }, () => c.next()),
  );
  for (const x of xa) assert.ok(x >= 0 && x < 1);
});

test('int stays in range and normal has mean ≈ 0, sd ≈ 1', () => {
  const r = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const k = r.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
  let s = 0;
  let s2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.03, `mean ${s / n}`);
  assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.03, `sd ${Math.sqrt(s2 / n)}`);
});

test('shuffle is a seeded permutation', () => {
  const a = shuffle(
    Array.from({ length: 50 }, (_, i) => i),
    new Rng(3),
  );
  const b = shuffle(
    Array.from({ length: 50 }, (_, i) => i),
    new Rng(3),
  );
  assert.deepEqual(a, b);
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.notDeepEqual(
    a,
    Array.from({ length: 50 }, (_, i) => i),
  );
  const typed = shuffle(
    Int32Array.from({ length: 10 }, (_, i) => i),
    new Rng(3),
  );
  assert.equal(typed.length, 10);
});

test('derived seeds are stable and differ by purpose', () => {
  assert.equal(deriveSeed(42, 'split'), deriveSeed(42, 'split'));
  assert.notEqual(deriveSeed(42, 'split'), deriveSeed(42, 'augment'));
  assert.notEqual(deriveSeed(42, 'split'), deriveSeed(43, 'split'));
});
