/**
 * The host↔webview contract of the experiment panel: every message the extension host posts to the
 * panel and every message the panel posts back, as maps from message name to payload type. Both sides
 * import only this module (types only, so the browser bundle pulls in no Node code), and the typed
 * `post` helpers on each side accept only a name with its own payload.
 *
 * Kinds of message:
 * - host → webview **notifications**: `state` is the full state, pushed when the panel opens, becomes
 *   visible or reloads (the webview can always rebuild from it); the others are small updates.
 * - webview → host **commands**: user intents (edit the experiment, start a run, pick runs). The panel
 *   keeps no copy of the settings: an edit goes to the JSON file, whose change comes back as `experiment`.
 * - webview → host **notifications**: `ready` (the page loaded), `cspViolation` (diagnostics).
 */
import type { AdvisorReport } from '../core/advisor/advise.js';
import type { ScheduleSpec, WarmupSpec } from '../core/experiment/schema.js';
import type { ClustersFile, EmbeddingFile, EvaluationFile, GaborMatchFile, LayerSweepFile, RunTask, TransductiveFile } from '../core/runs/artifacts.js';
import type { BackendInfo, EpochEvent, RunStatus, SkippedSummary, StageEvent, TestEvent } from '../core/runs/events.js';

/** `viewType` of the panel (also the serializer's key). */
export const PANEL_VIEW_TYPE = 'transferLab.experimentPanel';

// ---------------------------------------------------------------------------------------------
// experiment (derived from the JSON file)
// ---------------------------------------------------------------------------------------------

/** Where a layer sits relative to the base the head is attached to. */
export type LayerRole =
  /** Part of the base (before or at the cut). */
  | 'base'
  /** The cut layer: the last base layer, whose activations feed the head. */
  | 'cut'
  /** After the cut: dropped with the old classifier. */
  | 'dropped';

/** One row of the layer table. */
export interface LayerRow {
  name: string;
  /** Keras/tfjs class name (`Conv2D`…). */
  className: string;
  /** 0-based position (0 = first layer after the input). */
  index: number;
  /** Output shape as text (`7×7×1280`; `?` for unknown sizes), or `''` when unknown. */
  outputShape: string;
  params: number;
  isBatchNorm: boolean;
  role: LayerRole;
  /** Frozen in each stage (same order as {@link ExperimentView.stages}); `[]` for dropped layers. */
  frozen: boolean[];
  /** Layer group whose multiplier applies (first match wins), or null (the `base` multiplier). */
  group: string | null;
  /** What else the panel says about the layer: a text base's embedding gives its vocabulary size and coverage. */
  note?: string;
}

/** One training stage as the panel shows it. */
export interface StageView {
  name: string;
  epochs: number;
  /** Head rate of the stage (peak for oneCycle). */
  learningRate: number;
  /** Why the freeze checkboxes of this stage cannot be edited, when they cannot (strategy, invalid selector). */
  freezeLocked?: string;
}

/** A `learningRate.layerGroups` entry. */
export interface GroupView {
  name: string;
  multiplier: number;
  /** How many base layers it gets (after earlier groups took theirs). */
  layerCount: number;
}

/** A problem of the experiment file, for the panel's problem list. */
export interface ProblemView {
  severity: 'error' | 'warning';
  message: string;
  /** JSON pointer. */
  path: string;
  /** 1-based line. */
  line: number;
}

/** The learning-rate preview: the rate per step of every group, from the trainer's own schedule code. */
export interface LrPreview {
  /** Steps per epoch used for the preview. */
  stepsPerEpoch: number;
  /** Where `stepsPerEpoch` comes from, for the user (`from run …`, `estimated from the data`, `set in the panel`). */
  stepsSource: string;
  /** Total optimizer steps over all stages. */
  totalSteps: number;
  /** Global steps of the sampled points (every step for short plans, evenly sampled for long ones). */
  steps: number[];
  /** One rate series per group (`head`, `base`, each layer group), aligned with `steps`. */
  series: { group: string; rates: number[] }[];
  /** First global step of each stage. */
  stageStarts: number[];
}

/** Everything the panel shows about the experiment file. */
export interface ExperimentView {
  /** Absolute path of the `*.transfer.json`. */
  file: string;
  fileName: string;
  name: string;
  /** False when the current text fails JSON/schema checks; `detail` then comes from the last valid text. */
  valid: boolean;
  problems: ProblemView[];
  /** What the (last) valid text says; absent when the file has never been valid since the panel opened. */
  detail?: ExperimentDetail;
}

