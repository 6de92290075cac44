/**
 * Live metrics of the shown run: loss per step (decimated by the host for long runs), loss and
 * accuracy per epoch (train and validation), the rate applied per step, samples per second, and the
 * epoch table. The loss per step is smoothed by the slider (TensorBoard's EMA, the raw curve faint
 * behind), the loss charts have a log switch, every chart zooms, pans and exports (PNG, CSV), and the
 * accuracy axis is fitted to the data. The section carries data attributes (`data-step-points`, `data-duplicates`…) that
 * describe what it holds, for the UI tests.
 */
import type { Chart } from 'chart.js';
import type { RunMetrics } from '../../../src/protocol/webview.js';
import { lineChart, setLogY, setSeries, type Series } from '../charts.js';
import { emaSmooth } from '../chart/smoothing.js';
import { chartFigure, smoothingSlider } from '../chart/toolbar.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { duration, int, num, pct, runTime, taskLabel } from '../format.js';
import { save } from '../host.js';
import type { PageState } from '../state.js';

/** Charts of a running run are redrawn at most this often (ms): the lag it adds stays well under 1 s. */
const MIN_DRAW_GAP_MS = 250;
/** The share of the page's time the charts of a running run may take (their drawing slows with load and points). */
const DRAW_SHARE = 0.25;

/** Renders the training charts. */
export class TrainingView {
  private readonly parts = section('training', 'Training');
  readonly el = this.parts.el;
  private readonly status = h('p', { class: 'run-line', id: 'training-status', 'aria-live': 'polite' });
  private readonly canvases = {
    stepLoss: h('canvas', { role: 'img', id: 'chart-step-loss', 'aria-label': 'Training loss per step' }),
    epochLoss: h('canvas', { role: 'img', id: 'chart-epoch-loss', 'aria-label': 'Loss per epoch' }),
    accuracy: h('canvas', { role: 'img', id: 'chart-accuracy', 'aria-label': 'Accuracy per epoch' }),
    rate: h('canvas', { role: 'img', id: 'chart-rate', 'aria-label': 'Learning rate applied per step' }),
  };
  private readonly charts: Record<keyof TrainingView['canvases'], Chart<'line'>>;
  private readonly table = h('div', { class: 'table-wrap epochs-wrap' });
  private readonly grid: HTMLElement;
  private readonly tools: HTMLElement;
  /** Last metrics drawn (redrawn when the smoothing or the log switch changes). */
  private shown: RunMetrics | null = null;
  /** The last state given to update (drawn now or when the budget allows). */
  private state: PageState | undefined;
  private drawTimer: number | undefined;
  /** When the charts were last drawn and what that cost (performance.now() ms). */
  private lastDraw = -Infinity;
  private drawMs = 0;
  private draws = 0;
  private drawTotalMs = 0;
  private tableKey = '';

