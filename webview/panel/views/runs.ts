/**
 * The runs of the experiment: pick the run whose metrics are shown (or follow the newest), tick runs
 * to compare, and see each run's status, epochs, best validation accuracy and epoch, test accuracy,
 * backend and time.
 */
import type { RunItem } from '../../../src/protocol/webview.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { duration, epochsCell, pct, runTime } from '../format.js';
import { post, save } from '../host.js';
import type { PageState } from '../state.js';

/** The Epochs cell: done/planned, or what a run without epochs is (an analysis's task, clustering). */
function epochsTd(x: RunItem): HTMLElement {
  const c = epochsCell(x);
  return c.kind === 'task' ? h('td', { class: 'task muted', ...(c.title ? { title: c.title } : {}) }, c.text) : h('td', { class: 'num' }, c.text);
}

/** Renders the run picker. */
export class RunsView {
  private readonly parts = section('runs', 'Runs');
  readonly el = this.parts.el;

  constructor(private readonly rerender: () => void) {}

  update(s: PageState): void {
    const r = s.runs;
    if (!r || r.runs.length === 0) {
      replaceChildrenKeepingFocus(this.parts.body, [h('p', { class: 'muted' }, 'No runs of this experiment yet.')]);
      return;
    }
    for (const id of [...s.compareTicks]) if (!r.runs.some((x) => x.runId === id)) s.compareTicks.delete(id);
    const ticks = s.compareTicks;
    const comparing = !!s.comparison;
    replaceChildrenKeepingFocus(this.parts.body, [
      h(
        'div',
        { class: 'toolbar' },
        h(
          'button',
          {
            'data-key': 'follow',
            disabled: r.following,
            title: 'Show the newest training run, and each new one as it starts (analysis runs show under Analyses)',
            onclick: () => {
              save({ runId: undefined });
              post('selectRun', { runId: null });
            },
          },
          r.following ? 'Following the newest training run' : 'Follow the newest training run',
        ),
        h(
          'button',
          {
            'data-key': 'compare',
            id: 'compare-button',
            disabled: ticks.size < 2,
            onclick: () => {
              save({ compare: [...ticks] });
              post('compare', { runIds: [...ticks] });
            },
          },
          `Compare ${ticks.size >= 2 ? ticks.size : ''} runs`.replace('  ', ' '),
        ),
        comparing
          ? h(
              'button',
              {
                'data-key': 'close-compare',
                onclick: () => {
                  save({ compare: [] });
                  post('compare', { runIds: [] });
                },
              },
              'Close the comparison',
            )
          : null,
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'runs', id: 'run-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Show', 'Compare', 'Started (UTC)', 'Status', 'Epochs', 'Best val acc', 'Best epoch', 'Test acc', 'Backend', 'Time'].map((t) =>
                h('th', {}, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...r.runs.map((x) =>
              h(
                'tr',
                {
                  class: [x.runId === r.shownRunId ? 'shown' : '', x.task ? 'analysis' : ''].filter(Boolean).join(' '),
                  'data-run': x.runId,
                  ...(x.task ? { 'data-task': x.task } : {}),
                  ...(x.transferKind ? { 'data-kind': x.transferKind } : {}),
                },
                h(
                  'td',
                  { class: 'center' },
                  h('input', {
                    type: 'radio',
                    name: 'shown-run',
                    'data-key': `show:${x.runId}`,
                    checked: x.runId === r.shownRunId,
                    'aria-label': `Show run ${x.runId}`,
                    onchange: () => {
                      save({ runId: x.runId });
                      post('selectRun', { runId: x.runId });
                    },
                  }),
                ),
                h(
                  'td',
                  { class: 'center' },
                  h('input', {
                    type: 'checkbox',
                    'data-key': `tick:${x.runId}`,
                    checked: ticks.has(x.runId),
                    'aria-label': `Compare run ${x.runId}`,
                    onchange: (ev: Event) => {
                      if ((ev.target as HTMLInputElement).checked) ticks.add(x.runId);
                      else ticks.delete(x.runId);
                      this.rerender();
                    },
                  }),
                ),
                h('td', { class: 'mono' }, runTime(x.runId)),
                h('td', {}, h('span', { class: `status-${x.status}` }, x.status)),
                epochsTd(x),
                h('td', { class: 'num' }, pct(x.bestValAccuracy)),
                h('td', { class: 'num' }, x.bestEpoch !== undefined ? x.bestEpoch + 1 : '—'),
                h('td', { class: 'num' }, pct(x.testAccuracy)),
                h('td', {}, x.backend ?? '—'),
                h('td', { class: 'num' }, duration(x.seconds)),
              ),
            ),
          ),
        ),
      ),
    ]);
  }
}
