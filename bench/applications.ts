/**
 * Build time and memory of each Keras Applications builder (`src/core/models/keras/applications/`):
 * each architecture is built with its ImageNet top in a fresh process (random initial weights, the
 * work `run` does before it writes a weights file into them), on the wasm backend as runs use.
 * Prints milliseconds to build, parameters, tfjs tensor bytes, and the process's RSS growth.
 * Figures only, no assertions. Usage: npm run bench:applications [-- Name …]
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { KERAS_APPLICATIONS, type KerasApplication } from '../src/core/models/keras/applications/names.js';

interface Figures {
  name: string;
  ms: number;
  params: number;
  tensorMB: number;
  rssMB: number;
}

async function child(name: KerasApplication): Promise<void> {
  const { initBackend } = await import('../src/core/backend/index.js');
  const tf = await import('@tensorflow/tfjs');
  const { buildApplication } = await import('../src/core/models/keras/applications/build.js');
  await initBackend('wasm');
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = buildApplication(name);
  const ms = performance.now() - t0;
  const out: Figures = { name, ms, params: model.countParams(), tensorMB: tf.memory().numBytes / 2 ** 20, rssMB: (process.memoryUsage().rss - rss0) / 2 ** 20 };
  process.stdout.write(JSON.stringify(out) + '\n');
}

function main(): void {
  const names = process.argv.slice(2).filter((a) => (KERAS_APPLICATIONS as readonly string[]).includes(a)) as KerasApplication[];
  const list = names.length > 0 ? names : [...KERAS_APPLICATIONS];
  console.log(
    `Keras Applications builders (wasm backend, fresh process each; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${os.cpus().length} CPUs)`,
  );
  console.log('architecture      build ms   parameters   tensors MB   RSS growth MB');
  for (const name of list) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', name], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    if (r.status !== 0 || !line) {
      console.log(`${name.padEnd(16)}  failed: ${r.stderr.trim().split('\n').pop()}`);
      continue;
    }
    const f = JSON.parse(line) as Figures;
    console.log(
      `${f.name.padEnd(16)} ${f.ms.toFixed(0).padStart(9)} ${f.params.toLocaleString('en-US').padStart(12)} ${f.tensorMB.toFixed(1).padStart(12)} ${f.rssMB.toFixed(0).padStart(15)}`,
    );
  }
}

if (process.argv[2] === '--child') void child(process.argv[3] as KerasApplication);
else main();
