/**
 * Builds the network an experiment trains: the base (built-in, loaded from disk or URL, or another
 * run's checkpoint), cut at the cut layer, optionally run at a new input size, with a new head.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedExperiment } from '../experiment/types.js';
import { buildBuiltin, BUILTIN_INPUT_SHAPES } from './builtin.js';
import { buildGaborBase, GABOR_DEFAULT_INPUT } from '../gabor/base.js';
import { defaultCut } from './cut.js';
import { buildFlatModel, flattenModel, type OpGraph } from './graph.js';
import { loadModelFile, ModelError } from './io.js';
import type { DownloadProgress } from './download.js';
import { DownloadError, loadUrlModel } from './url-base.js';
import { catalogEntry, catalogUrl } from './catalog.js';
import { loadKerasBase } from './keras/load.js';
import { isKerasPath } from './keras/read.js';
import { readModelMetadata, type ModelMetadata } from './metadata.js';
import { buildTextBase } from './text-base.js';
import { readVocabularyFile } from '../text/vocabulary-file.js';
import { vocabularyOf, type Vocabulary } from '../text/encode.js';
import { loadVectors } from '../text/vectors.js';
import { experimentNameOfFile, latestCheckpoint } from '../experiment/name.js';
import { experimentRunsDir } from '../runs/store.js';

/** The network to train: one flat functional model, its op graph, and where the base ends. */
export interface Network {
  /** Flat model [batch, h, w, c] → logits [batch, numClasses]; shares weights with `graph`. */
  model: tf.LayersModel;
  graph: OpGraph;
  /** Ops `0..baseOps-1` are the base (up to the cut layer); the rest are the new head. */
  baseOps: number;
  /** Names of the base layers in op order. */
  baseLayers: string[];
  /** Layers of the loaded model after the cut, left out of the network (the old head), in order. */
  droppedLayers: string[];
  /** The nested model dropped as a whole by the default cut (e.g. `sequential_5`), if any. */
  droppedModel?: string;
  /** Input shape of one example: [h, w, c] for images, [maxLength] token ids for text. */
  inputShape: number[];
  /** Shape of the cut layer's output for one example. */
  featureShape: number[];
  /** Where the base came from (for logs and the run record). */
  baseSource: string;
}

/** Context needed to resolve a `run` base: the runs root of the workspace. */
export interface NetworkContext {
  runsDir: string;
  /** Progress of a `url` base's download. */
  onDownload?(p: DownloadProgress): void;
}

/** A loaded (or built) base before its head is attached. */
export interface LoadedBase {
  model: tf.LayersModel;
  /** Where it came from: `builtin:<arch>`, a file path or a URL. */
  source: string;
  /**
   * Input shape [h, w, c] the network will run at: `base.inputShape`, else the model's own, else
   * (for a model whose input size is unknown) `metadata.json`'s `imageSize` × `imageSize` × 3.
   */
  inputShape: number[];
  /** A text base: its vocabulary (embedding rows) and vectors. */
  text?: TextBaseInfo;
  /** The base has no old head (a `wordVectors` base): the default cut is its last layer. */
  headless?: boolean;
  /** The model's `metadata.json` (Teachable Machine: old labels, image size), when it has one. */
  metadata?: ModelMetadata;
  /** Why a `metadata.json` that exists was not used (invalid JSON…): informative only, never fatal. */
  metadataProblem?: string;
}

/** What a text base adds: the vocabulary that maps tokens to embedding rows. */
export interface TextBaseInfo {
  vocabulary: Vocabulary;
  /** Words of rows 2.. of the embedding, in row order. */
  words: string[];
  /** Vector size (0 when a checkpoint has no Embedding layer). */
  dim: number;
  /** `glove-100d` or the vectors file. */
  vectors: string;
  /** Tokens per document (`data.text.maxLength`). */
  maxLength: number;
}

/**
 * Loads the base of `exp`. A built-in architecture is built with a throwaway 10-way classifier
 * (the last layer is replaced by the head). A `model` base's `metadata.json` is read when present
 * (an unreadable one is reported in `metadataProblem`, not thrown).
 * @throws ModelError naming the file or URL when it cannot be loaded.
 */