/** The settings of a valid experiment text, as the panel shows them. */
export interface ExperimentDetail {
  /** `transfer.kind`: which data has labels. */
  kind: 'inductive' | 'transductive' | 'unsupervised';
  /**
   * What a transductive or unsupervised experiment does, for the header (`AdaBN + self-training`,
   * `PCA + k-means on pool2 features`); absent for inductive ones (the strategy says it).
   */
  method?: string;
  /** How the base is trained: inductive runs, and the source training of a transductive run (unsupervised runs train nothing). */
  strategy: 'scratch' | 'featureExtraction' | 'fineTune';
  /** Short description of the base (`built-in smallCnn`, `model mobilenet/model.json`…). */
  base: string;
  /** Why there are no layers (URL base, missing source run…), when there are none. */
  layersNote?: string;
  layers: LayerRow[];
  /** Name of the cut layer in effect (explicit or default). */
  cutLayer?: string;
  /** True when `transfer.cutLayer` is written in the file. */
  cutExplicit: boolean;
  stages: StageView[];
  /** True when `transfer.stages` is written (else the single stage derives from strategy and `transfer.freeze`). */
  stagesWritten: boolean;
  groups: GroupView[];
  learningRate: {
    base: number;
    baseMultiplier: number;
    schedule: Required<ScheduleSpec>;
    warmup: Required<WarmupSpec>;
  };
  batchSize: number;
  preview: LrPreview;
}

// ---------------------------------------------------------------------------------------------
// runs and metrics
// ---------------------------------------------------------------------------------------------

/** A past or current run in the run picker. */
export interface RunItem {
  runId: string;
  /** The run's name (`meta.json`), shown instead of its start time. */
  name?: string;
  /** Tags (`meta.json`). */
  tags?: string[];
  /** Notes (`meta.json`). */
  notes?: string;
  /** Why `meta.json` could not be read (names the file). */
  metaError?: string;
  /** The analysis a run did (`advise`, `layerSweep`, `gaborMatch`); absent for training runs. */
  task?: Exclude<RunTask, 'train'>;
  /** `transfer.kind` of a training run that is not inductive (`unsupervised`: clusters, no epochs; `transductive`). */
  transferKind?: string;
  status: RunStatus;
  startedAt: string;
  epochsDone: number;
  epochsPlanned: number;
  bestEpoch?: number;
  bestValAccuracy?: number;
  bestValLoss?: number;
  testAccuracy?: number;
  backend?: string;
  seconds: number;
}

/** The runs of the experiment and what is training now. */
export interface RunsView {
  /** Newest first. */
  runs: RunItem[];
  /** The run of this experiment in progress in this window (training or an analysis), if any. */
  /** The run in progress; `phase`: its preparation under way, in the status bar's words (`decoding photos 120/398 (train) · ETA 35 s`). */
  active?: { runId?: string; task: RunTask; state: 'starting' | 'running' | 'stopping'; backend?: BackendInfo; phase?: string };
  /**
   * Run whose metrics are shown, or null (none yet): the picked run, else the newest training run
   * (analysis runs feed only the analysis views).
   */
  shownRunId: string | null;
  /** True when the panel switches to each new training run by itself (no run was picked). */
  following: boolean;
  /** The `transferLab.backend` setting. */
  backendSetting: string;
  /** False in an untrusted workspace (runs are disabled). */
  canRun: boolean;
}

/** One point of the per-step series: a bucket of `stride` consecutive steps starting at `step`. */
export interface StepPoint {
  /** First global step of the bucket. */
  step: number;
  /** Mean training loss over the bucket's steps (null when a loss was not finite). */
  loss: number | null;
  /** Rate applied at `step`, per group. */
  lr: Record<string, number>;
}

/** The per-step series, decimated: each point covers `stride` steps. */
export interface StepSeries {
  stride: number;
  points: StepPoint[];
}

/** Full metric history of the shown run (from the run store). */
export interface RunMetrics {
  runId: string;
  status: RunStatus;
  steps: StepSeries;
  epochs: EpochEvent[];
  stages: StageEvent[];
  test?: TestEvent;
  /** Backend the run trained on. */
  backend?: BackendInfo;
  epochsPlanned: number;
  stepsPerEpoch?: number;
  bestEpoch?: number;
  error?: string;
  /** Input files the run left out (corrupt images), from its summary. */
  skipped?: SkippedSummary;
}

/**
 * New metrics of the shown run since the last message. Steps: the webview keeps its points before
 * index `from` and replaces the rest with `points` (the last bucket may have grown; a new stride
 * replaces everything with `from` 0). Epochs and stages are appended.
 */
export interface MetricsUpdate {
  runId: string;
  status: RunStatus;
  steps: { stride: number; from: number; points: StepPoint[] };
  epochs: EpochEvent[];
  stages: StageEvent[];
  test?: TestEvent;
  bestEpoch?: number;
  error?: string;
  skipped?: SkippedSummary;
}

