/**
 * Layer selectors (`transfer.freeze`, stage `freeze`, `learningRate.layerGroups[].layers`): which base
 * layers a selector picks. The trainer, the panel and the semantic checks all use this module, so a
 * selector means the same thing everywhere.
 */
import type { LayerSelector } from './schema.js';
import { didYouMean } from './suggest.js';

/** The rule of a selector a problem is about. */
export type SelectorField = keyof LayerSelector;

/** One thing wrong with a selector for a given list of layers. */
export interface SelectorIssue {
  field: SelectorField;
  /** Index inside the field's array (`names`, `allBut`; `range`: 0 = from, 1 = to), when it applies. */
  index?: number;
  /** The readable problem (naming the layer, with a suggestion when one is close), without the field. */
  message: string;
}

/** Thrown by {@link selectLayers}; `issues` lists everything wrong with the selector. */
export class LayerSelectionError extends Error {
  override name = 'LayerSelectionError';
  constructor(readonly issues: SelectorIssue[]) {
    super(issues.map((i) => `${i.field}${i.index !== undefined && i.field !== 'range' ? `[${i.index}]` : ''}: ${i.message}`).join('; '));
  }
}

/**
 * Everything wrong with `sel` for a base with layers `layerNames` (in layer order): unknown names
 * in `names`, `upTo` and `allBut` (with the closest existing name), a regex that does not compile,
 * a `range` outside 0..n-1 or with from > to. An empty list means {@link selectLayers} will not throw.
 * @param layerNames undefined when the base's layers are unknown: then only the regex and from ≤ to are checked.
 */
export function selectorIssues(sel: LayerSelector, layerNames: readonly string[] | undefined): SelectorIssue[] {
  const issues: SelectorIssue[] = [];
  if (sel.regex !== undefined) {
    const err = regexError(sel.regex);
    if (err) issues.push({ field: 'regex', message: err });
  }
  if (sel.range && sel.range[0] > sel.range[1]) {
    issues.push({ field: 'range', index: 0, message: `from ${sel.range[0]} is after to ${sel.range[1]}` });
  }
  if (!layerNames) return issues;
  const known = new Set(layerNames);
  const unknown = (field: SelectorField, name: string, index?: number) => {
    issues.push({
      field,
      ...(index !== undefined ? { index } : {}),
      message: `no layer "${name}" in the base${didYouMean(name, layerNames)}`,
    });
  };
  sel.names?.forEach((n, i) => {
    if (!known.has(n)) unknown('names', n, i);
  });
  if (sel.upTo !== undefined && !known.has(sel.upTo)) unknown('upTo', sel.upTo);
  sel.allBut?.forEach((n, i) => {
    if (!known.has(n)) unknown('allBut', n, i);
  });
  if (sel.range) {
    const [from, to] = sel.range;
    const last = layerNames.length - 1;
    const past = (what: string, v: number) => `${what} ${v} is past the last layer (index ${last}: the base has ${layerNames.length} layers)`;
    if (from > last) issues.push({ field: 'range', index: 0, message: past('from', from) });
    if (to > last) issues.push({ field: 'range', index: 1, message: past('to', to) });
  }
  return issues;
}

/** The error message of `new RegExp(source)`, or undefined when it compiles. */
export function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return `invalid regular expression /${source}/: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`;
  }
}

/**
 * The layers `sel` selects from `layerNames` (the base's layers in order; index 0 is the first
 * layer after the input): the union of every rule given — `all`, `names`, `range` [from, to]
 * inclusive, `regex` (unanchored, like `RegExp.test`), `upTo` (first layer up to and including it),
 * `allBut` (every layer except these). `{}` selects nothing. The set iterates in layer order.
 * @throws LayerSelectionError naming the field when a name is unknown, the regex does not compile,
 *   or the range is outside the layers or reversed.
 */
export function selectLayers(sel: LayerSelector, layerNames: readonly string[]): Set<string> {
  const issues = selectorIssues(sel, layerNames);
  if (issues.length > 0) throw new LayerSelectionError(issues);
  const names = new Set(sel.names ?? []);
  const allBut = sel.allBut ? new Set(sel.allBut) : undefined;
  const regex = sel.regex !== undefined ? new RegExp(sel.regex) : undefined;
  const upTo = sel.upTo !== undefined ? layerNames.indexOf(sel.upTo) : -1;
  const out = new Set<string>();
  layerNames.forEach((name, i) => {
    if (
      sel.all === true ||
      names.has(name) ||
      (sel.range !== undefined && i >= sel.range[0] && i <= sel.range[1]) ||
      (regex !== undefined && regex.test(name)) ||
      i <= upTo ||
      (allBut !== undefined && !allBut.has(name))
    ) {
      out.add(name);
    }
  });
  return out;
}

/** True when the selector has no rule that can select anything (`{}` or `{ all: false }`). */
export function isEmptySelector(sel: LayerSelector): boolean {
  return sel.all !== true && !sel.names?.length && !sel.range && sel.regex === undefined && sel.upTo === undefined && sel.allBut === undefined;
}
