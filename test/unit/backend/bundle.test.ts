/**
 * The backend module works when bundled the way esbuild.config.mjs bundles the worker (CommonJS,
 * all of @tensorflow/* external): a bundle that calls initBackend('auto') and differentiates a
 * conv2d runs in a child process from a folder outside the repository.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';

const repo = path.resolve(__dirname, '../../..');

const ENTRY = `
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/core/backend/index';
initBackend('auto').then(async (info) => {
  const x = tf.ones([1, 5, 5, 2]) as tf.Tensor4D;
  const dw = tf.grad((w: tf.Tensor4D) => tf.sum(tf.conv2d(x, w, 1, 'same')))(tf.ones([3, 3, 2, 4]));
  console.log(JSON.stringify({ info, sum: (await tf.sum(dw).data())[0] }));
});
`;

test('a CommonJS bundle with @tensorflow/* external initialises wasm and trains a conv', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'transfer-lab-bundle-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const outfile = path.join(dir, 'worker.js');
  await esbuild.build({
    stdin: { contents: ENTRY, loader: 'ts', resolveDir: repo, sourcefile: 'bundle-entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@tensorflow/*'],
    outfile,
    logLevel: 'silent',
  });
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
    cwd: dir,
    env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') },
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { info: { name: string; reason: string }; sum: number };
  t.diagnostic(`bundled backend: ${result.info.name} (${result.info.reason})`);
  assert.ok(['wasm', 'tensorflow'].includes(result.info.name));
  // All-ones 5×5 input, 'same' 3×3: each tap sees 4, 5 or 4 rows (and columns) → (4+5+4)² per channel pair.
  assert.equal(result.sum, 13 * 13 * 2 * 4);
});