export async function loadBase(exp: ResolvedExperiment, ctx: NetworkContext): Promise<LoadedBase> {
  if (exp.base.kind === 'wordVectors') {
    const vectors = await loadVectors(exp.base.vectors, exp.base.maxWords);
    const maxLength = exp.data.text?.maxLength ?? 256;
    const model = buildTextBase(exp.base, vectors, maxLength, exp.training.seed);
    const source = `wordVectors:${vectors.source} (${vectors.words.length} words × ${vectors.dim} d, encoder ${exp.base.encoder})`;
    const text = { vocabulary: vocabularyOf(vectors.words), words: vectors.words, dim: vectors.dim, vectors: vectors.source, maxLength };
    return { model, source, inputShape: [maxLength], text, headless: true };
  }
  const { model, source, headless } = await loadBaseModel(exp, ctx);
  if (exp.base.kind === 'model' && exp.base.vocabulary !== undefined) return textModelBase(model, source, exp.base.vocabulary);
  const vocabulary = (model.getUserDefinedMetadata() as { vocabulary?: unknown } | undefined)?.vocabulary;
  if (Array.isArray(vocabulary) && vocabulary.every((w) => typeof w === 'string')) {
    // A checkpoint of a text experiment: token ids [maxLength] in, the vocabulary it was trained with.
    const inputShape = model.inputs[0]!.shape.slice(1) as number[];
    if (inputShape.length !== 1 || inputShape[0] == null)
      throw new ModelError(`a text checkpoint needs a fixed [maxLength] input, not [${inputShape.join(', ')}]`, source);
    const words = vocabulary as string[];
    const embedding = model.layers.find((l) => l.getClassName() === 'Embedding');
    const dim = (embedding?.getConfig() as { outputDim?: number } | undefined)?.outputDim ?? 0;
    const text = { vocabulary: vocabularyOf(words), words, dim, vectors: source, maxLength: inputShape[0] };
    return { model, source, inputShape, text };
  }
  let metadata: ModelMetadata | undefined;
  let metadataProblem: string | undefined;
  if (exp.base.kind === 'model') {
    try {
      metadata = readModelMetadata(exp.base.path);
    } catch (e) {
      metadataProblem = (e as Error).message;
    }
  }
  const sourceShape = model.inputs[0]!.shape.slice(1);
  const size = metadata?.imageSize;
  const fromMetadata = size !== undefined && sourceShape.length === 3 && sourceShape.some((d) => d == null) ? [size, size, sourceShape[2] ?? 3] : undefined;
  const inputShape = (exp.base.inputShape ?? fromMetadata ?? sourceShape) as number[];
  if (inputShape.length !== 3 || inputShape.some((d) => d == null)) {
    throw new ModelError(`the base's input is [${sourceShape.join(', ')}]; an image base with a fixed size is needed (set base.inputShape)`, source);
  }
  return { model, source, inputShape, ...(headless ? { headless } : {}), ...(metadata ? { metadata } : {}), ...(metadataProblem ? { metadataProblem } : {}) };
}

/**
 * A pretrained text model (a `model` base with `vocabulary`): token ids [maxLength] in, first layer an
 * Embedding with one row per vocabulary line.
 * @throws ModelError naming the model and layer when the input is not [maxLength], the first layer is
 *   not an Embedding, or its rows differ from the vocabulary's lines; DataError for a bad vocabulary file.
 */
function textModelBase(model: tf.LayersModel, source: string, vocabularyFile: string): LoadedBase {
  const words = readVocabularyFile(vocabularyFile);
  const inputShape = model.inputs[0]!.shape.slice(1) as (number | null)[];
  if (inputShape.length !== 1 || inputShape[0] == null) {
    throw new ModelError(`a text model needs a fixed [maxLength] input of token ids, not [${inputShape.join(', ')}]`, source);
  }
  const first = model.layers.find((l) => l.getClassName() !== 'InputLayer');
  if (!first || first.getClassName() !== 'Embedding') {
    throw new ModelError(
      `a text model's first layer must be an Embedding (base.vocabulary maps tokens to its rows); "${first?.name ?? '?'}" is ${first?.getClassName() ?? 'missing'}`,
      source,
    );
  }
  const { inputDim, outputDim } = first.getConfig() as { inputDim: number; outputDim: number };
  if (inputDim !== words.length + 2) {
    throw new ModelError(
      `layer "${first.name}" has ${inputDim} rows but ${vocabularyFile} lists ${words.length + 2} tokens (padding, [UNK] and ${words.length} words)`,
      source,
    );
  }
  const text = { vocabulary: vocabularyOf(words), words, dim: outputDim, vectors: vocabularyFile, maxLength: inputShape[0] };
  return { model, source, inputShape: [inputShape[0]], text };
}

