#!/usr/bin/env node
/**
 * `transfer-lab`: the headless front. Every command that trains forks the same worker the VS Code
 * extension uses and writes the same run store. Exit codes: 0 ok, 1 run failed or diverged, 2 bad input.
 */
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { runsCommand } from './commands/runs.js';
import { demoCommand } from './commands/demo.js';
import { adviseCommand } from './commands/advise.js';
import { filtersCommand } from './commands/filters.js';
import { sweepCommand } from './commands/sweep.js';
import { convertCommand } from './commands/convert.js';
import { modelsCommand } from './commands/models.js';
import { layersCommand } from './commands/layers.js';
import { cacheClearCommand, cacheLsCommand } from './commands/cache.js';
import { CACHE_DIR_ENV, CACHE_SIZE_ENV } from '../core/features/cache-config.js';
import { PREP_THREADS_ENV } from '../core/features/pass-helpers.js';
import type { BackendPreference } from '../protocol/worker.js';

const program = new Command();
const backendOption = () =>
  new Option('--backend <name>', 'tfjs backend: auto (tfjs-node when installed, else wasm), tensorflow, wasm')
    .choices(['auto', 'tensorflow', 'wasm'])
    .default('auto');
const runsDirOption = () => new Option('--runs-dir <dir>', 'run store root').default(path.join(process.cwd(), '.transfer-lab', 'runs'), './.transfer-lab/runs');

/** Parses `--seed`: an integer, else a usage error (exit 2). */
function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** Parses a count option: a positive integer, else a usage error (exit 2). */
function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Parses `--cache-size`: MiB ≥ 0, else a usage error (exit 2). */
function parseCacheSize(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a size in MiB ≥ 0 (0 turns the cache off)');
  return n;
}

program
  .name('transfer-lab')
  .description('Run transfer-learning experiments (*.transfer.json) headless.')
  .version('0.1.0')
  .showHelpAfterError('(transfer-lab help <command> for its options)')
  // Usage errors (unknown option, bad --seed) are bad input: exit 2, as the commands do. Set before
  // the commands are added, which inherit it.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .option('--cache-dir <dir>', `frozen-feature cache folder (env ${CACHE_DIR_ENV}; default ~/.cache/transfer-lab/features)`)
  .addOption(new Option('--cache-size <MiB>', `frozen-feature cache size cap, 0 = off (env ${CACHE_SIZE_ENV}; default 4096)`).argParser(parseCacheSize))
  .addOption(
    new Option('--prep-threads <n>', `threads for a run's frozen-feature pass (env ${PREP_THREADS_ENV}; default: the machine's cores)`).argParser(
      parsePositive,
    ),
  )
  // The worker inherits the environment: the cache options reach it (and `cache ls|clear`) this way.
  .hook('preAction', () => {
    const o = program.opts<{ cacheDir?: string; cacheSize?: number; prepThreads?: number }>();
    if (o.prepThreads !== undefined) process.env[PREP_THREADS_ENV] = String(o.prepThreads);
    if (o.cacheDir !== undefined) process.env[CACHE_DIR_ENV] = path.resolve(o.cacheDir);
    if (o.cacheSize !== undefined) process.env[CACHE_SIZE_ENV] = String(o.cacheSize);
  });

program
  .command('run')
  .description('train an experiment in a worker process and print its result')
  .argument('<file>', 'experiment file (*.transfer.json)')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .option('--json', 'print the run summary as JSON')
  .addOption(new Option('--seed <n>', "replace the experiment's training.seed (another label draw, split and initialisation)").argParser(parseSeed))
  .action(async (file: string, o: { runsDir: string; backend: BackendPreference; json?: boolean; seed?: number }) => {
    process.exitCode = await runCommand(file, o);
  });

program
  .command('predict')
  .description("classify image files (text files for a text run) with a run's best checkpoint and its training preprocessing (top-k per file)")
  .argument('<run>', 'run folder, or experiment file (*.transfer.json): its newest run with a checkpoint')
  .argument('<files...>', 'image (or text) files or folders (searched recursively)')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .addOption(new Option('--top-k <k>', 'classes listed per file (default 3)').argParser(parsePositive))
  .option('--json', 'print the predictions as JSON')
  .option('--csv', 'print the predictions as CSV (file, class_1, probability_1, …)')
  .action(async (run: string, files: string[], o: { runsDir: string; backend: BackendPreference; topK?: number; json?: boolean; csv?: boolean }) => {
    // Imported on use: it loads tfjs with the wasm backend, which other in-process commands (convert, layers) must not see registered.
    const { predictCommand } = await import('./commands/predict.js');
    process.exitCode = await predictCommand(run, files, o);
  });

program
  .command('validate')
  .description('check an experiment file against the schema and the semantic rules')
  .argument('<file>', 'experiment file (*.transfer.json)')
  .option('--json', 'print problems as JSON')
  .addOption(runsDirOption())
  .action(async (file: string, o: { json?: boolean; runsDir: string }) => {
    process.exitCode = await validateCommand(file, o);
  });

