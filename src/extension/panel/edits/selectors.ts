/**
 * Writes a layer set back as a layer selector. The panel works on sets (which layers are frozen, which
 * belong to a group); the file holds selectors (`upTo`, `names`, `allBut`, `regex`…). This module
 * picks the selector to write for a wanted set: the current one when it already selects the set,
 * else the simplest form, keeping the user's form (`names` or `allBut`) when they used one.
 * Pure: no `vscode`.
 */
import { selectLayers } from '../../../core/experiment/layer-selector.js';
import type { LayerSelector } from '../../../core/experiment/schema.js';

/** The layers a selector selects, or undefined when it is invalid for these layers. */
export function selectedSet(sel: LayerSelector | undefined, layers: readonly string[]): Set<string> | undefined {
  try {
    return selectLayers(sel ?? {}, layers);
  } catch {
    return undefined;
  }
}

/** True when two sets hold the same names. */
export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Which single rule a selector uses: `names`, `allBut`, `upTo`, `all`, `empty`, or `mixed` (several rules, `regex` or `range`). */
export function selectorForm(sel: LayerSelector | undefined): 'names' | 'allBut' | 'upTo' | 'all' | 'empty' | 'mixed' {
  const keys = Object.entries(sel ?? {})
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k]) => k);
  if (keys.length === 0) return 'empty';
  if (keys.length > 1) return 'mixed';
  const k = keys[0];
  return k === 'names' || k === 'allBut' || k === 'upTo' || k === 'all' ? k : 'mixed';
}

/**
 * The selector to write so that exactly `wanted` of `layers` (in layer order) is selected.
 * - `current` itself when it already selects `wanted`;
 * - `{}` for none, `{ all: true }` for every layer;
 * - `names` / `allBut` when `current` uses that form;
 * - `{ upTo }` when `wanted` is the first k layers;
 * - otherwise `names` or `allBut`, whichever lists fewer layers.
 */
export function selectorFor(wanted: ReadonlySet<string>, layers: readonly string[], current?: LayerSelector): LayerSelector {
  const want = layers.filter((l) => wanted.has(l));
  const currentSet = selectedSet(current, layers);
  if (current && currentSet && sameSet(currentSet, new Set(want))) return current;
  if (want.length === 0) return {};
  if (want.length === layers.length) return { all: true };
  const others = layers.filter((l) => !wanted.has(l));
  const form = selectorForm(current);
  if (form === 'names') return { names: want };
  if (form === 'allBut') return { allBut: others };
  const prefix = want.every((l, i) => layers[i] === l);
  if (prefix) return { upTo: want[want.length - 1] };
  return want.length <= others.length ? { names: want } : { allBut: others };
}

/** The selector freezing the first layers up to and including `layer`. */
export function upToSelector(layer: string): LayerSelector {
  return { upTo: layer };
}