async function loadBaseModel(exp: ResolvedExperiment, ctx: NetworkContext): Promise<{ model: tf.LayersModel; source: string; headless?: boolean }> {
  const b = exp.base;
  switch (b.kind) {
    case 'builtin':
      return {
        model: buildBuiltin(b.architecture, 10, exp.training.seed, b.inputShape ?? BUILTIN_INPUT_SHAPES[b.architecture]),
        source: `builtin:${b.architecture}`,
      };
    case 'model': {
      if (!isKerasPath(b.path)) return { model: await loadModelFile(b.path), source: b.path };
      const k = await loadKerasBase(b.path, b.application ? { application: b.application } : {});
      if (!k.application) return { model: k.model, source: b.path };
      // A weights-only Keras Applications file: without its top, the whole network is the base.
      const source = `${b.path} (${k.application.application}${k.application.includeTop ? '' : ', no top'})`;
      return { model: k.model, source, ...(k.application.includeTop ? {} : { headless: true }) };
    }
    case 'url': {
      const { model, fromCache } = await loadUrlModel(b.url, {
        ...(b.sha256 ? { sha256: b.sha256 } : {}),
        ...(ctx.onDownload ? { onDownload: ctx.onDownload } : {}),
      });
      return { model, source: fromCache ? `${b.url} (cached)` : b.url };
    }
    case 'catalog': {
      const entry = catalogEntry(b.name);
      if (!entry) throw new ModelError(`"${b.name}" is not in the catalogue (transfer-lab models lists it)`, 'base.name');
      const url = catalogUrl(entry);
      const sha256 = b.sha256 ?? entry.sha256;
      try {
        const { model, fromCache } = await loadUrlModel(url, { ...(sha256 ? { sha256 } : {}), ...(ctx.onDownload ? { onDownload: ctx.onDownload } : {}) });
        return { model, source: `catalog:${b.name} ${url}${fromCache ? ' (cached)' : ''}` };
      } catch (e) {
        if (!(e instanceof DownloadError)) throw e;
        throw new ModelError(
          `the catalogued model "${b.name}" is not in the download cache and could not be downloaded (${e.message}). ` +
            `Connect to the network once (it is cached afterwards), or download it yourself and use {"kind": "model", "path": …}`,
          url,
        );
      }
    }
    case 'run': {
      const name = experimentNameOfFile(b.experiment);
      const file = latestCheckpoint(ctx.runsDir, name, b.checkpoint);
      if (!file) {
        throw new ModelError(
          `no completed run of "${name}" with a "${b.checkpoint}" checkpoint under ${experimentRunsDir(ctx.runsDir, name)}; run that experiment first`,
          b.experiment,
        );
      }
      return { model: await loadModelFile(file), source: file };
    }
    case 'wordVectors':
      throw new Error('internal: wordVectors bases are built by loadBase');
    case 'gabor':
      return {
        model: buildGaborBase(b, exp.training.seed, b.inputShape ?? GABOR_DEFAULT_INPUT),
        source: `gabor:${b.wavelengths.length}x${b.orientations}x${b.phases.length}`,
      };
  }
}

/**
 * Re-initialises every weight of `layer` with its own initialisers (kernel, bias, depthwise,
 * gamma/beta, moving statistics), seeded: the `scratch` strategy keeps the architecture and
 * throws the pretrained weights away.
 */
function reinitialise(layer: tf.layers.Layer, seed: number): void {
  const cfg = layer as unknown as Record<string, { apply(shape: number[], dtype?: tf.DataType): tf.Tensor } | undefined>;
  layer.weights.forEach((w, i) => {
    const short = w.originalName.split('/').pop() ?? '';
    const init =
      (short === 'kernel' && cfg.kernelInitializer) ||
      (short === 'depthwise_kernel' && cfg.depthwiseInitializer) ||
      (short === 'pointwise_kernel' && cfg.pointwiseInitializer) ||
      (short === 'bias' && cfg.biasInitializer) ||
      (short === 'gamma' && cfg.gammaInitializer) ||
      (short === 'beta' && cfg.betaInitializer) ||
      (short === 'moving_mean' && cfg.movingMeanInitializer) ||
      (short === 'moving_variance' && cfg.movingVarianceInitializer) ||
      (w.shape.length >= 2 ? tf.initializers.glorotUniform({ seed: seed + i }) : tf.initializers.zeros());
    const value = tf.tidy(() => init.apply(w.shape as number[], 'float32'));
    w.write(value); // the variable now shares the value's data (reference-counted): release our handle
    value.dispose();
  });
}

