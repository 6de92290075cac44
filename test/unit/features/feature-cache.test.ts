// The persistent frozen-feature cache on real photos (ants and bees, decoded by sharp) and the real
// wasm backend: a second pass reads every example from disk with values bitwise equal to the first;
// a corrupted or truncated entry is detected, deleted and recomputed; an edited or replaced photo
// under the same name misses while a renamed copy hits; changed frozen weights miss; the size cap
// evicts the least recently used entries first; `cacheConfigFromEnv` reads its two variables.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../../../src/core/backend/index.js';
import { smallCnn } from '../../../src/core/models/builtin.js';
import { flattenModel } from '../../../src/core/models/graph.js';
import { cutPoints, extractFeatures } from '../../../src/core/features/extract.js';
import { FeatureDiskCache, decodeEntry, encodeEntry } from '../../../src/core/features/disk-cache.js';
import { cacheConfigFromEnv } from '../../../src/core/features/cache-config.js';
import { loadImageFolder } from '../../../src/core/data/sources/image-folder.js';
import type { SourceContext } from '../../../src/core/data/sources/source.js';

const PHOTOS = '/work/shared/data/hymenoptera_data/train';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'feature-cache-'));
const ctx: SourceContext = { role: 'train', image: { size: [32, 32], channels: 3, resize: 'cover', scale: 'unit' } };

