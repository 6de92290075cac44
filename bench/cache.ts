/**
 * The persistent frozen-feature cache on photos: a run's preparation (everything before its first
 * epoch: decode and resize every photo, then the frozen pass of the base over them) the first time,
 * with an empty cache, and the second time, with the cache the first run filled. Each preparation
 * runs in a fresh process, exactly as `runExperiment` prepares a run (`loadData`, then the trainer's
 * `cacheFeatures` on training and validation examples), so nothing is shared in memory. Rounds
 * alternate (first, second, first, second…) with the cache emptied before each first run.
 *
 * Photos: PyTorch's ants-and-bees tutorial data (245 training + 153 validation photos) at 224×224
 * with the Teachable Machine MobileNetV2 (`examples/hymenoptera-feature-extraction.transfer.json`).
 * `--replicate K` writes K content-distinct variants of every photo (each cropped and mirrored
 * differently, re-encoded as JPEG) into a temporary folder: K = 10 gives 3,980 photos whose frozen
 * features all differ, for the issue's ~4,000-photo case. Figures only, no assertions.
 *
 * `--threads-vs A,B` (npm run bench:prep) instead compares a preparation with A threads and one with
 * B threads for the frozen pass (`TRANSFER_LAB_PREP_THREADS`; the trainer's own thread plus worker
 * threads, `src/worker/feature-threads.ts`), both with the cache off (every photo decoded, every
 * feature computed), rounds alternating A, B, A, B… With `--one-core` the A run is pinned to one core
 * (`taskset -c 0`: photo decoding and the frozen pass share it), the preparation as it ran before
 * either was spread over the cores.
 *
 * Usage: npm run bench:cache [-- --replicate K] [--rounds N]
 *        npm run bench:prep [-- --replicate K] [--rounds N] [--one-core]      (= --threads-vs 1,2)
 * Output: a table on stdout (setup = backend and base model load; with the load average before each
 * preparation and each process's CPU time), and `bench/results/cache.json` (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';

const ROOT = path.join(__dirname, '..');
const PHOTOS = path.join(ROOT, 'examples', 'data', 'hymenoptera_data');
const BASE = path.join(ROOT, 'examples', 'data', 'mobilenetv2-teachable', 'model.json');
/** The bundled frozen-pass thread (`npm run build`). */
const THREAD_SCRIPT = path.join(ROOT, 'dist', 'feature-thread.js');

/** What one preparation measured (printed as JSON by the child). */
interface Prep {
  photos: number;
  /** Backend initialisation and base model load, before the data (part of `prepSeconds`). */
  setupSeconds: number;
  decodeSeconds: number;
  frozenSeconds: number;
  prepSeconds: number;
  cpuSeconds: number;
  hits: number;
  computed: number;
  /** Photos read from the decoded-photo cache (the rest were decoded). */
  photoHits: number;
  /** Threads that computed the frozen pass of the training examples. */
  threads: number;
}

