/**
 * Run comparison: validation accuracy and loss per epoch of every compared run overlaid, a table of
 * the settings that differ between their config snapshots (and only those), and each run's best epoch.
 */
import type { Chart } from 'chart.js';
import { lineChart, setSeries } from '../charts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { num, pct, runTime } from '../format.js';
import type { PageState } from '../state.js';

/** Renders the comparison (hidden when none is open). */
export class ComparisonView {
  private readonly parts = section('comparison', 'Comparison');
  readonly el = this.parts.el;
  private readonly accCanvas = h('canvas', { role: 'img', id: 'chart-compare-acc', 'aria-label': 'Validation accuracy per epoch of the compared runs' });
  private readonly lossCanvas = h('canvas', { role: 'img', id: 'chart-compare-loss', 'aria-label': 'Validation loss per epoch of the compared runs' });
  private readonly acc: Chart<'line'>;
  private readonly loss: Chart<'line'>;
  private readonly tables = h('div', {});

  constructor() {
    this.parts.body.append(
      h(
        'div',
        { class: 'chart-grid' },
        h('figure', { class: 'chart' }, h('figcaption', {}, 'Validation accuracy per epoch'), h('div', { class: 'chart-box' }, this.accCanvas)),
        h('figure', { class: 'chart' }, h('figcaption', {}, 'Validation loss per epoch'), h('div', { class: 'chart-box' }, this.lossCanvas)),
      ),
      this.tables,
    );
    this.acc = lineChart(this.accCanvas, { xTitle: 'epoch', yTitle: 'validation accuracy', integerX: true, unitY: true });
    this.loss = lineChart(this.lossCanvas, { xTitle: 'epoch', yTitle: 'validation loss', integerX: true });
  }

  update(s: PageState): void {
    const c = s.comparison;
    this.el.hidden = !c;
    if (!c) return;
    const label = (id: string) => `${runTime(id)} (${id.slice(-4)})`;
    setSeries(
      this.acc,
      c.runs.map((r, i) => ({ label: label(r.runId), points: r.epochs.map((e) => ({ x: e.epoch + 1, y: e.valAccuracy ?? null })), color: i, dots: true })),
    );
    setSeries(
      this.loss,
      c.runs.map((r, i) => ({ label: label(r.runId), points: r.epochs.map((e) => ({ x: e.epoch + 1, y: e.valLoss ?? null })), color: i, dots: true })),
    );
    const head = h('tr', {}, h('th', {}, 'Setting'), ...c.runs.map((r) => h('th', { class: 'mono' }, label(r.runId))));
    replaceChildrenKeepingFocus(this.tables, [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'compare', id: 'compare-table' },
          h('thead', {}, head),
          h(
            'tbody',
            {},
            h('tr', { class: 'summary-row' }, h('th', {}, 'status'), ...c.runs.map((r) => h('td', {}, r.status))),
            h(
              'tr',
              { class: 'summary-row' },
              h('th', {}, 'best epoch'),
              ...c.runs.map((r) => h('td', { class: 'num' }, r.bestEpoch !== undefined ? r.bestEpoch + 1 : '—')),
            ),
            h('tr', { class: 'summary-row' }, h('th', {}, 'best val accuracy'), ...c.runs.map((r) => h('td', { class: 'num' }, pct(r.bestValAccuracy)))),
            h('tr', { class: 'summary-row' }, h('th', {}, 'best val loss'), ...c.runs.map((r) => h('td', { class: 'num' }, num(r.bestValLoss)))),
            h('tr', { class: 'summary-row' }, h('th', {}, 'test accuracy'), ...c.runs.map((r) => h('td', { class: 'num' }, pct(r.testAccuracy)))),
            ...(c.differences.length
              ? c.differences.map((d) =>
                  h('tr', { 'data-setting': d.key }, h('th', {}, h('code', {}, d.key)), ...d.values.map((v) => h('td', { class: 'mono' }, v))),
                )
              : [h('tr', {}, h('td', { colspan: c.runs.length + 1, class: 'muted' }, 'The runs used the same settings.'))]),
          ),
        ),
      ),
    ]);
  }
}
