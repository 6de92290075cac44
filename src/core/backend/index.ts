/**
 * Chooses, initialises and checks the TensorFlow.js backend for training: native TensorFlow through
 * `@tensorflow/tfjs-node` when it loads, otherwise wasm plus Transfer Lab's training kernels (the
 * wasm backend alone cannot train a conv net). The tfjs engine is process-wide, so the choice is
 * made once per process.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo } from '../runs/events.js';
import { loadTfjsNode, TFJS_NODE_PACKAGE, type TfjsNodeLoad } from './tfjs-node.js';
import { locateWasmBinaries } from './wasm-files.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';

export { registerWasmTrainingKernels } from './wasm-kernels/register.js';

/** Which tfjs backend to use. `auto`: tfjs-node when it loads, else wasm. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm';

/** Names of the tfjs backends {@link initBackend} can choose. */
const TENSORFLOW = 'tensorflow';
const WASM = 'wasm';

let current: { pref: BackendPreference; info: Promise<BackendInfo> } | undefined;

/**
 * Selects and initialises the tfjs backend.
 *
 * - `auto`: `@tensorflow/tfjs-node` (backend `tensorflow`) if it loads, else `wasm`.
 * - `tensorflow`: `@tensorflow/tfjs-node` or an error.
 * - `wasm`: the wasm backend, binaries located by absolute path, with
 *   {@link registerWasmTrainingKernels} applied.
 *
 * Idempotent: later calls return the first call's info when compatible (same preference, `auto`, or
 * the preference naming the backend in use), making that backend current again if code switched to
 * another one meanwhile. A failed call can be retried.
 *
 * @returns the backend in use, with the reason it was chosen in words.
 * @throws Error if `tensorflow` is requested and `@tensorflow/tfjs-node` cannot be loaded (message
 *   names the package and how to install it); if the wasm binaries are missing or the wasm backend
 *   fails to initialise; if a later call asks for a different backend than the one in use.
 */
export function initBackend(pref: BackendPreference): Promise<BackendInfo> {
  if (current !== undefined) {
    const first = current;
    return first.info.then(async (info) => {
      if (pref === first.pref || pref === 'auto' || pref === info.name) {
        if (tf.getBackend() !== info.name) await tf.setBackend(info.name); // someone switched away
        return info;
      }
      throw new Error(
        `The tfjs backend is already initialised as '${info.name}' (requested '${first.pref}'); ` + `cannot switch to '${pref}' in the same process`,
      );
    });
  }
  const attempt = { pref, info: choose(pref) };
  current = attempt;
  attempt.info.catch(() => {
    if (current === attempt) current = undefined;
  });
  return attempt.info;
}

async function choose(pref: BackendPreference): Promise<BackendInfo> {
  if (pref === WASM) return initWasm('wasm was requested');
  const native = loadTfjsNode();
  if (native.loaded) {
    return initTensorflow(
      pref === 'auto' ? `${TFJS_NODE_PACKAGE} loaded: native TensorFlow (libtensorflow)` : `${TENSORFLOW} was requested and ${TFJS_NODE_PACKAGE} loaded`,
    );
  }
  if (pref === TENSORFLOW) throw new Error(tensorflowUnavailable(native));
  const why = native.installed ? `${TFJS_NODE_PACKAGE} failed to load (${native.detail})` : `${TFJS_NODE_PACKAGE} is not installed (${native.detail})`;
  return initWasm(why);
}

function tensorflowUnavailable(native: Extract<TfjsNodeLoad, { loaded: false }>): string {
  const state = native.installed ? 'is installed but failed to load' : 'is not installed';
  return (
    `Backend '${TENSORFLOW}' was requested, but ${TFJS_NODE_PACKAGE} ${state} (${native.detail}). ` +
    `Install it with \`npm install ${TFJS_NODE_PACKAGE}@${tf.version_core}\` (its install script downloads ` +
    `libtensorflow, so it needs internet access and a supported OS/CPU), or choose backend 'auto' or 'wasm'.`
  );
}

async function initTensorflow(reason: string): Promise<BackendInfo> {
  if (!(await tf.setBackend(TENSORFLOW))) {
    throw new Error(`${TFJS_NODE_PACKAGE} loaded but the '${TENSORFLOW}' backend failed to initialise (see the warning above)`);
  }
  await tf.ready();
  return { name: TENSORFLOW, reason };
}

async function initWasm(why: string): Promise<BackendInfo> {
  const binaries = locateWasmBinaries();
  // Only sets where the binaries are loaded from; harmless if the backend is already initialised.
  // (tf.findBackend would start initialising it, with the default paths.)
  setWasmPaths(binaries.files);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend(WASM))) {
    throw new Error(`The wasm backend failed to initialise from ${binaries.dir} (see the warning above); ` + `reinstall @tensorflow/tfjs-backend-wasm`);
  }
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = getThreadsCount();
  return {
    name: WASM,
    reason: `${why}; using wasm with Transfer Lab's training kernels ` + `(${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`,
    threads,
  };
}
