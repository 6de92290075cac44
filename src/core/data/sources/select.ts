/**
 * Class filter and per-class cap over raw integer labels, shared by the `idx` and `csv` readers
 * (the `mnist` reader applies the same rules while choosing which digit files to read).
 */
import { DataError } from '../errors.js';

/** Which examples to keep, and their new labels. */
export interface Selection {
  /** Source positions kept, ascending (source order). */
  positions: Int32Array;
  /** New label (0..classes.length-1) of each kept example. */
  labels: Int32Array;
  /** The raw label of each new label index. */
  classes: number[];
}

/**
 * Keeps the examples whose raw label is in `classes` (all of 0..numClasses-1 if absent), re-indexed
 * 0..n-1 in the order of `classes`, and at most `perClass` of each class (the first ones in source
 * order).
 * @param rawLabels  Raw label of each source example; each must already be in 0..numClasses-1.
 * @param numClasses Number of raw classes the source defines.
 * @param where      Source description for messages, e.g. "idx labels /data/train-labels.gz".
 * @param source     `DataError.source` (file path or source kind).
 * @param allowMissing Accept classes without examples (a validation/test csv need not hold every class).
 * @throws DataError if a requested class is not in 0..numClasses-1, if nothing is selected, or (unless
 *         `allowMissing`) if a requested class has no example.
 */
export function selectByClass(
  rawLabels: ArrayLike<number>,
  opts: { numClasses: number; classes?: readonly number[]; perClass?: number; where: string; source: string; allowMissing?: boolean },
): Selection {
  const classes = opts.classes ? [...opts.classes] : Array.from({ length: opts.numClasses }, (_, i) => i);
  const newLabel = new Int32Array(opts.numClasses).fill(-1);
  classes.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= opts.numClasses) {
      throw new DataError(`class ${c} is not a label of ${opts.where} (labels are 0..${opts.numClasses - 1})`, opts.source);
    }
    if (newLabel[c] !== -1) throw new DataError(`class ${c} is listed twice in the class filter of ${opts.where}`, opts.source);
    newLabel[c] = i;
  });
  const cap = opts.perClass ?? Infinity;
  const taken = new Array<number>(classes.length).fill(0);
  const positions: number[] = [];
  const labels: number[] = [];
  for (let p = 0; p < rawLabels.length; p++) {
    const l = newLabel[rawLabels[p]];
    if (l === -1 || taken[l] >= cap) continue;
    taken[l]++;
    positions.push(p);
    labels.push(l);
  }
  if (positions.length === 0) {
    throw new DataError(`no examples of classes [${classes.join(', ')}] in ${opts.where}`, opts.source);
  }
  const missing = classes.filter((_, i) => taken[i] === 0);
  if (missing.length > 0 && !opts.allowMissing) {
    throw new DataError(`no examples of class ${missing.join(', ')} in ${opts.where}`, opts.source);
  }
  return { positions: Int32Array.from(positions), labels: Int32Array.from(labels), classes };
}