/** One run of a comparison. */
export interface ComparedRun {
  runId: string;
  /** Absolute run folder (the page saves it to restore the comparison). */
  runDir: string;
  /** The run's experiment (its runs folder name): comparisons may span experiments. */
  experiment: string;
  /** The run's name (`meta.json`), if it has one. */
  name?: string;
  tags?: string[];
  status: RunStatus;
  bestEpoch?: number;
  bestValAccuracy?: number;
  bestValLoss?: number;
  testAccuracy?: number;
  epochs: Pick<EpochEvent, 'epoch' | 'trainLoss' | 'trainAccuracy' | 'valLoss' | 'valAccuracy'>[];
}

/** A setting whose value differs between the compared runs. */
export interface SettingDifference {
  /** Dotted path in the resolved config, e.g. `learningRate.schedule.type`. */
  key: string;
  /** JSON text of the value in each run (same order as the runs), `—` when absent. */
  values: string[];
}

/** Overlaid curves and the settings that differ. */
export interface ComparisonView {
  runs: ComparedRun[];
  differences: SettingDifference[];
}

// ---------------------------------------------------------------------------------------------
// analyses (result files of analysis runs and of the unsupervised / transductive kinds)
// ---------------------------------------------------------------------------------------------

/** The analyses the panel can start (each is a worker task recorded as a run of the experiment). */
export type AnalysisTask = 'advise' | 'layerSweep' | 'gaborMatch';

/** One result file as the panel shows it: which run wrote it, and its content. */
export interface AnalysisResult<T> {
  runId: string;
  /** The run's start time (ISO), for the view's caption. */
  startedAt: string;
  value: T;
}

/** `embedding.json` without the example ids (the scatter needs only coordinates, clusters and labels). */
export type EmbeddingPoints = Omit<EmbeddingFile, 'ids'> & {
  /** Points in the file; the view shows at most `x.length` of them (evenly sampled when there are more). */
  total: number;
};

/**
 * The newest result of each kind among the experiment's runs; a kind whose file the shown run has
 * comes from the shown run. A kind is absent when no run has written it.
 */
export interface AnalysesView {
  /** `advice.json` of the strategy advisor, and whether the file already says what it advises. */
  advice?: AnalysisResult<AdvisorReport> & { inEffect: boolean };
  /** `layer-sweep.json`. */
  layerSweep?: AnalysisResult<LayerSweepFile>;
  /** `clusters.json` with the 2-D points of `embedding.json` (when present). */
  clusters?: AnalysisResult<ClustersFile> & { embedding?: EmbeddingPoints };
  /** `gabor-match.json`. */
  gaborMatch?: AnalysisResult<GaborMatchFile>;
  /** `transductive.json`. */
  transductive?: AnalysisResult<TransductiveFile>;
  /**
   * `evaluation.json` of a training run: what the model got wrong. `thumbnails[i]` is a webview URI of
   * `value.mistakes[i]`'s image (null when it has no file, or the file is outside the experiment's data folders).
   */
  evaluation?: AnalysisResult<EvaluationFile> & { thumbnails: (string | null)[] };
}

/** Names of the analysis views (the host can ask the page to scroll one into view). */
export type AnalysisViewName = keyof AnalysesView;

// ---------------------------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------------------------

/** The full state: enough to rebuild the whole panel. */
export interface PanelState {
  experiment: ExperimentView;
  runs: RunsView;
  metrics: RunMetrics | null;
  comparison: ComparisonView | null;
  analyses: AnalysesView;
}

/** Host → webview notifications, by name. */
export interface HostToWebviewMessages {
  /** The full state (on open, on becoming visible, after a reload). */
  state: PanelState;
  /** The experiment file changed (typed, undone, edited by the panel). */
  experiment: ExperimentView;
  /** Runs started, ended or changed. */
  runs: RunsView;
  /** The shown run changed: its whole history. */
  metrics: RunMetrics | null;
  /** New points of the shown run (batched, at most ~10 a second). */
  metricsUpdate: MetricsUpdate;
  /** The result of a `compare` command (null: comparison closed). */
  comparison: ComparisonView | null;
  /** Analysis results changed (a run wrote one, a run was deleted, the file changed what is in effect). */
  analyses: AnalysesView;
  /** Scroll an analysis view into view (after its command finished). */
  revealAnalysis: { view: AnalysisViewName };
  /** Scroll the comparison into view (Compare Runs… from the sidebar). */
  revealComparison: Record<string, never>;
}

/** A setting of the experiment the panel edits through its form fields. */
export type SettingTarget =
  | { kind: 'learningRate'; key: 'base' | 'baseMultiplier' }
  | { kind: 'schedule'; key: keyof ScheduleSpec }
  | { kind: 'warmup'; key: keyof WarmupSpec }
  | { kind: 'groupMultiplier'; group: string }
  | { kind: 'stageEpochs'; stage: number }
  | { kind: 'stageLearningRate'; stage: number }
  | { kind: 'batchSize' };

