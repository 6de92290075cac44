/**
 * What each panel action does to the experiment text: freeze toggles, "freeze up to here", the cut
 * layer, layer groups and the learning-rate settings. Each function takes the current text and
 * returns the new text; the panel host turns the difference into one `WorkspaceEdit` (one undo step).
 * The file stays the only copy of the settings. Pure: no `vscode`, no file system.
 */
import type { JSONPath } from 'jsonc-parser';
import type { LayerGroupSpec, LayerSelector } from '../../../core/experiment/schema.js';
import { SCHEDULE_PARAMS } from '../../../core/experiment/semantic.js';
import type { ResolvedExperiment } from '../../../core/experiment/types.js';
import type { SettingTarget } from '../../../protocol/webview.js';
import { getJsonValue, setJsonValue } from '../../../core/experiment/json-text.js';
import { selectedSet, selectorFor, upToSelector } from './selectors.js';

/** What an edit needs to know: the current text and what it resolves to. */
export interface EditContext {
  text: string;
  /** The resolved experiment of `text` (the text must pass the schema). */
  experiment: ResolvedExperiment;
  /** The base's layers in order (up to and including the cut layer). */
  baseLayers: readonly string[];
}

/** An action the file's current settings do not allow (the message says why). */
export class EditRefused extends Error {
  override name = 'EditRefused';
}

/** True when `transfer.stages` is written in the file (otherwise one stage derives from the strategy). */
export function stagesWritten(text: string): boolean {
  return Array.isArray(getJsonValue(text, ['transfer', 'stages']));
}

/**
 * Why the freeze of `stage` cannot be edited from the panel, or undefined when it can: scratch trains
 * everything, featureExtraction freezes the whole base, and a selector with an error is left to the
 * user (it is listed under Problems).
 */
export function freezeLock(exp: ResolvedExperiment, baseLayers: readonly string[], stage: number): string | undefined {
  if (exp.transfer.kind === 'unsupervised') return 'an unsupervised experiment trains nothing (cut-layer features → PCA → k-means)';
  const s = exp.transfer.strategy;
  if (s === 'scratch') return 'strategy "scratch" trains every layer: set transfer.strategy to "fineTune" to freeze layers';
  if (s === 'featureExtraction') return 'strategy "featureExtraction" keeps the whole base frozen: set transfer.strategy to "fineTune" to choose';
  const st = exp.transfer.stages[stage];
  if (!st) return `there is no stage ${stage + 1}`;
  if (!selectedSet(st.freeze, baseLayers)) return "this stage's freeze selector has a problem (see Problems): fix it in the file";
  return undefined;
}

/** JSON path of the freeze selector that applies to `stage`. */
export function freezePath(text: string, stage: number): JSONPath {
  return stagesWritten(text) ? ['transfer', 'stages', stage, 'freeze'] : ['transfer', 'freeze'];
}

function writeFreeze(ctx: EditContext, stage: number, wanted: (current: Set<string>, raw: LayerSelector) => LayerSelector): string {
  const lock = freezeLock(ctx.experiment, ctx.baseLayers, stage);
  if (lock) throw new EditRefused(lock);
  const path = freezePath(ctx.text, stage);
  const raw = getJsonValue(ctx.text, path) as LayerSelector | undefined;
  const current = selectedSet(raw, ctx.baseLayers) ?? new Set<string>();
  const next = wanted(current, raw ?? {});
  if (raw !== undefined && JSON.stringify(next) === JSON.stringify(raw)) return ctx.text;
  return setJsonValue(ctx.text, path, next);
}

function requireBaseLayer(ctx: EditContext, layer: string): void {
  if (!ctx.baseLayers.includes(layer)) throw new EditRefused(`"${layer}" is not a layer of the base (it is after the cut layer)`);
}

/** Freezes (or unfreezes) one base layer in one stage. */
export function toggleFreeze(ctx: EditContext, stage: number, layer: string, frozen: boolean): string {
  requireBaseLayer(ctx, layer);
  return writeFreeze(ctx, stage, (current, raw) => {
    const want = new Set(current);
    if (frozen) want.add(layer);
    else want.delete(layer);
    return selectorFor(want, ctx.baseLayers, raw);
  });
}

/** Freezes exactly the base layers from the first up to and including `layer` in one stage (`{ "upTo": layer }`). */
export function freezeUpTo(ctx: EditContext, stage: number, layer: string): string {
  requireBaseLayer(ctx, layer);
  return writeFreeze(ctx, stage, () => upToSelector(layer));
}

/**
 * Sets `transfer.cutLayer` (null removes it: the layer before the base's last layer is the default).
 * @param allLayers every layer of the model (the cut may move later than the current cut).
 */
export function setCutLayer(text: string, allLayers: readonly string[], layer: string | null): string {
  if (layer !== null && !allLayers.includes(layer)) throw new EditRefused(`no layer "${layer}" in the model`);
  return setJsonValue(text, ['transfer', 'cutLayer'], layer ?? undefined);
}

/** Each base layer's group (first matching group wins, as in the trainer); layers in no group are absent. */
export function groupOfLayers(groups: readonly LayerGroupSpec[], baseLayers: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of groups) for (const n of selectedSet(g.layers, baseLayers) ?? []) if (!out.has(n)) out.set(n, g.name);
  return out;
}

