/**
 * Frozen-pass helpers on worker threads (see `core/features/pass-helpers.ts`): each thread runs
 * `feature-thread.js` with its own tfjs engine and backend instance, loads a copy of the frozen
 * prefix (topology and weights, serialised once with `tf.io.withSaveHandler`), and computes the
 * features of the batches it is sent. On the native `tensorflow` backend, which already uses every
 * core, no thread is started.
 *
 * How many: `TRANSFER_LAB_PREP_THREADS` (the host sets it: `--prep-threads` in the CLI; 1 in VS Code
 * while another run is active), else the machine's available parallelism; helpers = threads − 1.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../core/backend/index.js';
import {
  preparationThreads,
  preparationThreadsProblem,
  type FeatureBatch,
  type FrozenPassHelpers,
  type PassHelperGroup,
  type RemotePass,
} from '../core/features/pass-helpers.js';
import type { FeatureThreadData, FromFeatureThread, ToFeatureThread } from '../protocol/feature-thread.js';

/** One thread and its pending batches. */
class FeatureThread implements RemotePass {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (f: FeatureBatch) => void; reject: (e: Error) => void }>();
  private loaded?: { resolve: () => void; reject: (e: Error) => void };
  private dead?: Error;

  constructor(
    private readonly worker: Worker,
    private readonly exampleShape: number[],
  ) {
    worker.on('message', (m: FromFeatureThread) => this.onMessage(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`frozen-pass thread exited (code ${code})`)));
  }

  load(artifacts: Extract<ToFeatureThread, { type: 'load' }>): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.loaded = { resolve, reject };
      this.worker.postMessage(artifacts);
    });
  }

  compute(x: Float32Array, n: number): Promise<FeatureBatch> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const own = x.byteOffset === 0 && x.byteLength === x.buffer.byteLength ? x : x.slice();
      const msg: ToFeatureThread = { type: 'compute', id, x: own, n, exampleShape: this.exampleShape };
      this.worker.postMessage(msg, [own.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('frozen-pass thread closed'));
    await this.worker.terminate();
  }

  private onMessage(m: FromFeatureThread): void {
    if (m.type === 'loaded') this.loaded?.resolve();
    else if (m.type === 'features') {
      this.pending.get(m.id)?.resolve({ data: m.data, shape: m.shape });
      this.pending.delete(m.id);
    } else if (m.id === undefined) this.loaded?.reject(new Error(m.message));
    else {
      this.pending.get(m.id)?.reject(new Error(m.message));
      this.pending.delete(m.id);
    }
  }

  private fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    this.loaded?.reject(e);
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** The prefix as one `load` message (weights concatenated into one buffer). */
async function serialise(prefix: tf.LayersModel): Promise<Extract<ToFeatureThread, { type: 'load' }>> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await prefix.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = artifacts!;
  const wd = a.weightData;
  const weightData = wd === undefined ? new ArrayBuffer(0) : Array.isArray(wd) ? tf.io.concatenateArrayBuffers(wd) : wd;
  return { type: 'load', modelTopology: a.modelTopology, weightSpecs: a.weightSpecs ?? [], weightData };
}

/**
 * Helpers for a training process on `backend`, with `threads` threads in all (the caller's
 * included). `script` is the bundled thread program (default: `feature-thread.js` beside this bundle).
 */
export function featureThreads(
  backend: BackendPreference,
  threads = preparationThreads(),
  script = path.join(__dirname, 'feature-thread.js'),
): FrozenPassHelpers {
  const problem = preparationThreadsProblem();
  return {
    ...(problem ? { problem } : {}),
    get count() {
      return tf.getBackend() === 'tensorflow' ? 0 : Math.max(0, threads - 1);
    },
    async start(prefix: tf.LayersModel, exampleShape: readonly number[]): Promise<PassHelperGroup> {
      const n = this.count;
      const load = await serialise(prefix);
      // The backend this process runs on (an `auto` preference resolved), so both sides compute alike.
      const current = tf.getBackend();
      const data: FeatureThreadData = { backend: current === 'wasm' || current === 'tensorflow' ? current : backend };
      const all = Array.from({ length: n }, () => new FeatureThread(new Worker(script, { workerData: data }), [...exampleShape]));
      const close = () => Promise.all(all.map((t) => t.close())).then(() => undefined);
      try {
        // Posted without a transfer list: each thread gets its own copy of the weights.
        await Promise.all(all.map((t) => t.load(load)));
      } catch (e) {
        await close();
        throw new Error(`a frozen-pass thread could not load the prefix: ${(e as Error).message}`, { cause: e });
      }
      return { passes: all, close };
    },
  };
}
