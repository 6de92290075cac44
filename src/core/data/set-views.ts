/**
 * Example sets made from other sets without copying pixels: a subset with (optionally) new labels —
 * pseudo-labelled target examples — and the concatenation of two sets of the same shape. Neither
 * changes values, so both forward their sources' content identities (`example-set.ts`).
 */
import type { ExampleSet } from './example-set.js';
import type { ValueRange } from './scale.js';

/** Examples `indices` of `set` (in that order), labelled `labels` (default: their own labels). */
export class PickedSet implements ExampleSet {
  readonly count: number;
  readonly labels: Int32Array;

  /** @throws RangeError when `labels` is given with another length than `indices`. */
  constructor(
    private readonly set: ExampleSet,
    private readonly indices: readonly number[],
    labels?: ArrayLike<number>,
  ) {
    if (labels && labels.length !== indices.length) throw new RangeError(`${labels.length} labels for ${indices.length} examples`);
    this.count = indices.length;
    this.labels = labels ? Int32Array.from(labels) : Int32Array.from(indices, (i) => set.labels[i]!);
  }

  get shape(): number[] {
    return this.set.shape;
  }

  get range(): ValueRange | undefined {
    return this.set.range;
  }

  id(i: number): string {
    return this.set.id(this.indices[i]!);
  }

  /** The picked example's identity (a pick does not change values). */
  identity(i: number): string | undefined {
    return this.set.identity?.(this.indices[i]!);
  }

  gather(indices: ArrayLike<number>): Float32Array {
    return this.set.gather(Array.from({ length: indices.length }, (_, k) => this.indices[indices[k]!]!));
  }
}

/** The examples of `a` followed by those of `b`. */
export class ConcatSet implements ExampleSet {
  readonly count: number;
  readonly labels: Int32Array;

  /** @throws RangeError when the sets' example shapes differ. */
  constructor(
    private readonly a: ExampleSet,
    private readonly b: ExampleSet,
  ) {
    if (a.shape.join('×') !== b.shape.join('×')) throw new RangeError(`cannot join [${a.shape.join(', ')}] and [${b.shape.join(', ')}] examples`);
    this.count = a.count + b.count;
    this.labels = new Int32Array(this.count);
    this.labels.set(a.labels);
    this.labels.set(b.labels, a.count);
  }

  get shape(): number[] {
    return this.a.shape;
  }

  get range(): ValueRange | undefined {
    return this.a.range;
  }

  id(i: number): string {
    return i < this.a.count ? this.a.id(i) : this.b.id(i - this.a.count);
  }

  /** The identity in the set the example comes from (joining does not change values). */
  identity(i: number): string | undefined {
    return i < this.a.count ? this.a.identity?.(i) : this.b.identity?.(i - this.a.count);
  }

  gather(indices: ArrayLike<number>): Float32Array {
    const size = this.a.shape.reduce((x, y) => x * y, 1);
    const out = new Float32Array(indices.length * size);
    const fromA: number[] = [];
    const fromB: number[] = [];
    const slotA: number[] = [];
    const slotB: number[] = [];
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      if (i < this.a.count) {
        fromA.push(i);
        slotA.push(k);
      } else {
        fromB.push(i - this.a.count);
        slotB.push(k);
      }
    }
    const ga = fromA.length ? this.a.gather(fromA) : undefined;
    const gb = fromB.length ? this.b.gather(fromB) : undefined;
    slotA.forEach((k, j) => out.set(ga!.subarray(j * size, (j + 1) * size), k * size));
    slotB.forEach((k, j) => out.set(gb!.subarray(j * size, (j + 1) * size), k * size));
    return out;
  }
}
