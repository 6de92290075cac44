/**
 * A frozen-pass thread of the training child process (started by `feature-threads.ts`; speaks only
 * `src/protocol/feature-thread.ts`). It initialises its own tfjs engine on the process's backend
 * (wasm: its own wasm instance, with Transfer Lab's kernels), loads the frozen prefix it is given,
 * and computes features of the batches it receives, in inference mode and memory-lean exactly as the
 * trainer's own thread does (`runOps` with activations freed as read), so the values are the same.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../core/backend/index.js';
import { flattenModel, runOps, type OpGraph } from '../core/models/graph.js';
// Registers the custom layer classes a text base's prefix may contain.
import '../core/models/text-layers.js';
import type { FeatureThreadData, FromFeatureThread, ToFeatureThread } from '../protocol/feature-thread.js';

const port = parentPort!;
const { backend } = workerData as FeatureThreadData;
let graph: OpGraph | undefined;

function reply(msg: FromFeatureThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

async function load(msg: Extract<ToFeatureThread, { type: 'load' }>): Promise<void> {
  const info = await initBackend(backend);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: msg.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: msg.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData: msg.weightData,
    }),
  );
  graph = flattenModel(model);
  reply({ type: 'loaded', backend: info.name });
}

function compute(msg: Extract<ToFeatureThread, { type: 'compute' }>): void {
  const g = graph;
  if (!g) throw new Error('no frozen prefix loaded');
  const out = g.outputs[0]!;
  const keep = new Set([out]);
  const f = tf.tidy(() => {
    const env = new Map<number, tf.Tensor>([[g.inputs[0]!, tf.tensor(msg.x, [msg.n, ...msg.exampleShape])]]);
    runOps(g, env, 0, g.ops.length, () => false, keep);
    return env.get(out)!;
  });
  const values = f.dataSync() as Float32Array;
  const shape = f.shape.slice(1);
  f.dispose();
  // Transfer only a buffer of our own (never a view into a backend's memory).
  const data = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
  reply({ type: 'features', id: msg.id, data, shape }, [data.buffer as ArrayBuffer]);
}

port.on('message', (msg: ToFeatureThread) => {
  if (msg.type === 'load') {
    load(msg).catch((e: unknown) => reply({ type: 'error', message: (e as Error).message }));
    return;
  }
  try {
    compute(msg);
  } catch (e) {
    reply({ type: 'error', id: msg.id, message: (e as Error).message });
  }
});