  /** @param page the page's state, holding the chart settings (smoothing, log loss) the tools change. */
  constructor(private readonly page: PageState) {
    const runId = () => this.shown?.runId;
    const logLoss = {
      checked: () => page.logLoss,
      onChange: (log: boolean) => {
        page.logLoss = log;
        save({ logLoss: log });
        for (const c of [this.charts.stepLoss, this.charts.epochLoss]) setLogY(c, log);
        this.grid.querySelectorAll<HTMLInputElement>('input[data-tool="log"]').forEach((box) => (box.checked = log));
        this.drawCharts(this.shown);
      },
    };
    const fig = (name: string, title: string, key: keyof TrainingView['canvases'], xName: string, log?: typeof logLoss) =>
      chartFigure({ title, name, canvas: this.canvases[key], chart: () => this.charts[key], xName, runId, log });
    this.grid = h(
      'div',
      { class: 'chart-grid' },
      fig('loss-per-step', 'Loss per step', 'stepLoss', 'step', logLoss),
      fig('loss-per-epoch', 'Loss per epoch', 'epochLoss', 'epoch', logLoss),
      fig('accuracy-per-epoch', 'Accuracy per epoch', 'accuracy', 'epoch'),
      fig('rate-per-step', 'Rate applied per step', 'rate', 'step'),
    );
    this.tools = h(
      'div',
      { class: 'chart-options' },
      smoothingSlider(page.smoothing, (w) => {
        page.smoothing = w;
        save({ smoothing: w });
        this.drawCharts(this.shown);
      }),
      h('span', { class: 'muted hint' }, 'Drag a box to zoom · Shift+drag to pan · double-click to reset'),
    );
    this.parts.body.append(this.status, this.tools, this.grid, this.table);
    this.charts = {
      stepLoss: lineChart(this.canvases.stepLoss, { xTitle: 'step', yTitle: 'loss', logY: page.logLoss }),
      epochLoss: lineChart(this.canvases.epochLoss, { xTitle: 'epoch', yTitle: 'loss', integerX: true, logY: page.logLoss }),
      accuracy: lineChart(this.canvases.accuracy, { xTitle: 'epoch', yTitle: 'accuracy', integerX: true, unitY: true }),
      rate: lineChart(this.canvases.rate, { xTitle: 'step', yTitle: 'learning rate' }),
    };
  }

  /**
   * Renders the status line now and the charts and epoch table within the drawing budget: at once for
   * a new run or a run that ended, else at most once every {@link MIN_DRAW_GAP_MS} and never more
   * than {@link DRAW_SHARE} of the page's time (a gap of the last draw's cost / DRAW_SHARE). The
   * section's data attributes describe what the charts show, so they are set when the charts are drawn.
   */
  update(s: PageState): void {
    this.state = s;
    const m = s.metrics.metrics;
    // An unsupervised run has no epochs, steps or rate: only the status line (its clusters are under Analyses).
    const untrained = s.experiment?.detail?.kind === 'unsupervised';
    this.grid.hidden = untrained;
    this.tools.hidden = untrained;
    this.table.hidden = untrained;
    this.status.replaceChildren(...this.statusLine(s, m));
    const urgent = !m || m.status !== 'running' || m.runId !== this.el.dataset.runId;
    const wait = this.lastDraw + Math.max(MIN_DRAW_GAP_MS, this.drawMs / DRAW_SHARE) - performance.now();
    if (urgent || wait <= 0) {
      this.draw();
    } else {
      this.drawTimer ??= window.setTimeout(() => this.draw(), wait);
    }
  }

  /** Draws the charts and the epoch table from the last state given to {@link update}. */
  private draw(): void {
    if (this.drawTimer !== undefined) window.clearTimeout(this.drawTimer);
    this.drawTimer = undefined;
    const s = this.state;
    if (!s) return;
    const t0 = performance.now();
    const m = s.metrics.metrics;
    const ds = this.el.dataset;
    ds.runId = m?.runId ?? '';
    ds.status = m?.status ?? '';
    ds.stepPoints = String(m?.steps.points.length ?? 0);
    ds.stride = String(m?.steps.stride ?? 1);
    ds.firstStep = String(m?.steps.points[0]?.step ?? -1);
    ds.lastStep = String(m?.steps.points[m.steps.points.length - 1]?.step ?? -1);
    ds.epochs = String(m?.epochs.length ?? 0);
    ds.duplicates = String(s.metrics.duplicates);
    ds.updates = String(s.metrics.updates);
    this.drawCharts(m);
    // the epoch table is rebuilt only when its rows change (a new epoch, another best)
    const tableKey = m ? `${m.runId}:${m.epochs.length}:${m.bestEpoch ?? ''}:${m.stages.length}` : '';
    if (tableKey !== this.tableKey) {
      this.tableKey = tableKey;
      replaceChildrenKeepingFocus(this.table, [m && m.epochs.length ? this.epochTable(m) : null]);
    }
    this.lastDraw = performance.now();
    this.drawMs = this.lastDraw - t0;
    this.draws++;
    this.drawTotalMs += this.drawMs;
    // what drawing costs the page, for the UI tests (printed, not asserted)
    ds.draws = String(this.draws);
    ds.drawMs = this.drawTotalMs.toFixed(0);
  }