/** Rewrites each group's selector so that `layer` is in `group` only (null: in no group). */
function moveLayer(text: string, groups: readonly LayerGroupSpec[], baseLayers: readonly string[], layer: string, group: string | null): string {
  let out = text;
  groups.forEach((g, i) => {
    const sel = selectedSet(g.layers, baseLayers);
    if (!sel) return; // a broken selector is the user's to fix
    const want = new Set(sel);
    if (g.name === group) want.add(layer);
    else want.delete(layer);
    const next = selectorFor(want, baseLayers, g.layers);
    if (next !== g.layers) out = setJsonValue(out, ['learningRate', 'layerGroups', i, 'layers'], next);
  });
  return out;
}

/** Puts a base layer in an existing layer group (null: in none, so the `baseMultiplier` applies). */
export function setLayerGroup(ctx: EditContext, layer: string, group: string | null): string {
  requireBaseLayer(ctx, layer);
  const groups = ctx.experiment.learningRate.layerGroups;
  if (group !== null && !groups.some((g) => g.name === group)) throw new EditRefused(`no layer group "${group}"`);
  return moveLayer(ctx.text, groups, ctx.baseLayers, layer, group);
}

/** Adds a layer group `{ name, layers: { names: [layer] }, multiplier }` and takes `layer` out of the other groups. */
export function addLayerGroup(ctx: EditContext, name: string, multiplier: number, layer: string): string {
  requireBaseLayer(ctx, layer);
  const groups = ctx.experiment.learningRate.layerGroups;
  if (name === 'head' || name === 'base') throw new EditRefused(`"${name}" is a reserved group name`);
  if (groups.some((g) => g.name === name)) throw new EditRefused(`a layer group "${name}" exists already`);
  const text = moveLayer(ctx.text, groups, ctx.baseLayers, layer, null);
  const entry: LayerGroupSpec = { name, layers: { names: [layer] }, multiplier };
  const list = getJsonValue(text, ['learningRate', 'layerGroups']);
  return Array.isArray(list)
    ? setJsonValue(text, ['learningRate', 'layerGroups', list.length], entry)
    : setJsonValue(text, ['learningRate', 'layerGroups'], [entry]);
}

/** JSON path of a setting the panel's form edits. */
export function settingPath(ctx: Pick<EditContext, 'text' | 'experiment'>, target: SettingTarget): JSONPath {
  switch (target.kind) {
    case 'learningRate':
      return ['learningRate', target.key];
    case 'schedule':
      return ['learningRate', 'schedule', target.key];
    case 'warmup':
      return ['learningRate', 'warmup', target.key];
    case 'groupMultiplier': {
      const i = ctx.experiment.learningRate.layerGroups.findIndex((g) => g.name === target.group);
      if (i < 0) throw new EditRefused(`no layer group "${target.group}"`);
      return ['learningRate', 'layerGroups', i, 'multiplier'];
    }
    case 'stageEpochs':
      return stagesWritten(ctx.text) ? ['transfer', 'stages', target.stage, 'epochs'] : ['training', 'epochs'];
    case 'stageLearningRate':
      return stagesWritten(ctx.text) ? ['transfer', 'stages', target.stage, 'learningRate'] : ['learningRate', 'base'];
    case 'batchSize':
      return ['training', 'batchSize'];
  }
}

/**
 * Sets one setting (null removes it, so the schema default applies). Switching the schedule type also
 * tidies what the new schedule would warn about, so a panel edit adds no warning: parameters of the
 * old schedule are removed (`minRate` when leaving cosine, …), a separate warmup goes when switching to
 * oneCycle (it warms up itself), and `stepEpochs` is set below the longest stage when switching to step
 * and its value would never decay the rate.
 */
export function setSetting(ctx: Pick<EditContext, 'text' | 'experiment'>, target: SettingTarget, value: number | string | null): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new EditRefused(`${value} is not a number`);
  const out = setJsonValue(ctx.text, settingPath(ctx, target), value ?? undefined);
  return target.kind === 'schedule' && target.key === 'type' ? tidySchedule(ctx.experiment, out, typeof value === 'string' ? value : 'constant') : out;
}

/** Removes or adjusts what schedule `type` would warn about in `text` (see {@link setSetting}). */
function tidySchedule(exp: ResolvedExperiment, text: string, type: string): string {
  let out = text;
  const used = SCHEDULE_PARAMS[type] ?? [];
  const all = new Set(Object.values(SCHEDULE_PARAMS).flat());
  for (const key of all) {
    if (!used.includes(key) && getJsonValue(out, ['learningRate', 'schedule', key]) !== undefined) {
      out = setJsonValue(out, ['learningRate', 'schedule', key], undefined);
    }
  }
  if (type === 'oneCycle' && getJsonValue(out, ['learningRate', 'warmup']) !== undefined) out = setJsonValue(out, ['learningRate', 'warmup'], undefined);
  if (type === 'step') {
    const longest = Math.max(...exp.transfer.stages.map((st) => st.epochs));
    const written = getJsonValue(out, ['learningRate', 'schedule', 'stepEpochs']);
    const stepEpochs = typeof written === 'number' ? written : exp.learningRate.schedule.stepEpochs;
    if (stepEpochs >= longest && longest > 1) out = setJsonValue(out, ['learningRate', 'schedule', 'stepEpochs'], Math.max(1, Math.floor(longest / 2)));
  }
  return out;
}
