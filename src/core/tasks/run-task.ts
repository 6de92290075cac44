/**
 * Every task a worker can run on an experiment file, each recorded as a run: `train` (train.ts: the
 * experiment's own kind — inductive, transductive or unsupervised), and the analyses `layerSweep`
 * (linear heads on each candidate cut layer), `gaborMatch` (the base's first-layer filters against
 * Gabor kernels) and `advise` (the strategy advisor).
 */
import { advise, adviceSource } from '../advisor/advise.js';
import { loadData } from '../data/index.js';
import { layerSweep, sweepExperiment } from '../features/layer-sweep.js';
import { matchFilters } from '../gabor/match.js';
import { flattenModel } from '../models/graph.js';
import { ModelError } from '../models/io.js';
import { buildNetwork, loadBase } from '../models/network.js';
import type { RunTask } from '../runs/artifacts.js';
import type { RunSummary } from '../runs/events.js';
import { runAnalysis } from './analysis.js';
import { skippedSummary } from '../runs/skipped.js';
import type { RunOptions, TaskOptions } from './options.js';
import { prepareTask } from './prepare.js';
import type { RunCallbacks } from './recorder.js';
import { runExperiment } from './train.js';
import { cacheFromEnv, describeCacheUse } from '../features/cache-config.js';

/**
 * Runs `task` on the experiment file of `opts`.
 * @throws like `runExperiment` before a run folder exists (bad file, data or model).
 */
export async function runTask(task: RunTask, opts: RunOptions, cb: RunCallbacks = {}, taskOptions: TaskOptions = {}): Promise<RunSummary> {
  if (task === 'train') return runExperiment(opts, cb);
  const { backend, exp } = await prepareTask(opts, cb);
  const ctx = { runsDir: opts.runsDir, ...(cb.download ? { onDownload: cb.download } : {}) };
  switch (task) {
    case 'layerSweep': {
      const swept = sweepExperiment(exp);
      const base = await loadBase(swept, ctx);
      const cache = cacheFromEnv();
      const data = await loadData(exp.data, { inputShape: base.inputShape, seed: exp.training.seed, cache, ...(base.text ? { text: base.text } : {}) });
      const net = buildNetwork(swept, base, data.classNames.length);
      try {
        return await runAnalysis(exp, opts.runsDir, backend, cb, task, 'layerSweep', async (a) => {
          a.summary.examples = { train: data.train.count, validation: data.validation.count, test: data.test?.count ?? 0 };
          const skipped = skippedSummary(data.skipped);
          if (skipped) a.summary.skipped = skipped;
          for (const f of data.skipped) a.emit({ kind: 'log', level: 'warn', message: `skipped ${f.file}: ${f.reason}` });
          const sets = { classes: data.classNames.length, train: data.train, validation: data.validation, ...(data.test ? { test: data.test } : {}) };
          const file = layerSweep(
            exp,
            net,
            sets,
            base.source,
            (e) => {
              a.emit(e);
              return a.shouldStop();
            },
            cache,
          );
          a.emit({ kind: 'log', level: 'info', message: `frozen features: ${describeCacheUse(cache)}`, topic: 'preparation' });
          a.writeArtifact('layerSweep', file);
          for (const l of file.layers) if (l.valAccuracy !== undefined) a.result(`val accuracy ${l.layer}`, l.valAccuracy, 'fraction');
          // The sweep's choice (ties broken by fewer features, then the earlier layer), for the CLI table and the Experiments view.
          const best = file.layers.find((l) => l.layer === file.best);
          if (best?.valAccuracy !== undefined) a.result(`best cut ${best.layer}`, best.valAccuracy, 'fraction');
        });
      } finally {
        net.model.dispose();
        base.model.dispose(); // the old head and the base's own reference to the shared layers
      }
    }
    case 'gaborMatch': {
      const base = await loadBase(exp, ctx);
      try {
        const graph = flattenModel(base.model);
        const op = graph.ops.find((o) => o.layer.getClassName() === 'Conv2D');
        if (!op) throw new ModelError('the base has no Conv2D layer to compare with Gabor filters', base.source);
        const kernel = op.layer.getWeights()[0]!;
        const shape = kernel.shape as [number, number, number, number];
        const values = kernel.dataSync() as Float32Array;
        return await runAnalysis(exp, opts.runsDir, backend, cb, task, 'gaborMatch', async (a) => {
          const file = matchFilters({
            experiment: exp.name,
            baseSource: base.source,
            layer: op.layer.name,
            className: op.layer.getClassName(),
            kernel: values,
            shape,
          });
          a.writeArtifact('gaborMatch', file);
          a.result('mean correlation', file.meanCorrelation);
          a.result('median correlation', file.medianCorrelation);
          a.result('chance: mean correlation of random kernels', file.chance.meanCorrelation);
        });
      } finally {
        base.model.dispose();
      }
    }
    case 'advise':
      adviceSource(exp, taskOptions); // a missing source is bad input (exit 2), found before a run is recorded
      return runAnalysis(exp, opts.runsDir, backend, cb, task, 'advise', async (a) => {
        const cache = cacheFromEnv();
        const report = await advise(exp, ctx, { ...taskOptions, cache, log: (message) => a.emit({ kind: 'log', level: 'info', message }) });
        a.emit({ kind: 'log', level: 'info', message: `frozen features: ${describeCacheUse(cache)}`, topic: 'preparation' });
        a.writeArtifact('advice', report);
        a.result('median labelled examples per class', report.target.medianPerClass);
        a.result('domain classifier accuracy', report.similarity.domainAccuracy, 'fraction');
        a.result('nearest-neighbour distance ratio', report.similarity.nearestNeighbourRatio);
        a.result('mean shift', report.similarity.meanShift);
        a.emit({ kind: 'log', level: 'info', message: `advice: ${report.verdict.advice}` });
      });
  }
}