  private statusLine(s: PageState, m: RunMetrics | null): (Node | string)[] {
    if (!m) {
      if (s.runs?.active?.task === 'train') return [s.runs.active.phase ? `Preparing: ${s.runs.active.phase}` : 'Starting…'];
      return [
        s.experiment?.detail?.kind === 'unsupervised'
          ? 'An unsupervised experiment trains nothing: press Run to cluster its features; the clusters appear under Analyses.'
          : 'No training run yet: press Run to train; points appear here as they are computed.',
      ];
    }
    if (s.experiment?.detail?.kind === 'unsupervised') {
      return [
        `Run ${runTime(m.runId)} (${m.runId.slice(-4)}) · ${m.status} · an unsupervised run trains nothing: its clusters are under Analyses.`,
        ...(m.error ? [h('span', { class: 'error-text' }, ` — ${m.error}`)] : []),
        ...skippedNote(m),
      ];
    }
    const task = s.runs?.runs.find((r) => r.runId === m.runId)?.task;
    if (task)
      return [
        `Run ${runTime(m.runId)} (${m.runId.slice(-4)}) is an analysis (${taskLabel(task)}): its result is under Analyses. “Follow the newest training run” shows training again.`,
      ];
    const last = m.epochs[m.epochs.length - 1];
    const parts = [
      `Run ${runTime(m.runId)} (${m.runId.slice(-4)})`,
      m.status,
      `epoch ${m.epochs.length}/${m.epochsPlanned || '?'}`,
      last ? `${int(last.samplesPerSecond)} samples/s` : null,
      m.steps.stride > 1 ? `1 point = mean of ${m.steps.stride} steps` : null,
      m.bestEpoch !== undefined ? `best epoch ${m.bestEpoch + 1}` : null,
      m.test ? `test accuracy ${pct(m.test.accuracy)} (${m.test.checkpoint})` : null,
      m.backend ? `backend ${m.backend.name}` : null,
    ].filter((x): x is string => !!x);
    return [parts.join(' · '), ...(m.error ? [h('span', { class: 'error-text' }, ` — ${m.error}`)] : []), ...skippedNote(m)];
  }