program
  .command('runs')
  .description('list runs, of one experiment or all')
  .argument('[file]', 'experiment file')
  .addOption(runsDirOption())
  .option('--json', 'print as JSON')
  .action((file: string | undefined, o: { runsDir: string; json?: boolean }) => {
    process.exitCode = runsCommand(file, o);
  });

program
  .command('demo')
  .description('MNIST digits 0–4 → 5–9 with 10 and 50 labels per class: scratch vs feature extraction vs fine-tuning')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .option('--json', 'print the table as JSON')
  .addOption(new Option('--jobs <n>', 'target runs at a time (default: the number of cores)').argParser(parsePositive))
  .action(async (o: { runsDir: string; backend: BackendPreference; json?: boolean; jobs?: number }) => {
    process.exitCode = await demoCommand({
      ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
      examplesDir: path.join(__dirname, '..', 'examples'),
      runsDir: o.runsDir,
      outDir: path.join(path.dirname(o.runsDir), 'demo'),
      backend: o.backend,
      json: o.json,
    });
  });

program
  .command('sweep')
  .description('fit a linear head on each candidate cut layer of the base (earlier-layer features) and score it on validation data')
  .argument('<file>', 'experiment file (*.transfer.json)')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .option('--apply', 'set transfer.cutLayer to the best layer in the file')
  .option('--json', 'print layer-sweep.json')
  .action(async (file: string, o: { runsDir: string; backend: BackendPreference; json?: boolean; apply?: boolean }) => {
    process.exitCode = await sweepCommand(file, o);
  });

program
  .command('filters')
  .description("compare the base's first convolution filters with Gabor filters (best match and correlation per filter)")
  .argument('<file>', 'experiment file (*.transfer.json)')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .option('--json', 'print gabor-match.json')
  .action(async (file: string, o: { runsDir: string; backend: BackendPreference; json?: boolean }) => {
    process.exitCode = await filtersCommand(file, o);
  });

program
  .command('advise')
  .description('recommend a transfer strategy from the target size per class and its similarity to the source')
  .argument('<file>', 'experiment file (*.transfer.json) of the target task')
  .addOption(runsDirOption())
  .addOption(backendOption())
  .option('--source <file>', 'source experiment file (default: the experiment of a "run" base)')
  .option('--small-per-class <n>', 'median labelled examples per class below which the target is small', Number)
  .option('--different-accuracy <x>', 'domain-classifier accuracy from which the target counts as different', Number)
  .option('--max-specificity-gap <x>', 'validation-accuracy lead of an earlier layer over the default cut above which the target counts as different', Number)
  .option('--apply', 'write the recommended edit into the file')
  .option('--json', 'print advice.json')
  .action(
    async (
      file: string,
      o: {
        runsDir: string;
        backend: BackendPreference;
        json?: boolean;
        apply?: boolean;
        source?: string;
        smallPerClass?: number;
        differentAccuracy?: number;
        maxSpecificityGap?: number;
      },
    ) => {
      const thresholds = {
        ...(o.smallPerClass !== undefined ? { smallPerClass: o.smallPerClass } : {}),
        ...(o.differentAccuracy !== undefined ? { differentDomainAccuracy: o.differentAccuracy } : {}),
        ...(o.maxSpecificityGap !== undefined ? { maxSpecificityGap: o.maxSpecificityGap } : {}),
      };
      process.exitCode = await adviseCommand(file, { ...o, taskOptions: { thresholds, ...(o.source ? { sourceExperiment: path.resolve(o.source) } : {}) } });
    },
  );

program
  .command('layers')
  .description("print the layers (index, name, class, output shape, parameters, trainable) of a model file or an experiment's base")
  .argument('<file>', 'model.json, Keras .h5, or experiment file (*.transfer.json)')
  .addOption(runsDirOption())
  .option('--json', 'print the layers as JSON')
  .action(async (file: string, o: { runsDir: string; json?: boolean }) => {
    process.exitCode = await layersCommand(file, o);
  });

program
  .command('models')
  .description('list the catalogue of well-known models ({"kind": "catalog"}) and the Keras Applications recognised by file name')
  .option('--json', 'print the catalogue as JSON')
  .action((o: { json?: boolean }) => {
    process.exitCode = modelsCommand(o);
  });

program
  .command('convert')
  .description('convert a Keras model file (.h5, .keras) into a TensorFlow.js Layers folder (model.json + weights.bin)')
  .argument('<file>', 'Keras model file (model.save("model.h5") or a Keras 3 .keras)')
  .argument('<dir>', 'output folder')
  .action(async (file: string, dir: string) => {
    process.exitCode = await convertCommand(file, dir);
  });

const cache = program.command('cache').description('the persistent frozen-feature cache shared by runs, sweeps, advice and unsupervised runs');
cache
  .command('ls')
  .description('list the cached frozen passes: examples, size, last use')
  .option('--json', 'print as JSON')
  .action((o: { json?: boolean }) => {
    process.exitCode = cacheLsCommand(o);
  });
cache
  .command('clear')
  .description('delete every cached feature')
  .action(() => {
    process.exitCode = cacheClearCommand();
  });

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 2;
});
