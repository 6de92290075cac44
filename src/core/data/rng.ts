/**
 * Seeded pseudo-random numbers for everything in the data layer that must be reproducible from
 * `training.seed`: splits, subsampling, augmentation. Not cryptographic.
 *
 * The generator is mulberry32 (32-bit state, period 2^32), which is plenty for shuffling and
 * augmentation and is byte-for-byte reproducible across platforms and Node versions (unlike
 * `Math.random`).
 */

/** A seeded generator of uniform, integer and Gaussian variates. */
export class Rng {
  private state: number;
  /** Second Box–Muller variate, kept for the next {@link normal} call. */
  private spare: number | undefined;

  /** @param seed Any number; only its low 32 bits (after truncation) matter. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1) (32 bits of resolution). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). `n` must be a positive integer below 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal variate (mean 0, standard deviation 1), by the Box–Muller transform. */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) guard
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A seed for an independent stream derived from `seed` and a purpose label (FNV-1a of the label mixed
 * with the seed), so that e.g. the split does not change when augmentation draws more numbers.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // One round of mulberry32 finalisation to spread the bits.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fisher–Yates shuffle of `a` in place, driven by `rng`; returns `a`. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