  private drawCharts(m: RunMetrics | null): void {
    this.shown = m;
    const pts = m?.steps.points ?? [];
    const epochs = m?.epochs ?? [];
    const stageEpochs: number[] = [];
    let acc = 0;
    for (const st of m?.stages ?? []) {
      if (acc > 0) stageEpochs.push(acc);
      acc += st.epochs;
    }
    const stepMarks = m?.stepsPerEpoch ? stageEpochs.map((e) => e * m.stepsPerEpoch!) : [];
    // A log axis cannot show a loss of 0 or less: such points become gaps.
    const positive = (y: number | null) => (this.page.logLoss && y !== null && y <= 0 ? null : y);
    const raw = pts.map((p) => ({ x: p.step, y: positive(p.loss) }));
    const w = this.page.smoothing;
    const stepSeries: Series[] =
      w > 0 && raw.length > 1
        ? [
            { label: 'train loss', points: raw, color: 0, thin: true, faint: true },
            {
              label: `smoothed (${w.toFixed(2)})`,
              points: zipY(
                raw,
                emaSmooth(
                  raw.map((p) => p.y),
                  w,
                ),
              ),
              color: 0,
            },
          ]
        : [{ label: 'train loss', points: raw, color: 0, thin: pts.length > 200 }];
    setSeries(this.charts.stepLoss, stepSeries, stepMarks);
    this.el.dataset.smoothing = String(w);
    const ep = (f: (e: RunMetrics['epochs'][number]) => number | undefined) => epochs.map((e) => ({ x: e.epoch + 1, y: f(e) ?? null }));
    const epLoss = (f: (e: RunMetrics['epochs'][number]) => number | undefined) => ep(f).map((p) => ({ x: p.x, y: positive(p.y) }));
    setSeries(
      this.charts.epochLoss,
      [
        { label: 'train', points: epLoss((e) => e.trainLoss), color: 0, dots: true },
        { label: 'validation', points: epLoss((e) => e.valLoss), color: 1, dots: true },
      ],
      stageEpochs.map((e) => e + 0.5),
    );
    setSeries(
      this.charts.accuracy,
      [
        { label: 'train', points: ep((e) => e.trainAccuracy), color: 0, dots: true },
        { label: 'validation', points: ep((e) => e.valAccuracy), color: 1, dots: true },
      ],
      stageEpochs.map((e) => e + 0.5),
    );
    const groups = pts.length ? Object.keys(pts[0].lr) : [];
    setSeries(
      this.charts.rate,
      groups.map((g, i) => ({ label: g, points: pts.map((p) => ({ x: p.step, y: p.lr[g] ?? null })), color: i })),
      stepMarks,
    );
    const lastLoss = pts.length ? pts[pts.length - 1].loss : null;
    this.canvases.stepLoss.setAttribute('aria-label', `Training loss per step: ${pts.length} points${lastLoss !== null ? `, last ${num(lastLoss)}` : ''}`);
    const lastE = epochs[epochs.length - 1];
    this.canvases.accuracy.setAttribute(
      'aria-label',
      `Accuracy per epoch: ${epochs.length} epochs${lastE ? `, last validation ${pct(lastE.valAccuracy)}` : ''}`,
    );
  }

  private epochTable(m: RunMetrics) {
    return h(
      'table',
      { class: 'epochs', id: 'epoch-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Epoch', 'Stage', 'Train loss', 'Train acc', 'Val loss', 'Val acc', 'Time', 'Samples/s'].map((t, i) =>
            h('th', { class: i === 1 ? '' : 'num' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...m.epochs.map((e) =>
          h(
            'tr',
            { class: e.epoch === m.bestEpoch ? 'best' : '' },
            h('td', { class: 'num' }, e.epoch + 1, e.epoch === m.bestEpoch ? h('span', { class: 'badge' }, 'best') : null),
            h('td', {}, m.stages.find((st) => st.stage === e.stage)?.name ?? String(e.stage + 1)),
            h('td', { class: 'num' }, num(e.trainLoss)),
            h('td', { class: 'num' }, pct(e.trainAccuracy)),
            h('td', { class: 'num' }, num(e.valLoss)),
            h('td', { class: 'num' }, pct(e.valAccuracy)),
            h('td', { class: 'num' }, duration(e.seconds)),
            h('td', { class: 'num' }, int(e.samplesPerSecond)),
          ),
        ),
      ),
    );
  }
}

/** " · 2 files skipped (unsupported image format 1, …)": the files the run left out, each listed in the tooltip. */
function skippedNote(m: RunMetrics): HTMLElement[] {
  const s = m.skipped;
  if (!s || s.count === 0) return [];
  const why = s.reasons.map((r) => `${r.reason} ${r.count}`).join('; ');
  const title = s.reasons.map((r) => `${r.reason} (${r.count}):\n${r.files.join('\n')}${r.count > r.files.length ? '\n…' : ''}`).join('\n\n');
  return [
    h(
      'span',
      { class: 'skipped-note', id: 'training-skipped', title, 'data-count': String(s.count) },
      ` · ${s.count} ${s.count === 1 ? 'file' : 'files'} skipped (${why})`,
    ),
  ];
}

/** The points with their y replaced by `ys` (same length). */
function zipY(points: { x: number; y: number | null }[], ys: (number | null)[]): { x: number; y: number | null }[] {
  return points.map((p, i) => ({ x: p.x, y: ys[i] ?? null }));
}
