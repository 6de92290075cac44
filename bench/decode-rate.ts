/**
 * Photo decoding rate: sharp (our loader's `decodeImage`: EXIF rotate, sRGB, resize to cover
 * 224×224, centre crop) against PyTorch's usual loader path (torchvision's `Resize(224)` +
 * `CenterCrop(224)` on a PIL image, i.e. PIL decode → RGB → bilinear resize of the shorter side →
 * crop → NumPy array), on the same files: the ants-and-bees photos (398 JPEGs). One thread each
 * (`sharp.concurrency(1)`, one file at a time; Pillow is single-threaded), CPU time and wall time;
 * rounds alternate sharp and PIL. Figures only, no assertions.
 *
 * Usage: npm run bench:decode [-- --rounds N]
 * Needs /usr/bin/python3 with Pillow and NumPy (Debian: python3-pil, python3-numpy).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../src/core/data/sources/decode-image.js';

const PHOTOS = path.join(__dirname, '..', 'examples', 'data', 'hymenoptera_data');
const SIZE = 224;

const PIL_SCRIPT = `
import sys, time, numpy as np
from PIL import Image
files = sys.stdin.read().split("\\n")
files = [f for f in files if f]
t0 = time.process_time(); w0 = time.perf_counter()
for f in files:
    im = Image.open(f).convert("RGB")
    w, h = im.size
    s = ${SIZE} / min(w, h)
    im = im.resize((max(${SIZE}, round(w * s)), max(${SIZE}, round(h * s))), Image.BILINEAR)
    w, h = im.size
    l, t = (w - ${SIZE}) // 2, (h - ${SIZE}) // 2
    a = np.asarray(im.crop((l, t, l + ${SIZE}, t + ${SIZE})))
    assert a.shape == (${SIZE}, ${SIZE}, 3)
print(time.process_time() - t0, time.perf_counter() - w0)
`;

function listPhotos(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.jpe?g$/i.test(e.name)) out.push(p);
    }
  };
  walk(PHOTOS);
  return out.sort();
}

async function sharpRound(files: string[]): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (const f of files) await decodeImage(f, { height: SIZE, width: SIZE, channels: 3, resize: 'cover' });
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1000 };
}

function pilRound(files: string[]): { cpu: number; wall: number } {
  const r = spawnSync('/usr/bin/python3', ['-c', PIL_SCRIPT], { input: files.join('\n'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 (Pillow) failed: ${r.stderr}`);
  const [cpu, wall] = r.stdout.trim().split(/\s+/).map(Number);
  return { cpu: cpu!, wall: wall! };
}

async function main(): Promise<void> {
  if (!fs.existsSync(PHOTOS)) throw new Error(`${PHOTOS} not found: link examples/data to the shared data folder (see README)`);
  const i = process.argv.indexOf('--rounds');
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 3;
  sharp.concurrency(1);
  sharp.cache(false);
  const files = listPhotos();
  process.stdout.write(
    `${files.length} photos → ${SIZE}×${SIZE}, one thread each, ${rounds} alternating rounds; load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  await sharpRound(files.slice(0, 20)); // warm-up: libvips initialisation
  const rows: { round: number; who: string; cpu: number; wall: number }[] = [];
  for (let r = 1; r <= rounds; r++) {
    rows.push({ round: r, who: 'sharp (ours)', ...(await sharpRound(files)) });
    rows.push({ round: r, who: 'PIL (torchvision path)', ...pilRound(files) });
  }
  process.stdout.write('\n| round | loader | photos/s (CPU time) | photos/s (wall) |\n| --- | --- | --- | --- |\n');
  for (const x of rows) process.stdout.write(`| ${x.round} | ${x.who} | ${(files.length / x.cpu).toFixed(0)} | ${(files.length / x.wall).toFixed(0)} |\n`);
  const med = (who: string, k: 'cpu' | 'wall') => {
    const v = rows
      .filter((x) => x.who === who)
      .map((x) => files.length / x[k])
      .sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  const ours = med('sharp (ours)', 'cpu');
  const pil = med('PIL (torchvision path)', 'cpu');
  process.stdout.write(
    `\nmedian photos/s by CPU time: sharp ${ours.toFixed(0)}, PIL ${pil.toFixed(0)} (ratio ${(ours / pil).toFixed(2)}×); load after ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
