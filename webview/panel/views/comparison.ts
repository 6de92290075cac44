/**
 * Run comparison (runs of one experiment or several): validation accuracy and loss per epoch of every
 * compared run overlaid (one colour per run, the legend names it), a table of the settings that differ
 * between their config snapshots (and only those) with each run's best epoch and accuracies, and a
 * chosen setting against best validation accuracy (a scatter: a numeric axis for numeric settings, a
 * category axis otherwise).
 */
import type { Chart } from 'chart.js';
import { destroyChart, lineChart, scatterChart, setScatter, setSeries, SHAPES, type ScatterXAxis } from '../charts.js';
import { defaultSetting, paddedRange, runLabels, settingAxis, valueText } from '../compareModel.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { num, pct } from '../format.js';
import { save } from '../host.js';
import type { PageState } from '../state.js';

/** Renders the comparison (hidden when none is open). */
export class ComparisonView {
  private readonly parts = section('comparison', 'Comparison');
  readonly el = this.parts.el;
  private readonly accCanvas = h('canvas', { role: 'img', id: 'chart-compare-acc', 'aria-label': 'Validation accuracy per epoch of the compared runs' });
  private readonly lossCanvas = h('canvas', { role: 'img', id: 'chart-compare-loss', 'aria-label': 'Validation loss per epoch of the compared runs' });
  private readonly scatterCanvas = h('canvas', { role: 'img', id: 'chart-compare-setting', 'aria-label': 'A setting against best validation accuracy' });
  private readonly acc: Chart<'line'>;
  private readonly loss: Chart<'line'>;
  /** Made again when the setting changes (a category and a numeric axis are different scales). */
  private scatter: Chart<'scatter'> | undefined;
  private readonly caption = h('p', { class: 'muted', id: 'compare-caption' });
  private readonly settingBar = h('div', { class: 'toolbar' });
  private readonly settingFigure: HTMLElement;
  private readonly tables = h('div', {});

  constructor(private readonly state: PageState) {
    this.settingFigure = h(
      'figure',
      { class: 'chart', id: 'compare-setting' },
      h('figcaption', {}, 'Setting against best validation accuracy'),
      this.settingBar,
      h('div', { class: 'chart-box' }, this.scatterCanvas),
    );
    this.parts.body.append(
      this.caption,
      h(
        'div',
        { class: 'chart-grid' },
        h('figure', { class: 'chart' }, h('figcaption', {}, 'Validation accuracy per epoch'), h('div', { class: 'chart-box' }, this.accCanvas)),
        h('figure', { class: 'chart' }, h('figcaption', {}, 'Validation loss per epoch'), h('div', { class: 'chart-box' }, this.lossCanvas)),
      ),
      this.tables,
      this.settingFigure,
    );
    this.acc = lineChart(this.accCanvas, { xTitle: 'epoch', yTitle: 'validation accuracy', integerX: true, unitY: true });
    this.loss = lineChart(this.lossCanvas, { xTitle: 'epoch', yTitle: 'validation loss', integerX: true });
  }

  /** Scrolls the comparison into view (Compare Runs… from the sidebar). */
  reveal(): void {
    if (!this.el.hidden) this.el.scrollIntoView({ block: 'start' });
  }

