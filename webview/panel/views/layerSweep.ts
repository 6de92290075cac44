/**
 * The layer sweep ("Sweep Cut Layers", `layer-sweep.json`): validation accuracy of a linear head on
 * the frozen features of each candidate cut layer (and the raw input, the no-transfer baseline) as a
 * bar chart, with the training accuracy as outlines; the best layer and the current cut are marked, and
 * "Use as cut layer" writes `transfer.cutLayer` (the same `setCutLayer` edit as the layer table's).
 */
import type { Chart } from 'chart.js';
import type { LayerSweepEntry } from '../../../src/core/runs/artifacts.js';
import { barChart, setBars } from '../charts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { int, pct, runTime } from '../format.js';
import { post } from '../host.js';
import type { PageState } from '../state.js';

/** Palette indices: plain bars, the best layer, the current cut layer, the training outlines. */
const PLAIN = 0;
const BEST = 2;
const CURRENT = 1;
const TRAIN = 3;

/** Renders the layer sweep. */
export class LayerSweepView {
  private readonly parts = section('layer-sweep', 'Layer sweep: linear head per cut layer');
  readonly el = this.parts.el;
  private readonly summary = h('div', { class: 'toolbar', id: 'sweep-summary' });
  private readonly canvas = h('canvas', { role: 'img', id: 'chart-layer-sweep', 'aria-label': 'Validation accuracy per cut layer' });
  private readonly chart: Chart<'bar'>;
  private readonly table = h('div', { class: 'table-wrap' });

  constructor() {
    this.parts.body.append(
      this.summary,
      h(
        'figure',
        { class: 'chart' },
        h('figcaption', {}, 'Accuracy of a linear head on each layer’s frozen features: bars validation, outlines training'),
        h('div', { class: 'chart-box tall' }, this.canvas),
      ),
      this.table,
    );
    this.chart = barChart(this.canvas, { xTitle: 'cut layer', yTitle: 'accuracy', unitY: true });
  }

  update(s: PageState): void {
    const r = s.analyses.layerSweep;
    this.el.hidden = !r;
    this.el.dataset.runId = r?.runId ?? '';
    if (!r) return;
    const f = r.value;
    // The cut layer in effect now (the file may have changed since the sweep).
    const current = s.experiment?.detail?.cutLayer ?? f.currentCutLayer;
    const canEdit = !!s.experiment?.valid;
    this.el.dataset.best = f.best ?? '';
    this.el.dataset.current = current;
    this.el.dataset.layers = String(f.layers.length);
    const color = (l: LayerSweepEntry) => (l.layer === f.best ? BEST : l.layer === current ? CURRENT : PLAIN);
    setBars(
      this.chart,
      f.layers.map((l) => l.layer),
      [
        { label: 'validation accuracy', values: f.layers.map((l) => l.valAccuracy ?? null), colors: f.layers.map(color) },
        { label: 'training accuracy', values: f.layers.map((l) => l.trainAccuracy), colors: TRAIN, outline: true },
        // legend entries of the bar colours
        ...(f.best ? [{ label: 'best', values: [], colors: BEST }] : []),
        { label: 'current cut', values: [], colors: CURRENT },
      ],
    );
    const best = f.layers.find((l) => l.layer === f.best);
    const cur = f.layers.find((l) => l.layer === current);
    this.canvas.setAttribute(
      'aria-label',
      `Validation accuracy per cut layer: ${f.layers.map((l) => `${l.layer} ${pct(l.valAccuracy)}`).join(', ')}${best ? `; best ${best.layer}` : ''}`,
    );
    const useButton = (layer: string, primary: boolean) =>
      h(
        'button',
        {
          class: primary ? 'primary' : 'small',
          'data-key': `use-cut:${layer}`,
          'data-use-cut': layer,
          disabled: !canEdit || layer === current,
          title: layer === current ? `"${layer}" is the cut layer` : `Set transfer.cutLayer to "${layer}" in the experiment file`,
          onclick: () => post('setCutLayer', { layer }),
        },
        primary ? `Use "${layer}" as cut layer` : 'Use as cut layer',
      );
    replaceChildrenKeepingFocus(this.summary, [
      h(
        'span',
        { class: 'muted' },
        `Run ${runTime(r.runId)} · ${f.examples.train} training / ${f.examples.validation} validation examples · ${f.classes} classes`,
      ),
      best
        ? h('span', {}, 'Best: ', h('code', {}, best.layer), ` ${pct(best.valAccuracy)}`)
        : h('span', { class: 'note' }, 'No validation data: nothing to choose by'),
      cur ? h('span', {}, 'Current cut: ', h('code', {}, current), ` ${pct(cur.valAccuracy)}`) : null,
      best && best.layer !== current ? useButton(best.layer, true) : null,
    ]);
    const withTest = f.layers.some((l) => l.testAccuracy !== undefined);
    replaceChildrenKeepingFocus(this.table, [
      h(
        'table',
        { class: 'sweep', id: 'sweep-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Layer', 'Class', 'Features', 'Train acc', 'Val acc', ...(withTest ? ['Test acc'] : []), ''].map((t, i, all) =>
              h('th', { class: i >= 2 && i < all.length - 1 ? 'num' : '' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...f.layers.map((l) =>
            h(
              'tr',
              { 'data-layer': l.layer, class: l.layer === f.best ? 'best' : '' },
              h(
                'td',
                {},
                h('code', {}, l.layer),
                l.layer === f.best ? h('span', { class: 'badge' }, 'best') : null,
                l.layer === current ? h('span', { class: 'badge cut-badge' }, 'cut') : null,
              ),
              h('td', { class: 'muted' }, l.className),
              h('td', { class: 'num', title: `${l.featureShape.join('×')}${l.pool > 1 ? ` after ${l.pool}×${l.pool} average pooling` : ''}` }, int(l.features)),
              h('td', { class: 'num' }, pct(l.trainAccuracy)),
              h('td', { class: 'num' }, pct(l.valAccuracy)),
              withTest ? h('td', { class: 'num' }, pct(l.testAccuracy)) : null,
              h('td', {}, l.index >= 0 ? useButton(l.layer, false) : h('span', { class: 'muted' }, 'raw pixels')),
            ),
          ),
        ),
      ),
    ]);
  }
}
