/**
 * The benchmark cases of `npm run bench` (issue 6): which experiment file each runs, and per mode
 * its sizes and the validation accuracy whose first epoch is timed (reachable by both sides in the
 * mode's epochs). The MobileNet-style cases have no target: a few dozen steps from random weights
 * (BatchNorm moving averages at momentum 0.99 barely move) measure speed and memory, not accuracy. The experiment
 * files under `bench/experiments/` hold the full-mode settings; a mode writes derived copies with
 * its sizes (see `derive.ts`).
 */

/** Sizes a mode overrides in an experiment file. */
export interface Sizes {
  /** `perClass` of the training source (examples per class read, before the split). */
  perClass?: number;
  /** `perClass` of the test source, when the experiment has one. */
  testPerClass?: number;
  /** `training.epochs`. */
  epochs: number;
  /** Validation accuracy whose first epoch is timed (time to target); none when not meaningful. */
  target?: number;
}

/** One benchmark case. */
export interface BenchCase {
  /** Short id used in the table and `latest.json`. */
  id: string;
  /** The name for it. */
  title: string;
  /** Experiment file name under `bench/experiments/`. */
  file: string;
  /** Its test set is timed as inference (case d). */
  inference?: boolean;
  /** Setup only (a source whose checkpoint later cases load): run once per runs folder, not timed. */
  setup?: boolean;
  quick: Sizes;
  full: Sizes;
}

/** Benchmark modes: `quick` runs in under two minutes on two cores; `full` repeats with more data. */
export type Mode = 'quick' | 'full';

/** Rounds per mode (each round alternates ours and PyTorch on every case) and PyTorch thread counts. */
export const MODES: Record<Mode, { rounds: number; torchThreads: number[] }> = {
  quick: { rounds: 1, torchThreads: [1] },
  full: { rounds: 3, torchThreads: [1, 2] },
};

/** The cases, in the order they run (a source before the cases that load its checkpoint). */
export const CASES: readonly BenchCase[] = [
  {
    id: 'source',
    title: 'source: small CNN on digits 0–4 (setup)',
    file: 'mnist-source.transfer.json',
    setup: true,
    quick: { perClass: 400, epochs: 2 },
    full: { epochs: 3 },
  },
  {
    id: 'a',
    title: '(a) MNIST CNN fine-tune',
    file: 'mnist-fine-tune.transfer.json',
    inference: true,
    quick: { perClass: 300, epochs: 2, target: 0.8 },
    full: { epochs: 4, target: 0.95 },
  },
  {
    id: 'b',
    title: '(b) MNIST feature extraction (product default: frozen through fc1, linear head)',
    file: 'mnist-feature-extraction.transfer.json',
    quick: { perClass: 300, epochs: 5, target: 0.75 },
    full: { epochs: 12, target: 0.9 },
  },
  {
    id: 'b-flatten',
    title: '(b) MNIST feature extraction (probe split: frozen conv base, dense-128 head)',
    file: 'mnist-feature-extraction-flatten.transfer.json',
    quick: { perClass: 300, epochs: 5, target: 0.9 },
    full: { epochs: 8, target: 0.94 },
  },
  {
    id: 'c-fine-tune',
    title: '(c) MobileNet-style 96×96×3 fine-tune',
    file: 'fashion96-mobilenet-fine-tune.transfer.json',
    inference: true,
    quick: { perClass: 10, testPerClass: 10, epochs: 2 },
    full: { perClass: 40, testPerClass: 40, epochs: 3 },
  },
  {
    id: 'c-frozen',
    title: '(c) MobileNet-style 96×96×3 frozen base',
    file: 'fashion96-mobilenet-frozen.transfer.json',
    quick: { perClass: 10, epochs: 3 },
    full: { perClass: 40, epochs: 4 },
  },
];
