/**
 * Speed of text transfer on wasm (issue 14's goals), figures not tests:
 * - `load`: the shipped GloVe subset (assets/vectors/glove-100d.tlvec) loads in < 2 s — wall time of
 *   `loadShippedVectors()` in a fresh process (the first call: file read, int8 decode), and of the
 *   embedding matrix built from it;
 * - `frozen`: a `featureExtraction` run on 2,000 SpamAssassin e-mails (1,000 per class, maxLength 256,
 *   mean pooling, 20 epochs of the linear head, batch 32) trains in < 30 s on one wasm thread —
 *   through `runExperiment` (the worker's code path), the persistent feature cache off so the
 *   features are computed; printed: whole run, preparation (data + frozen features), head training;
 * - `fineTune`: the same 2,000 e-mails with the embedding (40,002 rows × 100: the whole shipped
 *   vocabulary) trained: one head epoch, then one epoch with the embedding unfrozen; printed: median
 *   step time (batch 32) in each stage, epoch seconds and the peak RSS of the process (our wasm
 *   `UnsortedSegmentSum` kernel computes the embedding gradient; the issue's cpu-backend figure for a
 *   20k vocabulary was > 400 s and 4.4 GB).
 * Each part runs in its own child process, so the peak RSS is that part's own.
 *
 * Usage: npx tsx bench/text-speed.ts [--part load|frozen|fineTune]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { runExperiment } from '../src/core/tasks/train.js';
import { loadShippedVectors } from '../src/core/text/vectors.js';
import { embeddingMatrix } from '../src/core/models/text-base.js';

const args = process.argv.slice(2);
const part = args.includes('--part') ? args[args.indexOf('--part') + 1] : undefined;
const rssMB = () => process.resourceUsage().maxRSS / 1024;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

function experiment(strategy: 'featureExtraction' | 'fineTune'): object {
  return {
    base: { kind: 'wordVectors', vectors: 'glove-100d', encoder: 'mean' },
    data: { train: { kind: 'spamAssassin' }, split: { validation: 0.1, test: 0.3, trainPerClass: 1000 }, text: { maxLength: 256 } },
    transfer:
      strategy === 'fineTune'
        ? {
            strategy,
            head: { units: [] },
            stages: [
              { name: 'head', epochs: 1, freeze: { all: true } },
              { name: 'embedding', epochs: 1, freeze: {} },
            ],
          }
        : { strategy, head: { units: [] } },
    learningRate: { base: 0.01, baseMultiplier: 0.1 },
    training: { epochs: strategy === 'fineTune' ? 2 : 20, batchSize: 32, checkpoints: 'best' },
  };
}

async function timedRun(strategy: 'featureExtraction' | 'fineTune'): Promise<void> {
  process.env.TRANSFER_LAB_CACHE_SIZE_MB = '0';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-speed-'));
  const file = path.join(dir, `${strategy}.transfer.json`);
  fs.writeFileSync(file, JSON.stringify(experiment(strategy)));
  const t0 = performance.now();
  let firstStep: number | undefined;
  let examples = 0;
  const steps: { stage: number; t: number }[] = [];
  const epochs: { stage: number; seconds: number }[] = [];
  const summary = await runExperiment(
    { experimentFile: file, runsDir: path.join(dir, 'runs'), backend: 'wasm', seed: 1 },
    {
      event: (_id, e) => {
        if (e.kind === 'step') {
          firstStep ??= performance.now();
          steps.push({ stage: e.stage, t: performance.now() });
        } else if (e.kind === 'epoch') epochs.push({ stage: e.stage, seconds: e.seconds });
      },
      started: () => undefined,
      summary: (_id, s) => {
        examples = s.examples?.train ?? 0;
      },
    },
  );
  const total = (performance.now() - t0) / 1000;
  if (summary.status !== 'completed') throw new Error(`${strategy}: ${summary.status} ${summary.error ?? ''}`);
  const threads = getThreadsCount();
  const acc = summary.test ? `, test accuracy ${(100 * summary.test.accuracy).toFixed(1)}%` : '';
  if (strategy === 'featureExtraction') {
    const train = epochs.reduce((s, e) => s + e.seconds, 0);
    console.log(
      `frozen GloVe (featureExtraction) on ${examples || 2000} e-mails, ${epochs.length} epochs, ${threads} wasm thread(s): ` +
        `whole run ${total.toFixed(1)} s (preparation incl. frozen features ${((firstStep! - t0) / 1000).toFixed(1)} s, head epochs ${train.toFixed(1)} s)${acc}; ` +
        `goal < 30 s: ${total < 30 ? 'met' : 'NOT met'}; peak RSS ${rssMB().toFixed(0)} MB`,
    );
  } else {
    for (const stage of [0, 1]) {
      const ts = steps.filter((s) => s.stage === stage).map((s) => s.t);
      const diffs = ts.slice(1).map((t, i) => (t - ts[i]!) / 1000);
      const ep = epochs.filter((e) => e.stage === stage).reduce((s, e) => s + e.seconds, 0);
      console.log(
        `fineTune stage ${stage} (${stage === 0 ? 'head only, embedding frozen' : 'embedding 40,002 × 100 trained'}): ` +
          `${ts.length} steps of 32, median step ${(1000 * median(diffs)).toFixed(0)} ms, epoch ${ep.toFixed(1)} s`,
      );
    }
    console.log(
      `fineTune run on ${examples || 2000} e-mails, ${threads} wasm thread(s): whole run ${total.toFixed(1)} s${acc}; peak RSS ${rssMB().toFixed(0)} MB`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (part === 'load') {
    const t0 = performance.now();
    const v = loadShippedVectors();
    const t1 = performance.now();
    embeddingMatrix(v);
    const t2 = performance.now();
    console.log(
      `shipped vectors: ${v.words.length} words × ${v.dim} d loaded in ${((t1 - t0) / 1000).toFixed(3)} s (fresh process); ` +
        `embedding matrix built in ${((t2 - t1) / 1000).toFixed(3)} s; goal < 2 s: ${t1 - t0 < 2000 ? 'met' : 'NOT met'}`,
    );
  } else if (part === 'frozen') await timedRun('featureExtraction');
  else if (part === 'fineTune') await timedRun('fineTune');
  else {
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, ${os.cpus().length} CPUs`,
    );
    for (const p of ['load', 'frozen', 'fineTune']) {
      process.stdout.write(
        execFileSync(process.execPath, [...process.execArgv, __filename, '--part', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
      );
    }
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
