/**
 * The analyses of the experiment, below the layers and training columns: buttons that start each
 * analysis (the host runs the same commands as the palette) and one view per result kind — strategy
 * advice, layer sweep, clusters, Gabor match, transductive accuracies — each shown once a run of the
 * experiment has written its result file.
 */
import type { AnalysisTask, AnalysisViewName } from '../../../src/protocol/webview.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { post } from '../host.js';
import type { PageState } from '../state.js';
import { AdviceView } from './advice.js';
import { ClustersView } from './clusters.js';
import { GaborView } from './gabor.js';
import { LayerSweepView } from './layerSweep.js';
import { TransductiveView } from './transductive.js';
import { EvaluationView } from './evaluation.js';

/** The buttons of the toolbar: task, label, tooltip. */
const TASKS: [AnalysisTask, string, string][] = [
  ['advise', 'Recommend strategy', 'Measure the labelled target size and its similarity to the source, and match them to the four rules of thumb'],
  ['layerSweep', 'Sweep cut layers', 'Fit a linear head on the frozen features of every candidate cut layer and compare validation accuracy'],
  ['gaborMatch', 'Compare filters with Gabor', 'Match each first-layer filter of the base with the closest Gabor kernel'],
];

/** Renders the analyses section. */
export class AnalysesSection {
  private readonly parts = section('analyses', 'Analyses');
  readonly el = this.parts.el;
  private readonly toolbar = h('div', { class: 'toolbar' });
  private readonly empty = h('p', { class: 'muted' }, 'No analysis yet. Each one runs in the worker and is recorded as a run of this experiment.');
  private readonly views = {
    advice: new AdviceView(),
    layerSweep: new LayerSweepView(),
    clusters: new ClustersView(),
    gaborMatch: new GaborView(),
    transductive: new TransductiveView(),
    evaluation: new EvaluationView(),
  };

  constructor() {
    this.parts.body.append(this.toolbar, this.empty, ...Object.values(this.views).map((v) => v.el));
  }

  update(s: PageState): void {
    const r = s.runs;
    const busy = !!r?.active;
    replaceChildrenKeepingFocus(
      this.toolbar,
      TASKS.map(([task, label, title]) =>
        h(
          'button',
          {
            'data-key': `analyze:${task}`,
            'data-analyze': task,
            disabled: busy || !r?.canRun || s.experiment?.valid === false,
            title: r?.canRun === false ? 'Analyses run in the worker: they need a trusted workspace' : busy ? 'A run of this experiment is in progress' : title,
            onclick: () => post('analyze', { task }),
          },
          label,
        ),
      ),
    );
    for (const v of Object.values(this.views)) v.update(s);
    this.empty.hidden = Object.keys(s.analyses).length > 0;
  }

  /** Scrolls one view into sight (after its command finished). */
  reveal(view: AnalysisViewName): void {
    const el = this.views[view].el;
    if (!el.hidden) scrollBelowHeader(el);
  }
}

/** Scrolls the page so that `el` starts just below the sticky header (whose height depends on the panel's width). */
export function scrollBelowHeader(el: HTMLElement): void {
  const header = document.getElementById('top')?.getBoundingClientRect().height ?? 0;
  window.scrollTo({ top: Math.max(0, el.getBoundingClientRect().top + window.scrollY - header - 8), behavior: 'instant' as ScrollBehavior });
}
