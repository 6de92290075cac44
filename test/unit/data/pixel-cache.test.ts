// The decoded-photo cache on the committed real photos (ants/bees, with corrupt files among them):
// a second load reads every photo back instead of decoding it, with the same pixels; an edited photo
// misses under the same name while a copy under a new name hits; a damaged entry is replaced, never
// used; with the cache off nothing is written. Reference: a load without any cache.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { loadData } from '../../../src/core/data/index.js';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import { FeatureDiskCache } from '../../../src/core/features/disk-cache.js';

const PHOTOS = path.resolve(__dirname, '../../fixtures/images/folder');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-pixel-cache-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the ants/bees folders (corrupt files and hidden entries included) that the test may edit. */
function copyPhotos(name: string): string {
  const dir = path.join(tmp, name);
  for (const c of ['ants', 'bees']) fs.cpSync(path.join(PHOTOS, c), path.join(dir, c), { recursive: true });
  return dir;
}

async function load(folder: string, cache?: FeatureDiskCache) {
  const exp = resolveExperiment(
    {
      name: 'pixels',
      base: { kind: 'builtin', architecture: 'mobileNetLike' },
      data: { train: { kind: 'imageFolder', path: folder }, split: { validation: 0, test: 0 }, image: { size: [32, 32], resize: 'cover', scale: 'unit' } },
      transfer: { strategy: 'featureExtraction' },
    },
    path.join(folder, 'pixels.transfer.json'),
  );
  const data = await loadData(exp.data, { inputShape: [32, 32, 3], seed: 1, ...(cache ? { cache } : {}) });
  const all = Array.from({ length: data.train.count }, (_, i) => i);
  const ids = all.map((i) => data.train.id(i));
  return { data, ids, pixels: data.train.gather(all) };
}

function entryFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tlf'))
    .map((f) => path.join(dir, f));
}

test('a second load reads every photo from the cache, pixel for pixel what decoding gives', async () => {
  const folder = copyPhotos('same');
  const reference = await load(folder);
  assert.equal(reference.data.photos?.decoded, reference.ids.length);
  const cache = new FeatureDiskCache({ dir: path.join(tmp, 'cache-same'), maxBytes: 64 << 20 });
  const first = await load(folder, cache);
  assert.deepEqual([first.data.photos?.hits, first.data.photos?.decoded], [0, reference.ids.length]);
  assert.equal(entryFiles(cache.config.dir).length, reference.ids.length, 'one entry per readable photo');
  const second = await load(folder, cache);
  assert.deepEqual([second.data.photos?.hits, second.data.photos?.decoded, second.data.photos?.corrupt], [reference.ids.length, 0, 0]);
  assert.deepEqual(second.ids, reference.ids);
  assert.deepEqual(second.data.skipped, reference.data.skipped, 'corrupt files are still skipped, with the same reasons');
  assert.ok(second.pixels.length > 0);
  assert.deepEqual(second.pixels, reference.pixels);
});

test('an edited photo misses under the same name; a copy under a new name hits; a damaged entry is decoded again', async () => {
  const folder = copyPhotos('edited');
  const cache = new FeatureDiskCache({ dir: path.join(tmp, 'cache-edited'), maxBytes: 64 << 20 });
  const first = await load(folder, cache);
  const n = first.ids.length;
  // Edit one photo in place (mirrored, re-encoded) and copy another under a new name.
  const edited = first.ids.find((f) => f.endsWith('.jpg') && f.includes(`${path.sep}bees${path.sep}`))!;
  fs.writeFileSync(edited, await sharp(fs.readFileSync(edited)).flop().jpeg().toBuffer());
  const copied = first.ids.find((f) => f.includes(`${path.sep}ants${path.sep}`))!;
  fs.copyFileSync(copied, path.join(path.dirname(copied), 'zz-copy' + path.extname(copied)));
  const second = await load(folder, cache);
  assert.equal(second.ids.length, n + 1);
  assert.deepEqual([second.data.photos?.hits, second.data.photos?.decoded], [n, 1], 'the copy hits, the edited photo is decoded');
  const reference = await load(folder);
  assert.deepEqual(second.pixels, reference.pixels, 'the edited photo has its new pixels');
  // Damage one entry (flip a byte in its pixels): it is detected, deleted, decoded again.
  const entry = entryFiles(cache.config.dir)[0]!;
  const bytes = fs.readFileSync(entry);
  bytes[bytes.length - 40] ^= 0xff;
  fs.writeFileSync(entry, bytes);
  const third = await load(folder, cache);
  assert.deepEqual([third.data.photos?.hits, third.data.photos?.decoded, third.data.photos?.corrupt], [n, 1, 1]);
  assert.deepEqual(third.pixels, reference.pixels);
});

test('with the cache off (size 0) every photo is decoded and nothing is written', async () => {
  const folder = copyPhotos('off');
  const cache = new FeatureDiskCache({ dir: path.join(tmp, 'cache-off'), maxBytes: 0 });
  const a = await load(folder, cache);
  const b = await load(folder, cache);
  assert.equal(b.data.photos?.hits, 0);
  assert.equal(b.data.photos?.decoded, a.ids.length);
  assert.equal(fs.existsSync(cache.config.dir), false);
});
