/**
 * Where a base is cut when the experiment names no `transfer.cutLayer`: the rule that drops the
 * pretrained model's old head. Pure (no tfjs, no fs): the trainer's network builder, the semantic
 * checks and the panel all call it on the same flattened layer list, so they agree on which layers
 * form the base.
 *
 * The rule, on the layers in flattened order (nested models expanded, see `topology.ts`/`graph.ts`):
 * - when the last layer sits inside a nested model (its `parent`), and layers come before that
 *   model's trailing run of layers, that whole trailing run is the old head and is dropped: a
 *   Teachable Machine export `[sequential_3 ⊃ [model2 ⊃ MobileNetV2, GAP], sequential_5 ⊃ [Dense 100,
 *   Dense 3]]` is cut at the global average pooling (1280 features), not at `Dense 100`;
 * - a base without an old head (its last layer marked `headless`: a `wordVectors` base) keeps every layer;
 * - otherwise (the last layer is top-level, or one nested model holds every layer) only the last
 *   layer, the old classifier, is dropped: a Keras `MobileNetV2(include_top=True)` is cut at its
 *   pooling layer, before `predictions`.
 */

/** The two fields of a layer the rule reads (`LayerInfo` and the trainer's ops both have them). */
export interface CutLayerInfo {
  name: string;
  /** Innermost nested model holding the layer; absent for top-level layers. */
  parent?: string;
  /** Set on the last layer of a base without an old head (a `wordVectors` base): nothing is dropped. */
  headless?: boolean;
}

/** The default cut of a layer list and what it drops. */
export interface DefaultCut {
  /** Index of the cut layer (the last layer kept); −1 when fewer than two layers. */
  index: number;
  /** Names of the dropped layers (the old head), in order. */
  dropped: string[];
  /** The nested model dropped as a whole, when the rule dropped one. */
  droppedModel?: string;
}

/**
 * The default cut of `layers` (see the module comment).
 * @param layers every layer of the model in flattened order, old head included.
 * @returns index −1 (nothing can be kept) when there are fewer than two layers.
 */
export function defaultCut(layers: readonly CutLayerInfo[]): DefaultCut {
  const n = layers.length;
  if (n > 0 && layers[n - 1]!.headless) return { index: n - 1, dropped: [] };
  if (n < 2) return { index: -1, dropped: layers.map((l) => l.name) };
  const parent = layers[n - 1]!.parent;
  if (parent !== undefined) {
    let i = n - 1;
    while (i >= 0 && layers[i]!.parent === parent) i--;
    if (i >= 0) return { index: i, dropped: layers.slice(i + 1).map((l) => l.name), droppedModel: parent };
  }
  return { index: n - 2, dropped: [layers[n - 1]!.name] };
}

/**
 * Index of the cut layer: `cutLayer` when given (−1 when it is not in `layers`), else the
 * {@link defaultCut}.
 */
export function cutIndex(layers: readonly CutLayerInfo[], cutLayer: string | undefined): number {
  if (cutLayer !== undefined) return layers.findIndex((l) => l.name === cutLayer);
  return defaultCut(layers).index;
}

/**
 * Names of the base's layers: every layer up to and including the cut (the layers that freeze
 * selectors and layer groups refer to, in order; index 0 is the first layer after the input).
 * @returns undefined when `cutLayer` is not one of `layers`.
 */
export function baseLayerNames(layers: readonly CutLayerInfo[], cutLayer: string | undefined): string[] | undefined {
  const i = cutIndex(layers, cutLayer);
  if (i < 0 && cutLayer !== undefined) return undefined;
  return layers.slice(0, i + 1).map((l) => l.name);
}
