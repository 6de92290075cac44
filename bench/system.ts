/**
 * What the benchmark ran on: CPU, cores, Node and tfjs versions, whether `@tensorflow/tfjs-node`
 * is available (it is benchmarked too when it is), and the load average, sampled around every run
 * because other processes on a shared machine change the figures.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadTfjsNode, TFJS_NODE_PACKAGE } from '../src/core/backend/tfjs-node.js';

/** The machine and software versions. */
export interface SystemInfo {
  cpu: string;
  cores: number;
  node: string;
  tfjs: string;
  /** Whether the native backend can be benchmarked, and why not when it cannot. */
  tfjsNode: { available: boolean; detail: string };
}

/** Describes this machine (loads `@tensorflow/tfjs-node` if installed, to see whether it works). */
export function systemInfo(): SystemInfo {
  const native = loadTfjsNode();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    tfjs: tf.version_core,
    tfjsNode: native.loaded
      ? { available: true, detail: `${TFJS_NODE_PACKAGE} loaded: the native backend is benchmarked too` }
      : {
          available: false,
          detail:
            `${TFJS_NODE_PACKAGE} ${native.installed ? 'failed to load' : 'is not installed'} (${native.detail}); ` +
            'its install script downloads libtensorflow, which this machine cannot, so only wasm is benchmarked',
        },
  };
}

/** The 1-minute load average now (runnable processes, averaged). */
export function loadAverage(): number {
  return os.loadavg()[0]!;
}