  update(s: PageState): void {
    const c = s.comparison;
    this.el.hidden = !c;
    if (!c) return;
    const labels = runLabels(c.runs);
    const experiments = [...new Set(c.runs.map((r) => r.experiment))];
    this.caption.textContent = `${c.runs.length} runs of ${experiments.length === 1 ? experiments[0] : `${experiments.length} experiments (${experiments.join(', ')})`}`;
    this.el.dataset.runs = String(c.runs.length);
    // The legend is drawn in the canvas: its entries are also on the canvas, for tests and assistive tools.
    this.accCanvas.dataset.series = labels.join('\n');
    this.accCanvas.setAttribute('aria-label', `Validation accuracy per epoch of ${labels.join(', ')}`);
    setSeries(
      this.acc,
      c.runs.map((r, i) => ({ label: labels[i], points: r.epochs.map((e) => ({ x: e.epoch + 1, y: e.valAccuracy ?? null })), color: i, dots: true })),
    );
    setSeries(
      this.loss,
      c.runs.map((r, i) => ({ label: labels[i], points: r.epochs.map((e) => ({ x: e.epoch + 1, y: e.valLoss ?? null })), color: i, dots: true })),
    );
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Setting'),
      ...c.runs.map((r, i) => h('th', { scope: 'col', class: 'run-col', 'data-run-dir': r.runDir }, labels[i])),
    );
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
            h('tr', { class: 'summary-row' }, h('th', { scope: 'row' }, 'status'), ...c.runs.map((r) => h('td', {}, r.status))),
            h(
              'tr',
              { class: 'summary-row' },
              h('th', { scope: 'row' }, 'best epoch'),
              ...c.runs.map((r) => h('td', { class: 'num' }, r.bestEpoch !== undefined ? r.bestEpoch + 1 : '—')),
            ),
            h(
              'tr',
              { class: 'summary-row' },
              h('th', { scope: 'row' }, 'best val accuracy'),
              ...c.runs.map((r) => h('td', { class: 'num' }, pct(r.bestValAccuracy))),
            ),
            h('tr', { class: 'summary-row' }, h('th', { scope: 'row' }, 'best val loss'), ...c.runs.map((r) => h('td', { class: 'num' }, num(r.bestValLoss)))),
            h('tr', { class: 'summary-row' }, h('th', { scope: 'row' }, 'test accuracy'), ...c.runs.map((r) => h('td', { class: 'num' }, pct(r.testAccuracy)))),
            ...(c.differences.length
              ? c.differences.map((d) =>
                  h('tr', { 'data-setting': d.key }, h('th', { scope: 'row' }, h('code', {}, d.key)), ...d.values.map((v) => h('td', { class: 'mono' }, v))),
                )
              : [h('tr', {}, h('td', { colspan: c.runs.length + 1, class: 'muted' }, 'The runs used the same settings.'))]),
          ),
        ),
      ),
    ]);
    this.updateScatter(s, labels);
  }

  /** The chosen setting against best validation accuracy, one marker per run in its colour. */
  private updateScatter(s: PageState, labels: string[]): void {
    const c = s.comparison!;
    const key = defaultSetting(c.differences, s.compareSetting);
    this.settingFigure.hidden = !key;
    if (!key) return;
    const diff = c.differences.find((d) => d.key === key)!;
    const axis = settingAxis(diff.values);
    replaceChildrenKeepingFocus(this.settingBar, [
      h(
        'label',
        {},
        'Setting ',
        h(
          'select',
          {
            id: 'compare-setting-select',
            'data-key': 'compare-setting',
            onchange: (ev: Event) => {
              s.compareSetting = (ev.target as HTMLSelectElement).value;
              save({ compareSetting: s.compareSetting });
              this.updateScatter(s, labels);
            },
          },
          ...c.differences.map((d) => h('option', { value: d.key, selected: d.key === key }, d.key)),
        ),
      ),
      h('span', { class: 'muted', id: 'compare-setting-axis' }, axis.kind === 'numeric' ? (axis.log ? 'numeric, log axis' : 'numeric axis') : 'category axis'),
    ]);
    this.settingFigure.dataset.axis = axis.kind === 'numeric' ? (axis.log ? 'logarithmic' : 'linear') : 'category';
    this.settingFigure.dataset.setting = key;
    const x: ScatterXAxis =
      axis.kind === 'numeric'
        ? { kind: 'numeric', log: axis.log, title: key, ...paddedRange(axis.x, axis.log) }
        : { kind: 'category', labels: axis.labels, title: key };
    if (this.scatter) destroyChart(this.scatter);
    this.scatter = scatterChart(this.scatterCanvas, { xTitle: key, yTitle: 'best validation accuracy', unitY: true, legend: 'bottom', x });
    setScatter(
      this.scatter,
      c.runs.map((r, i) => ({
        label: `${labels[i]}: ${valueText(diff.values[i])}`,
        points: r.bestValAccuracy !== undefined ? [{ x: axis.x[i], y: r.bestValAccuracy }] : [],
        color: i,
        radius: 5,
        ...(i >= 6 ? { shape: SHAPES[Math.floor(i / 6) % SHAPES.length] } : {}),
      })),
    );
  }
}