before(async () => {
  await initBackend('wasm');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder of `perClass` real photos per class (ants, bees), copied from the shared data. */
function photoFolder(name: string, perClass: number): string {
  const root = path.join(tmp, name);
  for (const cls of ['ants', 'bees']) {
    fs.mkdirSync(path.join(root, cls), { recursive: true });
    for (const f of fs.readdirSync(path.join(PHOTOS, cls)).sort().slice(0, perClass)) fs.copyFileSync(path.join(PHOTOS, cls, f), path.join(root, cls, f));
  }
  return root;
}

function entryFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.tlf')) out.push(path.join(d, e.name));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

test('second pass hits every photo bitwise; corrupt and truncated entries are recomputed; edited photos miss, renamed ones hit', async () => {
  const root = photoFolder('photos', 3);
  const model = smallCnn(2, 7, [32, 32, 3]);
  const graph = flattenModel(model);
  const cut = cutPoints(graph, graph.ops.length - 1).find((p) => p.name === 'pool2')!;
  const cache = new FeatureDiskCache({ dir: path.join(tmp, 'cache'), maxBytes: 64 * 1024 ** 2 });
  const load = async () => (await loadImageFolder({ kind: 'imageFolder', path: root }, ctx)).set;

  let set = await load();
  assert.equal(set.count, 6);
  const plain = extractFeatures(graph, cut, set, { batchSize: 4 });
  assert.deepEqual(plain.stats, { ...plain.stats, hits: 0, computed: 6 });
  const first = extractFeatures(graph, cut, set, { batchSize: 4, cache });
  assert.deepEqual([first.stats.hits, first.stats.computed], [0, 6]);
  assert.deepEqual(first.data, plain.data, 'stored values are the computed values');
  assert.equal(entryFiles(cache.root).length, 6);
  const second = extractFeatures(graph, cut, set, { batchSize: 4, cache });
  assert.deepEqual([second.stats.hits, second.stats.computed, second.stats.corrupt], [6, 0, 0]);
  assert.deepEqual(second.data, plain.data, 'cached values are bitwise the computed ones');
  assert.deepEqual(second.shape, [6, 6, 64]);

  // One flipped byte in the values, one entry cut in half (a write that never finished).
  const [a, b] = entryFiles(cache.root);
  const bytes = fs.readFileSync(a!);
  bytes[bytes.length - 100] ^= 0x40;
  fs.writeFileSync(a!, bytes);
  const half = fs.readFileSync(b!);
  fs.writeFileSync(b!, half.subarray(0, half.length >> 1));
  const repaired = extractFeatures(graph, cut, set, { batchSize: 4, cache });
  assert.deepEqual([repaired.stats.hits, repaired.stats.computed, repaired.stats.corrupt], [4, 2, 2]);
  assert.deepEqual(repaired.data, plain.data);
  assert.deepEqual(extractFeatures(graph, cut, set, { cache }).stats.hits, 6, 'the damaged entries were rewritten');

  // Edit one photo in place (mirrored, same name) and replace another by a different photo (same name).
  const ants = path.join(root, 'ants');
  const [edited, replaced] = fs.readdirSync(ants).sort();
  const mirrored = await sharp(path.join(PHOTOS, 'ants', edited!))
    .flop()
    .jpeg()
    .toBuffer();
  fs.writeFileSync(path.join(ants, edited!), mirrored);
  fs.copyFileSync(path.join(PHOTOS, 'ants', fs.readdirSync(path.join(PHOTOS, 'ants')).sort()[10]!), path.join(ants, replaced!));
  set = await load();
  const afterEdit = extractFeatures(graph, cut, set, { cache });
  assert.deepEqual([afterEdit.stats.hits, afterEdit.stats.computed], [4, 2], 'same names, new content: two misses');
  assert.deepEqual(afterEdit.data, extractFeatures(graph, cut, set).data, 'and the new photos get their own features');

  // A renamed photo (same bytes) is the same example: a hit.
  fs.renameSync(path.join(ants, edited!), path.join(ants, 'zz-renamed.jpg'));
  set = await load();
  assert.deepEqual(extractFeatures(graph, cut, set, { cache }).stats.hits, 6);

  // Different frozen weights (another seed) are another pass: all miss.
  const other = smallCnn(2, 8, [32, 32, 3]);
  const g2 = flattenModel(other);
  const c2 = cutPoints(g2, g2.ops.length - 1).find((p) => p.name === 'pool2')!;
  assert.deepEqual(extractFeatures(g2, c2, set, { cache }).stats.computed, 6);
  // Another pooling cap is another pass too.
  assert.deepEqual(extractFeatures(graph, cut, set, { cache, maxFeatures: 1000 }).stats.computed, 6);
  model.dispose();
  other.dispose();
});

test('the size cap evicts the least recently used entries; clear empties the cache', () => {
  const dir = path.join(tmp, 'lru');
  const one = new Float32Array(1000).fill(1);
  const entryBytes = encodeEntry([1000], one).length;
  const cache = new FeatureDiskCache({ dir, maxBytes: 3 * entryBytes });
  for (const k of ['a', 'b', 'c']) cache.write('pass1', k, [1000], one, 'test pass');
  // Make the ages explicit: a oldest, then b, then c; then a is used (read), so b is now the oldest.
  const files = Object.fromEntries(['a', 'b', 'c'].map((k) => [k, path.join(cache.root, 'pa', 'pass1', `${k}.tlf`)]));
  ['a', 'b', 'c'].forEach((k, i) => fs.utimesSync(files[k]!, 1000 + i, 1000 + i));
  assert.ok(cache.read('pass1', 'a'));
  cache.write('pass1', 'd', [1000], one);
  assert.deepEqual(cache.evict(), { entries: 1, bytes: entryBytes });
  assert.equal(cache.read('pass1', 'b'), undefined, 'b was the least recently used');
  for (const k of ['a', 'c', 'd']) assert.ok(cache.read('pass1', k), k);
  const [usage] = cache.list();
  assert.deepEqual([usage!.key, usage!.description, usage!.entries, usage!.bytes], ['pass1', 'test pass', 3, 3 * entryBytes]);
  assert.equal(cache.clear(), 3 * entryBytes);
  assert.deepEqual(cache.list(), []);
  // Entries round-trip; any damage is refused.
  const v = Float32Array.from({ length: 12 }, (_, i) => i / 7);
  assert.deepEqual(decodeEntry(encodeEntry([3, 4], v)), { shape: [3, 4], values: v });
  const bad = encodeEntry([3, 4], v);
  bad[20] ^= 1;
  assert.equal(decodeEntry(bad), undefined);
});

test('cacheConfigFromEnv: folder and cap from the environment, 0 turns it off, nonsense is refused', () => {
  assert.deepEqual(cacheConfigFromEnv({ TRANSFER_LAB_CACHE_DIR: '/x/y', TRANSFER_LAB_CACHE_SIZE_MB: '2' }), { dir: '/x/y', maxBytes: 2 * 1024 ** 2 });
  assert.deepEqual(cacheConfigFromEnv({ XDG_CACHE_HOME: '/c' }), { dir: '/c/transfer-lab/features', maxBytes: 4096 * 1024 ** 2 });
  assert.equal(new FeatureDiskCache(cacheConfigFromEnv({ TRANSFER_LAB_CACHE_SIZE_MB: '0' })).enabled, false);
  assert.throws(() => cacheConfigFromEnv({ TRANSFER_LAB_CACHE_SIZE_MB: 'lots' }), /TRANSFER_LAB_CACHE_SIZE_MB must be a size in MiB/);
});
