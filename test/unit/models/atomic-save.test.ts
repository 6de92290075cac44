// Checkpoint saves are atomic: a process killed with SIGKILL at a random moment while it saves a
// 16 MB model over and over leaves a model.json that loads, with every weight from one whole save
// (the one it last reported or the one it was writing), never a torn mix or a short weight file.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { loadModelFile, saveModel } from '../../../src/core/models/io.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const CHILD = path.join(ROOT, 'test', 'fixtures', 'save-loop.ts');

before(async () => {
  await initBackend('wasm');
});

/** Starts the save loop in `dir`, kills it (SIGKILL) `delayMs` after its `firstSaves`-th save, and returns the last save it reported. */
function killDuringSaves(dir: string, firstSaves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const saves = out.split('\n').filter((l) => l.startsWith('saved ')).length;
      if (!armed && saves >= firstSaves) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`save loop ended by itself (${code}): ${err}`));
      const saved = out
        .split('\n')
        .filter((l) => l.startsWith('saved '))
        .map((l) => Number(l.slice(6)));
      resolve(saved.length ? saved[saved.length - 1]! : 0);
    });
  });
}

test('SIGKILL during checkpoint saves never leaves a torn checkpoint (10 kills at random moments)', { timeout: 600_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-atomic-'));
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      // Kill 0–400 ms after the second save of this attempt: the weights are 16 MB, so many kills land mid-save.
      const reported = await killDuringSaves(dir, 2, Math.floor(Math.random() * 400));
      const model = await loadModelFile(path.join(dir, 'model.json'));
      const k = Number(JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).userDefinedMetadata.k);
      const [kernel, bias] = model.getWeights().map((w) => w.dataSync());
      assert.equal(kernel!.length, 2048 * 2048);
      // Every weight is the k of the model.json that names it: one whole save (no mix of two saves).
      assert.ok(kernel!.every((v) => v === k) && bias!.every((v) => v === k), `attempt ${attempt}: weights are not all ${k}`);
      assert.ok(k === reported || k === reported + 1, `attempt ${attempt}: checkpoint of save ${k}, the loop had reported save ${reported}`);
      assert.ok(reported >= 2);
      model.dispose();
    }
    // Only the weight file model.json names is left (a killed save's partial file is replaced by the next save).
    const named = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths as string[];
    await saveModel(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }), dir);
    assert.equal(named.length, 1);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