/** Webview → host commands and notifications, by name. */
export interface WebviewToHostMessages {
  /** The page loaded (first load, shown again, or reloaded): the host answers with `state`. */
  ready: Record<string, never>;
  /** Freeze or unfreeze one base layer in one stage. */
  toggleFreeze: { stage: number; layer: string; frozen: boolean };
  /** Freeze exactly the layers from the first up to and including `layer` in one stage. */
  freezeUpTo: { stage: number; layer: string };
  /** Cut the base at `layer` (null: the default cut). */
  setCutLayer: { layer: string | null };
  /** Put `layer` in the layer group `group` (null: no group, the base multiplier). */
  setLayerGroup: { layer: string; group: string | null };
  /** Ask for a new group's name and multiplier, then put `layer` in it. */
  newLayerGroup: { layer: string };
  /** Set a number or enum setting (null removes it: the schema default applies). */
  setSetting: { target: SettingTarget; value: number | string | null };
  /** Steps per epoch for the preview (null: back to the estimate). Not saved in the experiment. */
  setPreviewSteps: { stepsPerEpoch: number | null };
  /** Show this run's metrics (null: follow the newest training run). */
  selectRun: { runId: string | null };
  /** Compare these runs: run ids of this experiment or absolute run folders (fewer than 2 closes the comparison). */
  compare: { runIds: string[] };
  /** Edit a run's name, tags or notes (the host asks with an input box). */
  editRun: { runId: string; field: 'name' | 'tags' | 'notes' };
  /** Run the experiment. */
  run: Record<string, never>;
  /** Start an analysis of the experiment (Recommend Strategy, Sweep Cut Layers, Compare Filters with Gabor). */
  analyze: { task: AnalysisTask };
  /** Apply the edit of this run's `advice.json` to the experiment file. */
  applyAdvice: { runId: string };
  /** Stop this experiment's run. */
  stop: Record<string, never>;
  /** Open the file of a misclassified example (`mistakes[index]` of this run's `evaluation.json`). */
  openEvaluationExample: { runId: string; index: number };
  /** Reveal a JSON pointer (or the file) in the text editor. */
  openJson: { pointer?: string };
  /** Undo or redo pressed in the page (outside a field with its own typing to undo): step the experiment document's history. */
  history: { action: 'undo' | 'redo' };
  /** Tab past the page's last control (`next`) or Shift+Tab before its first (`previous`): move the focus to that workbench part. */
  focusExit: { direction: 'next' | 'previous' };
  /**
   * Save a chart export: asks where (starting in the run's folder when `runId` is given, else beside the
   * experiment) and writes `data` (base64 for `png`, text for `csv`).
   */
  exportChart: { name: string; format: 'png' | 'csv'; data: string; runId?: string };
  /** "Classify with Run…" with this run: the host asks for files or folders to classify. */
  classifyWithRun: { runId: string };
  /** The page saw a Content-Security-Policy violation (should never happen). */
  cspViolation: { directive: string; blocked: string; sample: string };
}

/** A message with name `K` of the map `M`. */
export type MessageOf<M, K extends keyof M = keyof M> = K extends keyof M ? { type: K; payload: M[K] } : never;

/** Any host → webview message. */
export type HostToWebview = MessageOf<HostToWebviewMessages>;
/** Any webview → host message. */
export type WebviewToHost = MessageOf<WebviewToHostMessages>;

/** What the webview keeps with `setState` (survives hiding and window reloads). */
export interface PersistedPanelState {
  /** Absolute path of the experiment file (the serializer reopens the panel for it). */
  file: string;
  /** Run picked by the user (undefined: follow the newest training run). */
  runId?: string;
  /** Runs compared: run ids of this experiment or absolute run folders (another experiment's runs). */
  compare?: string[];
  /** Sort of the run table. */
  runSort?: { key: string; dir: 'asc' | 'desc' };
  /** Filters of the run table. */
  runFilter?: { tag?: string; status?: string };
  /** Setting shown against best validation accuracy in the comparison. */
  compareSetting?: string;
  /** Stage whose freeze the layer table edits. */
  stage?: number;
  /** Steps per epoch typed for the preview. */
  previewSteps?: number;
  /** Smoothing weight of the loss per step, in [0, 1). */
  smoothing?: number;
  /** Logarithmic loss axes. */
  logLoss?: boolean;
}

/** True for an object shaped like a message (`type` string, `payload` present). */
export function isMessage(m: unknown): m is { type: string; payload: unknown } {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && 'payload' in m;
}
