/**
 * The `train` task: one run of an experiment, end to end — backend, experiment file, data, network,
 * run record, training, test evaluation on the saved checkpoint, transductive adaptation, summary.
 * An unsupervised experiment is recorded as an analysis run (`unsupervised.ts`). The worker process
 * calls this (through `run-task.ts`); so do tests that need a run without a child process.
 */
import { describePixelStats } from '../data/sources/pixel-cache.js';
import * as path from 'node:path';
import { describeMetadata } from '../models/metadata.js';
import { DataError, loadData } from '../data/index.js';
import { augmentBatch } from '../data/augment.js';
import { deriveSeed, Rng } from '../data/rng.js';
import { buildNetwork, loadBase, type LoadedBase } from '../models/network.js';
import { describeCoverage, documentSnippets } from '../text/encode.js';
import { loadModelFile, saveModel } from '../models/io.js';
import type { BackendInfo, RunEvent, RunSummary } from '../runs/events.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import { evaluationReport, predictLogits } from '../evaluation/evaluate.js';
import { Trainer } from '../training/trainer.js';
import { adaptTransductive } from '../training/transductive.js';
import { runAnalysis } from './analysis.js';
import { skippedSummary } from '../runs/skipped.js';
import type { RunOptions } from './options.js';
import { prepareTask } from './prepare.js';
import { RunRecorder, type RunCallbacks } from './recorder.js';
import { runUnsupervised } from './unsupervised.js';
import { cacheFromEnv, describeCacheUse } from '../features/cache-config.js';

/**
 * Runs an experiment file to the end and returns its summary.
 * @throws ExperimentError (bad file: exit code 2), DataError / ModelError (bad data or model: 2),
 *   before a run folder exists. Errors after that are recorded as a `failed` run and returned.
 */
export async function runExperiment(opts: RunOptions, cb: RunCallbacks = {}): Promise<RunSummary> {
  const { backend, exp } = await prepareTask(opts, cb);
  const base = await loadBase(exp, { runsDir: opts.runsDir, ...(cb.download ? { onDownload: cb.download } : {}) });
  try {
    return await runOnBase(opts, cb, backend, exp, base);
  } finally {
    // The network shares the base's layers up to the cut (disposed with the network); the loaded model
    // holds the rest (the old head) and one reference to the shared ones: without this each run kept them.
    base.model.dispose();
  }
}

