/**
 * Time-boxed experiment (issue 15): does tfjs-backend-wasm 4.22's threaded SIMD build run under Node
 * when its pthread pool gets file URLs instead of `blob:` URLs?
 *
 * tfjs disables threads in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false when `IS_NODE`, tfjs issue
 * 3830). Forced on, the Emscripten glue starts each pthread with `new Worker(locateFile('…worker.js'))`,
 * which tfjs answers with `URL.createObjectURL(new Blob([worker source]))`, and posts the main script
 * as a Blob for the worker to `importScripts`. Node's `worker_threads.Worker` refuses `blob:` URLs.
 * This script (1) records the text of every Blob tfjs creates, (2) makes `URL.createObjectURL` write
 * that text to a temporary file and return its path, (3) wraps the Worker class Emscripten uses so
 * the main-script Blob it posts is replaced by the path of the same text on disk. Then it times a
 * MobileNet-style forward+backward at 1 and 2 threads and prints where it stopped if it fails.
 *
 * Finding (bench/README.md): with both workarounds the threaded build loads and computes right, but
 * XNNPACK's pool stays at 1 thread (`getThreadsCount()` is 1 after `setThreadsCount(2)`), no pthread runs.
 *
 * Usage: node --import tsx bench/wasm-threads.ts [threads]   (figures only, no assertions)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type * as WT from 'node:worker_threads';
import type * as TF from '@tensorflow/tfjs';

const workerThreads = createRequire(__filename)('node:worker_threads') as typeof WT;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-wasm-threads-'));
const blobText = new WeakMap<Blob, string>();
const OrigBlob = globalThis.Blob;
class RecordingBlob extends OrigBlob {
  constructor(parts?: BlobPart[], opts?: BlobPropertyBag) {
    super(parts, opts);
    if (parts?.every((p) => typeof p === 'string')) blobText.set(this, (parts as string[]).join(''));
  }
}
globalThis.Blob = RecordingBlob as typeof Blob;
let counter = 0;
const toFile = (b: Blob): string => {
  const text = blobText.get(b);
  if (text === undefined) throw new Error('a Blob whose text was not recorded');
  const file = path.join(dir, `blob-${counter++}.js`);
  fs.writeFileSync(file, text);
  return file;
};
URL.createObjectURL = ((b: Blob) => toFile(b)) as typeof URL.createObjectURL;

// Emscripten (Node branch) sets `global.Worker = worker_threads.Worker`; it reads it when it creates
// a pthread. Replace the Blob it posts (`urlOrBlob`) by a file path before it is cloned.
const OrigWorker = workerThreads.Worker;
class FileWorker extends OrigWorker {
  override postMessage(msg: unknown, transfer?: readonly WT.TransferListItem[]): void {
    const m = msg as { cmd?: string; urlOrBlob?: unknown };
    if (m && m.cmd === 'load' && m.urlOrBlob instanceof OrigBlob) {
      // The main script is the factory's source text, cut out of tfjs' rollup bundle: the Node modules
      // it names through rollup's hoisted `require$$N` variables must be declared again in the worker.
      const prelude =
        "var require$$0 = require('fs'); var require$$1 = require('path'); var require$$3 = require('perf_hooks'); var require$$4 = require('os'); var commonjsGlobal = globalThis;\n";
      const file = toFile(m.urlOrBlob);
      fs.writeFileSync(file, prelude + fs.readFileSync(file, 'utf8'));
      m.urlOrBlob = file;
    }
    super.postMessage(msg, transfer);
  }
}
(workerThreads as { Worker: typeof OrigWorker }).Worker = FileWorker;

async function main(): Promise<void> {
  const threads = Number(process.argv[2] ?? 2);
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { locateWasmBinaries } = await import('../src/core/backend/wasm-files.js');
  const files = locateWasmBinaries().files;
  wasm.setWasmPaths(files as unknown as Record<string, string>);
  wasm.setThreadsCount(threads);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const stage = (s: string) => process.stdout.write(`· ${s}\n`);
  stage(
    `node ${process.version}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  await tf.setBackend('wasm');
  await tf.ready();
  const b = tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } };
  const pt = (b.wasm as unknown as { PThread?: { runningWorkers: unknown[]; unusedWorkers: unknown[] } }).PThread;
  stage(
    `backend ${tf.getBackend()}, XNNPACK threads: ${b.wasm.tfjs.getThreadsCount()}; pthread workers running ${pt?.runningWorkers.length}, idle ${pt?.unusedWorkers.length}`,
  );
  stage(
    `add: ${tf
      .add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]))
      .dataSync()
      .join(',')}`,
  );
  stage(`matMul 4×4: ${tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])).dataSync()[0]}`);
  stage(`conv2d 1×8×8×4: ${tf.conv2d(tf.ones([1, 8, 8, 4]) as TF.Tensor4D, tf.ones([3, 3, 4, 2]) as TF.Tensor4D, 1, 'same').dataSync()[27]}`);
  const x = tf.randomNormal([4, 48, 48, 32]);
  const k = tf.randomNormal([3, 3, 32, 64]);
  const time = (label: string, f: () => TF.Tensor) => {
    f().dispose();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const n = 5;
    // Not tf.tidy(() => f().dataSync()): tidy would walk the returned typed array element by element.
    for (let i = 0; i < n; i++) {
      const y = f();
      y.dataSync();
      y.dispose();
    }
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / n;
    stage(`${label}: ${wall.toFixed(1)} ms wall, ${((c.user + c.system) / 1000 / n).toFixed(1)} ms CPU per call`);
  };
  time('conv2d 4×48×48×32 → 64, 3×3', () => tf.conv2d(x as TF.Tensor4D, k as TF.Tensor4D, 1, 'same'));
  time('matMul 256×256×256', () => tf.matMul(tf.randomNormal([256, 256]), tf.randomNormal([256, 256])));
  process.exit(0);
}

void main().catch((e: Error) => {
  process.stdout.write(`stopped: ${e.stack ?? e.message ?? JSON.stringify(e)}\n`);
  process.exit(1);
});