/**
 * Builds the network of `exp` for `numClasses` classes on a loaded base: cut (`transfer.cutLayer`,
 * else the default cut of `cut.ts`, which drops the old head: a trailing nested model as a whole,
 * else the last layer), new input size, new head.
 * @throws ModelError when the base cannot be loaded, the cut layer is unknown, or the base cannot
 *   run at the requested input size (the message names the layer).
 */
export function buildNetwork(exp: ResolvedExperiment, loaded: LoadedBase, numClasses: number): Network {
  const { model: source, source: baseSource, inputShape } = loaded;
  const graph = flattenModel(source);
  if (graph.ops.length < 2 && !loaded.headless)
    throw new ModelError('the base needs at least two layers (its old head is replaced by the new head)', baseSource);
  const names = graph.ops.map((o) => o.layer.name);
  const byDefault = loaded.headless
    ? { index: graph.ops.length - 1, dropped: [] as string[] }
    : defaultCut(graph.ops.map((o) => ({ name: o.layer.name, ...(o.parent ? { parent: o.parent } : {}) })));
  let cut = byDefault.index;
  if (exp.transfer.cutLayer) {
    cut = names.indexOf(exp.transfer.cutLayer);
    if (cut < 0)
      throw new ModelError(
        `transfer.cutLayer: layer "${exp.transfer.cutLayer}" is not in the base (layers: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`,
        baseSource,
      );
  }
  if (exp.transfer.strategy === 'scratch') for (let i = 0; i <= cut; i++) reinitialise(graph.ops[i]!.layer, exp.training.seed + i);

  const base = buildFlatModel(graph, cut + 1, graph.ops[cut]!.outputs[0]!, inputShape, 'base');
  const featureShape = base.outputs[0]!.shape.slice(1) as number[];
  const head = exp.transfer.head;
  const seed = exp.training.seed;
  const headLayers = new Set<tf.layers.Layer>();
  // Head layer names must not repeat a kept base layer's: a base that is itself one of our runs kept
  // past its own head (a layer sweep, the advisor, a cut at the old head) already has `head_dropout`…
  const taken = new Set(names.slice(0, cut + 1));
  const fresh = (stem: string): string => {
    let name = stem;
    for (let k = 2; taken.has(name); k++) name = `${stem}_${k}`;
    taken.add(name);
    return name;
  };
  const add = (layer: tf.layers.Layer, input: tf.SymbolicTensor) => {
    headLayers.add(layer);
    return layer.apply(input) as tf.SymbolicTensor;
  };
  let x = base.outputs[0]!;
  if (x.shape.length > 2) x = add(tf.layers.flatten({ name: fresh('head_flatten') }), x);
  head.units.forEach((units, i) => {
    if (head.dropout > 0) x = add(tf.layers.dropout({ name: fresh(`head_dropout${i + 1}`), rate: head.dropout, seed: seed + 17 + i }), x);
    x = add(
      tf.layers.dense({
        name: fresh(`head_dense${i + 1}`),
        units,
        activation: head.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 101 + i }),
      }),
      x,
    );
  });
  if (head.dropout > 0) x = add(tf.layers.dropout({ name: fresh('head_dropout'), rate: head.dropout, seed: seed + 31 }), x);
  const logits = add(
    tf.layers.dense({ name: fresh('head_logits'), units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 211 }) }),
    x,
  );
  const model = tf.model({ inputs: base.inputs, outputs: logits, name: exp.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model' });
  const full = flattenModel(model);
  const baseOps = full.ops.findIndex((o) => headLayers.has(o.layer));
  if (baseOps < 0 || full.ops.slice(baseOps).some((o) => !headLayers.has(o.layer)))
    throw new Error('internal: head layers are not last in the flattened graph');
  return {
    model,
    graph: full,
    baseOps,
    baseLayers: full.ops.slice(0, baseOps).map((o) => o.layer.name),
    droppedLayers: names.slice(cut + 1),
    ...(!exp.transfer.cutLayer && byDefault.droppedModel ? { droppedModel: byDefault.droppedModel } : {}),
    inputShape,
    featureShape,
    baseSource,
  };
}
