/**
 * initBackend: the choice between tfjs-node and wasm and its reason, the error for an unavailable
 * `tensorflow` backend, idempotence, and the registration of our wasm kernels. The tests run in
 * order in one process, because the tfjs engine (and so the choice) is process-wide.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, registerWasmTrainingKernels } from '../../../src/core/backend/index.js';
import { loadTfjsNode } from '../../../src/core/backend/tfjs-node.js';
import { locateWasmBinaries } from '../../../src/core/backend/wasm-files.js';
import { isInstalledByUs } from '../../../src/core/backend/wasm-kernels/kernel-install.js';
import { WASM_TRAINING_KERNELS } from '../../../src/core/backend/wasm-kernels/register.js';

const nativeAvailable = loadTfjsNode().loaded;

test('the wasm binaries are found by absolute path', () => {
  const { dir, files } = locateWasmBinaries();
  assert.ok(path.isAbsolute(dir));
  for (const file of Object.values(files)) assert.ok(path.isAbsolute(file) && existsSync(file), file);
});

test("'tensorflow' without @tensorflow/tfjs-node fails with install instructions", { skip: nativeAvailable && 'tfjs-node is installed here' }, async () => {
  await assert.rejects(initBackend('tensorflow'), (err: Error) => {
    assert.match(err.message, /Backend 'tensorflow' was requested, but @tensorflow\/tfjs-node is not installed/);
    assert.ok(err.message.includes(`npm install @tensorflow/tfjs-node@${tf.version_core}`), err.message);
    assert.match(err.message, /'auto' or 'wasm'/);
    return true;
  });
});

test("'auto' without @tensorflow/tfjs-node falls back to wasm and says why", { skip: nativeAvailable && 'tfjs-node is installed here' }, async () => {
  const info = await initBackend('auto');
  assert.equal(info.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(info.reason, /^@tensorflow\/tfjs-node is not installed \(Cannot find module '@tensorflow\/tfjs-node'/);
  assert.match(info.reason, /using wasm with Transfer Lab's training kernels \((no )?SIMD, \d+ threads?\)$/);
  assert.ok(info.threads !== undefined && info.threads >= 1);
});

test('initBackend is idempotent and refuses to switch backends', { skip: nativeAvailable && 'tfjs-node is installed here' }, async () => {
  const first = await initBackend('auto');
  assert.equal(await initBackend('auto'), first);
  assert.equal(await initBackend('wasm'), first);
  await tf.setBackend('cpu');
  assert.equal(await initBackend('auto'), first);
  assert.equal(tf.getBackend(), 'wasm', 'a repeated call makes the chosen backend current again');
  await assert.rejects(initBackend('tensorflow'), /already initialised as 'wasm' \(requested 'auto'\); cannot switch to 'tensorflow'/);
});

test('every training kernel is installed on wasm, once', { skip: nativeAvailable && 'tfjs-node is installed here' }, () => {
  for (const { name } of WASM_TRAINING_KERNELS) assert.ok(isInstalledByUs(name, 'wasm'), `${name} not installed`);
  assert.deepEqual(registerWasmTrainingKernels(), []);
  assert.equal(isInstalledByUs('Conv2DBackpropFilter', 'cpu'), false);
});
