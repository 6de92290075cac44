/**
 * The experiment panel page (bundled by esbuild into `media/panel.js`). It renders what the extension
 * host sends — the full state on load, then small updates — and sends the user's commands back; it
 * keeps no settings of its own. Messages follow `src/protocol/webview.ts`.
 */
import { isMessage, type HostToWebview } from '../../src/protocol/webview.js';
import { restyleCharts } from './charts.js';
import { h } from './dom.js';
import { routeFocusExit } from './focusExit.js';
import { routeHistoryKeys } from './history.js';
import { post, save, saved } from './host.js';
import { RenderQueue } from './renderQueue.js';
import { isSortKey } from './runTable.js';
import { initialState } from './state.js';
import { AnalysesSection } from './views/analyses.js';
import { ComparisonView } from './views/comparison.js';
import { HeaderView } from './views/header.js';
import { LayersView } from './views/layers.js';
import { ProblemsView } from './views/problems.js';
import { RunsView } from './views/runs.js';
import { ScheduleView } from './views/schedule.js';
import { TrainingView } from './views/training.js';

// Report Content-Security-Policy violations (there should be none) to the host and on the page.
let cspViolations = 0;
document.addEventListener('securitypolicyviolation', (e) => {
  cspViolations++;
  document.body.dataset.cspViolations = String(cspViolations);
  post('cspViolation', { directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
document.body.dataset.cspViolations = '0';

const state = initialState();
const restored = saved();
state.stage = restored.stage ?? 0;
state.previewSteps = restored.previewSteps;
state.smoothing = restored.smoothing ?? state.smoothing;
state.logLoss = restored.logLoss ?? false;
for (const id of restored.compare ?? []) state.compareTicks.add(id);
if (restored.runSort && isSortKey(restored.runSort.key)) state.runSort = { key: restored.runSort.key, dir: restored.runSort.dir === 'asc' ? 'asc' : 'desc' };
state.runFilter = restored.runFilter ?? {};
state.compareSetting = restored.compareSetting;

const app = document.getElementById('app')!;
const render = () => renderAll();
const header = new HeaderView();
const problems = new ProblemsView();
const layers = new LayersView(render);
const schedule = new ScheduleView(state);
const training = new TrainingView(state);
const runs = new RunsView(render);
const comparison = new ComparisonView(state);
const analyses = new AnalysesSection();
/** The two columns; in one column (a narrow panel) a running run's charts come first (`training-first`). */
const columns = h(
  'div',
  { class: 'columns' },
  h('div', { class: 'col' }, layers.el, schedule.el),
  h('div', { class: 'col' }, training.el, runs.el, comparison.el),
);
const placeColumns = () => columns.classList.toggle('training-first', !!state.runs?.active && state.runs.active.task === 'train');
app.replaceChildren(header.el, problems.el, columns, analyses.el);
app.setAttribute('aria-busy', 'false');

/** Live updates (runs, metrics) render once per animation frame; other messages render at once. */
const queue = new RenderQueue();
const renderHeader = () => header.update(state);
const renderRuns = () => {
  placeColumns();
  runs.update(state);
};
const renderTraining = () => training.update(state);
const renderAnalyses = () => analyses.update(state);

function renderAll(): void {
  placeColumns();
  header.update(state);
  problems.update(state);
  layers.update(state);
  schedule.update(state);
  training.update(state);
  runs.update(state);
  comparison.update(state);
  analyses.update(state);
}

function onMessage(m: HostToWebview): void {
  switch (m.type) {
    case 'state':
      state.experiment = m.payload.experiment;
      state.runs = m.payload.runs;
      state.metrics.reset(m.payload.metrics);
      state.comparison = m.payload.comparison;
      state.analyses = m.payload.analyses;
      save({ file: m.payload.experiment.file });
      renderAll();
      document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? '0') + 1);
      document.body.dataset.stateAt ??= String(Math.round(performance.now()));
      return;
    case 'experiment':
      state.experiment = m.payload;
      header.update(state);
      problems.update(state);
      layers.update(state);
      schedule.update(state);
      analyses.update(state);
      return;
    case 'runs':
      state.runs = m.payload;
      queue.mark(renderHeader, renderRuns, renderTraining, renderAnalyses);
      return;
    case 'metrics':
      state.metrics.reset(m.payload);
      header.update(state);
      training.update(state);
      schedule.update(state);
      return;
    case 'metricsUpdate':
      if (state.metrics.apply(m.payload)) {
        queue.mark(renderTraining);
        if (m.payload.status !== 'running') queue.mark(renderHeader);
      }
      return;
    case 'comparison':
      state.comparison = m.payload;
      // Compare Runs… may have picked runs of other experiments: the page keeps their folders to restore the comparison.
      if (m.payload) {
        state.compareTicks = new Set(m.payload.runs.map((r) => r.runId));
        save({ compare: m.payload.runs.map((r) => r.runDir) });
      }
      runs.update(state);
      comparison.update(state);
      return;
    case 'analyses':
      state.analyses = m.payload;
      analyses.update(state);
      document.body.dataset.analyses = String(Number(document.body.dataset.analyses ?? '0') + 1);
      return;
    case 'revealAnalysis':
      analyses.reveal(m.payload.view);
      return;
    case 'revealComparison':
      comparison.reveal();
      return;
  }
}

window.addEventListener('message', (ev: MessageEvent) => {
  if (isMessage(ev.data)) onMessage(ev.data as HostToWebview);
});

// VS Code sets the theme as a class on <body>; the charts read colours from CSS variables.
new MutationObserver(() => restyleCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

routeHistoryKeys();
routeFocusExit();
renderAll();
// When the page asked for its state and when it got it (ms since the page started loading), for the UI tests.
document.body.dataset.readyAt = String(Math.round(performance.now()));
post('ready', {});