async function runOnBase(opts: RunOptions, cb: RunCallbacks, backend: BackendInfo, exp: ResolvedExperiment, base: LoadedBase): Promise<RunSummary> {
  // One persistent cache for the run: decoded photos (loadData) and frozen features (the trainer, analyses).
  const cache = cacheFromEnv();
  const data = await loadData(exp.data, {
    inputShape: base.inputShape,
    seed: exp.training.seed,
    cache,
    ...(base.text ? { text: base.text } : {}),
    ...(cb.phase ? { progress: cb.phase } : {}),
  });
  const numClasses = data.classNames.length;
  const net = buildNetwork(exp, base, numClasses);
  const shape = data.train.shape;
  if (shape.length === 3 && shape.join('×') !== net.inputShape.join('×')) {
    net.model.dispose();
    throw new DataError(
      `examples are [${shape.join(', ')}] but the network takes [${net.inputShape.join(', ')}]: set base.inputShape to [${shape.join(', ')}] ` +
        `to run the base at that size (a convolutional base can)${exp.data.image.size ? ', or remove data.image.size' : ''}`,
      exp.data.image.size ? 'data.image.size' : 'base.inputShape',
    );
  }
  if (exp.transfer.kind === 'unsupervised') {
    // Nothing trains: features → PCA → k-means, recorded as an analysis run.
    const s = await runAnalysis(exp, opts.runsDir, backend, cb, 'train', 'unsupervised', async (rec) => {
      const skipped = skippedSummary(data.skipped);
      if (skipped) rec.summary.skipped = skipped;
      for (const f of data.skipped) rec.emit({ kind: 'log', level: 'warn', message: `skipped ${f.file}: ${f.reason}` });
      if (data.photos) rec.emit({ kind: 'log', level: 'info', message: `photos: ${describePixelStats(data.photos)}`, topic: 'preparation' });
      await runUnsupervised(rec, net, data, cache);
      rec.emit({ kind: 'log', level: 'info', message: `frozen features: ${describeCacheUse(cache)}`, topic: 'preparation' });
    });
    net.model.dispose();
    return s;
  }

  const skipped = skippedSummary(data.skipped);
  const rec = RunRecorder.open(exp, opts.runsDir, backend, cb, {
    strategy: exp.transfer.strategy,
    epochsPlanned: exp.training.epochs,
    summary: {
      stepsPerEpoch: Math.max(1, Math.ceil(data.train.count / exp.training.batchSize)),
      examples: { train: data.train.count, validation: data.validation.count, test: data.test?.count ?? 0 },
      ...(skipped ? { skipped } : {}),
      ...(exp.transfer.kind !== 'inductive' ? { transferKind: exp.transfer.kind } : {}),
    },
  });
  const summary = rec.summary;
  // Set when the trainer saved the `best` checkpoint for the epoch whose event comes next.
  let bestSaved = false;
  const emit = (e: RunEvent) => {
    rec.emit(e);
    if (e.kind === 'epoch') {
      if (!e.partial) summary.epochsDone = e.epoch + 1;
      if (bestSaved) {
        // The best epoch so far is in summary.json from the moment its checkpoint is saved, so a killed run reads 'interrupted' with it.
        summary.bestEpoch = e.epoch;
        summary.best = { ...(e.valLoss !== undefined ? { valLoss: e.valLoss } : {}), ...(e.valAccuracy !== undefined ? { valAccuracy: e.valAccuracy } : {}) };
        bestSaved = false;
      }
      summary.final = { trainLoss: e.trainLoss, trainAccuracy: e.trainAccuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy };
      rec.writeSummary();
    }
  };
  rec.run.writeLabels(data.classNames);
  rec.start();
  emit({
    kind: 'log',
    level: 'info',
    message: `base ${base.source}; ${net.baseLayers.length} base layers, cut at "${net.baseLayers[net.baseLayers.length - 1]}" (features ${net.featureShape.join('×')}); ${numClasses} classes`,
  });
  if (net.droppedLayers.length > 0) {
    const what = net.droppedModel ? `the nested model "${net.droppedModel}" (${net.droppedLayers.join(', ')})` : net.droppedLayers.join(', ');
    emit({ kind: 'log', level: 'info', message: `old head dropped: ${what}` });
  }
  if (base.metadata) emit({ kind: 'log', level: 'info', message: `${base.metadata.file}: ${describeMetadata(base.metadata)}` });
  if (base.metadataProblem) emit({ kind: 'log', level: 'warn', message: `${base.metadataProblem} (ignored)` });
  if (data.photos) emit({ kind: 'log', level: 'info', message: `photos: ${describePixelStats(data.photos)}`, topic: 'preparation' });
  for (const s of data.skipped) emit({ kind: 'log', level: 'warn', message: `skipped ${s.file}: ${s.reason}` });
  for (const [role, stats] of Object.entries(data.text ?? {})) {
    emit({ kind: 'log', level: 'info', message: `text ${role}: ${describeCoverage(stats)}` });
  }

  const augmentRng = new Rng(deriveSeed(exp.training.seed, 'augment'));
  const augment = exp.data.augment;
  if (opts.helpers?.problem) emit({ kind: 'log', level: 'warn', message: opts.helpers.problem });
  const trainer = new Trainer(exp, net, numClasses, cache, opts.helpers);
  // A text checkpoint carries its vocabulary (embedding rows 2..) so that it can be the `run` base of another text experiment.
  const metadata = {
    labels: data.classNames,
    experiment: exp.name,
    runId: rec.id,
    inputShape: net.inputShape,
    ...(base.text ? { vocabulary: base.text.words } : {}),
  };
  try {
    const result = await trainer.train(data.train, data.validation, {
      emit,
      shouldStop: () => rec.shouldStop(),
      ...(cb.phase ? { progress: cb.phase } : {}),
      saveCheckpoint: async (which) => {
        await saveModel(net.model, rec.run.checkpointDir(which), metadata);
        if (which === 'best') bestSaved = true;
      },
      ...(augment ? { augment: (x: Float32Array) => augmentBatch(x, data.train.shape, augment, augmentRng, data.train.range) } : {}),
    });
    summary.status = result.status;
    summary.epochsDone = result.epochsDone;
    if (result.bestEpoch !== undefined) summary.bestEpoch = result.bestEpoch;
    if (result.best) summary.best = result.best;
    if (result.final) summary.final = result.final;
    if (result.error) summary.error = result.error;
    const which = result.checkpoints.best ? 'best' : result.checkpoints.last ? 'last' : undefined;
    // The reported checkpoint on the test split (else validation): summary.test and evaluation.json.
    const evalSplit = data.test && data.test.count > 0 ? ('test' as const) : data.validation.count > 0 ? ('validation' as const) : undefined;
    if (evalSplit && which && result.status !== 'diverged') {
      const set = evalSplit === 'test' ? data.test! : data.validation;
      const saved = await loadModelFile(path.join(rec.run.checkpointDir(which), 'model.json'));
      const { logits } = predictLogits(saved, set, trainer.inferenceBatch);
      saved.dispose();
      const text = documentSnippets(set);
      const report = evaluationReport(logits, set, {
        experiment: exp.name,
        split: evalSplit,
        checkpoint: which,
        classNames: data.classNames,
        ...(text ? { text } : {}),
      });
      if (evalSplit === 'test') {
        summary.test = { loss: report.loss, accuracy: report.accuracy, checkpoint: which, examples: set.count };
        emit({ kind: 'test', loss: report.loss, accuracy: report.accuracy, checkpoint: which, examples: set.count });
      }
      rec.writeArtifact('evaluation', report);
    }
    if (exp.transfer.kind === 'transductive' && result.status === 'completed') {
      await adaptTransductive(exp, net, data, {
        emit,
        shouldStop: () => rec.shouldStop(),
        writeArtifact: (name, value) => rec.writeArtifact(name, value),
        result: (name, value, unit) => rec.result(name, value, unit),
        runDir: rec.dir,
        ...(which ? { startCheckpoint: path.join(rec.run.checkpointDir(which), 'model.json') } : {}),
        metadata,
      });
    }
  } catch (e) {
    rec.fail(e);
  } finally {
    trainer.dispose();
  }
  const final = rec.finish();
  net.model.dispose();
  return final;
}