async function child(dataRoot: string): Promise<void> {
  const { initBackend } = await import('../src/core/backend/index.js');
  const { resolveExperiment } = await import('../src/core/experiment/resolve.js');
  const { loadBase, buildNetwork } = await import('../src/core/models/network.js');
  const { loadData } = await import('../src/core/data/index.js');
  const { Trainer } = await import('../src/core/training/trainer.js');
  const { cacheFromEnv } = await import('../src/core/features/cache-config.js');
  const { preparationThreads } = await import('../src/core/features/pass-helpers.js');
  const { featureThreads } = await import('../src/worker/feature-threads.js');
  const t0 = performance.now();
  await initBackend('wasm');
  const exp = resolveExperiment(
    {
      base: { kind: 'model', path: BASE },
      data: {
        train: { kind: 'imageFolder', path: path.join(dataRoot, 'train') },
        validation: { kind: 'imageFolder', path: path.join(dataRoot, 'val') },
        image: { resize: 'cover', scale: 'symmetric' },
      },
      transfer: { strategy: 'featureExtraction' },
      training: { epochs: 1, batchSize: 4, seed: 42 },
    },
    path.join(dataRoot, 'bench.transfer.json'),
  );
  const base = await loadBase(exp, { runsDir: os.tmpdir() });
  const cache = cacheFromEnv();
  const t1 = performance.now();
  const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed, cache });
  const t2 = performance.now();
  const net = buildNetwork(exp, base, data.classNames.length);
  const threads = preparationThreads();
  const trainer = new Trainer(exp, net, data.classNames.length, cache, featureThreads('wasm', threads, THREAD_SCRIPT));
  trainer.setStage(0);
  const helpers = trainer.helperStarter(data.train.shape);
  const a = await trainer.cacheFeatures(data.train, undefined, undefined, helpers.start);
  const b = await trainer.cacheFeatures(data.validation, undefined, undefined, helpers.start);
  await helpers.close();
  const t3 = performance.now();
  const cpu = process.cpuUsage();
  const out: Prep = {
    photos: data.train.count + data.validation.count,
    setupSeconds: (t1 - t0) / 1000,
    decodeSeconds: (t2 - t1) / 1000,
    frozenSeconds: (t3 - t2) / 1000,
    prepSeconds: (t3 - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    photoHits: data.photos?.hits ?? 0,
    hits: a.stats.hits + b.stats.hits,
    computed: a.stats.computed + b.stats.computed,
    threads: a.stats.threads ?? 1,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** K content-distinct variants of every photo under `out/{train,val}/{ants,bees}`. */
async function replicate(k: number, out: string): Promise<void> {
  for (const split of ['train', 'val']) {
    for (const cls of ['ants', 'bees']) {
      const src = path.join(PHOTOS, split, cls);
      const dst = path.join(out, split, cls);
      fs.mkdirSync(dst, { recursive: true });
      for (const f of fs.readdirSync(src).sort()) {
        const meta = await sharp(path.join(src, f)).metadata();
        const w = meta.width ?? 0;
        const h = meta.height ?? 0;
        for (let v = 0; v < k; v++) {
          const target = path.join(dst, `${path.parse(f).name}-v${v}.jpg`);
          if (fs.existsSync(target)) continue;
          // Variant v: keep (100 − 2·⌊v/2⌋) % of each side, offset along the diagonal, mirrored when v is odd.
          const keep = 1 - 0.02 * Math.floor(v / 2);
          const cw = Math.max(8, Math.round(w * keep));
          const ch = Math.max(8, Math.round(h * keep));
          let img = sharp(path.join(src, f))
            .rotate()
            .extract({ left: Math.floor((w - cw) / 2), top: Math.floor((h - ch) / 2), width: cw, height: ch });
          if (v % 2 === 1) img = img.flop();
          await img.jpeg({ quality: 90 }).toFile(target);
        }
      }
    }
  }
}

function load(): string {
  try {
    return os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  } catch {
    return '?';
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!);
  const opt = (name: string, def: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const k = opt('--replicate', 0);
  const rounds = opt('--rounds', 1);
  if (!fs.existsSync(PHOTOS) || !fs.existsSync(BASE)) {
    process.stderr.write(`bench:cache needs ${PHOTOS} and ${BASE} (see README, "Photo examples")\n`);
    process.exitCode = 2;
    return;
  }
  let dataRoot = PHOTOS;
  if (k > 0) {
    dataRoot = path.join(os.tmpdir(), `tl-bench-cache-photos-x${k}`);
    const t = performance.now();
    await replicate(k, dataRoot);
    process.stdout.write(`${k} variants of every photo in ${dataRoot} (${((performance.now() - t) / 1000).toFixed(0)} s to write)\n`);
  }
  const vs = args.includes('--threads-vs') ? args[args.indexOf('--threads-vs') + 1]!.split(',').map(Number) : undefined;
  if (vs && (vs.length !== 2 || !vs.every((t) => Number.isInteger(t) && t >= 1))) throw new Error('--threads-vs takes two thread counts, e.g. 1,2');
  if (!fs.existsSync(THREAD_SCRIPT)) throw new Error(`${THREAD_SCRIPT} is missing: run npm run build first`);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-bench-cache-'));
  const rows: (Prep & { round: number; run: string; load: string })[] = [];
  const base = { ...process.env, TRANSFER_LAB_CACHE_DIR: cacheDir, TRANSFER_LAB_CACHE_SIZE_MB: '16384' };
  // One round: the cache bench's first and second preparation, or the thread comparison's two (cache off).
  // --one-core: the first of --threads-vs runs pinned to one core (taskset -c 0): decoding and the frozen
  // pass together on one core, the baseline before either was spread over the cores.
  const oneCore = args.includes('--one-core');
  const runs: { run: string; env: NodeJS.ProcessEnv; fresh: boolean; pin?: boolean }[] = vs
    ? vs.map((t, i) => ({
        run: `${t} thread${t > 1 ? 's' : ''}${oneCore && i === 0 ? ', one core (taskset -c 0)' : ''}, cache off`,
        env: { ...base, TRANSFER_LAB_CACHE_SIZE_MB: '0', TRANSFER_LAB_PREP_THREADS: String(t) },
        fresh: false,
        pin: oneCore && i === 0,
      }))
    : [
        { run: 'first (empty cache)', env: base, fresh: true },
        { run: 'second (cache filled)', env: base, fresh: false },
      ];
  try {
    for (let r = 1; r <= rounds; r++) {
      for (const { run, env, fresh, pin } of runs) {
        if (fresh) fs.rmSync(cacheDir, { recursive: true, force: true });
        const before = load();
        const argv = [process.execPath, '--import', 'tsx', __filename, '--child', dataRoot];
        if (pin) argv.unshift('taskset', '-c', '0');
        const p = spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 24 });
        if (p.status !== 0) throw new Error(`preparation failed (exit ${p.status}):\n${p.stderr}`);
        const prep = JSON.parse(p.stdout.trim().split('\n').pop()!) as Prep;
        rows.push({ round: r, run, load: before, ...prep });
        process.stdout.write(
          `round ${r} ${run}: ${prep.photos} photos, setup ${prep.setupSeconds.toFixed(1)} s, decode ${prep.decodeSeconds.toFixed(1)} s, frozen pass ${prep.frozenSeconds.toFixed(1)} s on ${prep.threads} thread(s) ` +
            `(photos: ${prep.photoHits} from cache; features: ${prep.hits} from cache, ${prep.computed} computed), preparation ${prep.prepSeconds.toFixed(1)} s, CPU ${prep.cpuSeconds.toFixed(1)} s, load ${before}\n`,
        );
      }
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  process.stdout.write(
    '\n| round | run | photos | setup s | decode s | frozen pass s | preparation s | CPU s | load (1/5/15 min) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  for (const x of rows) {
    process.stdout.write(
      `| ${x.round} | ${x.run} | ${x.photos} | ${x.setupSeconds.toFixed(1)} | ${x.decodeSeconds.toFixed(1)} | ${x.frozenSeconds.toFixed(1)} | ${x.prepSeconds.toFixed(1)} | ${x.cpuSeconds.toFixed(1)} | ${x.load} |\n`,
    );
  }
  for (let r = 1; r <= rounds; r++) {
    const [a, b] = rows.filter((x) => x.round === r);
    if (!a || !b) continue;
    process.stdout.write(
      vs
        ? `round ${r}: ${vs[1]} threads vs ${vs[0]}: preparation ${(a.prepSeconds / b.prepSeconds).toFixed(2)}× faster, frozen pass ${(a.frozenSeconds / b.frozenSeconds).toFixed(2)}×, decode ${(a.decodeSeconds / b.decodeSeconds).toFixed(2)}×\n`
        : `round ${r}: second preparation = ${((100 * b.prepSeconds) / a.prepSeconds).toFixed(1)} % of the first (CPU ${((100 * b.cpuSeconds) / a.cpuSeconds).toFixed(1)} %)\n`,
    );
  }
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench', 'results', vs ? 'preparation-threads.json' : 'cache.json'),
    JSON.stringify({ replicate: k, threadsVs: vs, rows }, null, 2) + '\n',
  );
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
