// Preload (`node --require ./bench/wasm-threads-preload.cjs …`, or NODE_OPTIONS) that makes tfjs-backend-wasm
// 4.22 start its threaded SIMD build with N XNNPACK threads under Node, without touching the product:
//   TL_WASM_THREADS=N  (unset: the shim does nothing); applies to dist/worker.js (TL_WASM_THREADS_ANY=1: any program)
// Four parts:
//  1. Blob texts are recorded and URL.createObjectURL writes them to temp files (Node's Worker refuses blob:).
//  2. worker_threads.Worker is wrapped so the main-script Blob in Emscripten's 'load' message becomes a file,
//     prefixed with rollup's hoisted `require$$N` / `commonjsGlobal` that the factory's source refers to.
//  3. os.cpus() reports 2N entries when called from Emscripten's `_emscripten_num_logical_cores`
//     (backend.cc: num_cores = emscripten_num_logical_cores() / 2 caps the pool; 2 cores -> 1 thread).
//  4. WASM_HAS_MULTITHREAD_SUPPORT is forced true (tfjs returns false when IS_NODE, issue 3830).
'use strict';
const N = Number(process.env.TL_WASM_THREADS || 0);
// NODE_OPTIONS preloads also run in every worker thread (Emscripten's 8 pthread Workers included): main thread only.
// Only in the training worker (dist/worker.js) unless TL_WASM_THREADS_ANY is set: a parent process (the bench,
// the CLI) that loaded the threaded build would not exit on its own (its pthreads keep it alive).
const target = process.env.TL_WASM_THREADS_ANY || /worker\.js$/.test(process.argv[1] || '');
if (N > 0 && target && require('node:worker_threads').isMainThread) {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const wt = require('node:worker_threads');
  const { createRequire } = require('node:module');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmthreads-shim-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const blobText = new WeakMap();
  const OrigBlob = globalThis.Blob;
  globalThis.Blob = class RecordingBlob extends OrigBlob {
    constructor(parts, opts) {
      super(parts, opts);
      if (parts && parts.every((p) => typeof p === 'string')) blobText.set(this, parts.join(''));
    }
  };
  let n = 0;
  const toFile = (b, prelude = '') => {
    const text = blobText.get(b);
    if (text === undefined) throw new Error('wasm-threads shim: a Blob whose text was not recorded');
    const f = path.join(dir, `blob-${n++}.js`);
    fs.writeFileSync(f, prelude + text);
    return f;
  };
  const origCreateObjectURL = URL.createObjectURL;
  URL.createObjectURL = (b) => (blobText.has(b) ? toFile(b) : origCreateObjectURL(b));

  const PRELUDE =
    "var require$$0 = require('fs'); var require$$1 = require('path'); var require$$3 = require('perf_hooks'); var require$$4 = require('os'); var commonjsGlobal = globalThis;\n";
  const OrigWorker = wt.Worker;
  wt.Worker = class FileWorker extends OrigWorker {
    postMessage(msg, transfer) {
      if (msg && msg.cmd === 'load' && msg.urlOrBlob instanceof OrigBlob) msg.urlOrBlob = toFile(msg.urlOrBlob, PRELUDE);
      super.postMessage(msg, transfer);
    }
  };

  const origCpus = os.cpus;
  os.cpus = function cpus() {
    const real = origCpus.call(os);
    if (!/_emscripten_num_logical_cores/.test(new Error().stack || '')) return real;
    return Array.from({ length: 2 * N }, (_, i) => real[i % real.length]);
  };

  // Same module instances as the program's: resolve from its entry script's directory.
  const main = process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), 'x.js');
  try {
    const req = createRequire(main);
    req('@tensorflow/tfjs-backend-wasm'); // registers the WASM_* flags
    req('@tensorflow/tfjs-core').env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  } catch (e) {
    process.stderr.write(`wasm-threads shim: not active in ${main}: ${e.message.split('\n')[0]}\n`);
  }
}
