/**
 * A chart's figure with its tools in the caption: an optional "log" switch for the y axis, "Reset zoom"
 * (enabled once the chart is zoomed or panned), and export of the chart as PNG and of its series as
 * CSV. Exports go to the extension host (`exportChart`), which asks where to save them: a webview
 * cannot download files.
 */
import type { Chart } from 'chart.js';
import { chartPng, resetView, shownSeries, ZOOM_EVENT } from '../charts.js';
import { h } from '../dom.js';
import { post } from '../host.js';
import { seriesCsv } from './csv.js';

/** What {@link chartFigure} needs. */
export interface FigureOptions {
  /** Caption text. */
  title: string;
  /** File-name stem of the exports (`loss-per-step` → `loss-per-step.png`, `.csv`). */
  name: string;
  canvas: HTMLCanvasElement;
  /** The chart drawn on `canvas` (created after the figure). */
  chart: () => Chart<'line'>;
  /** Header of the CSV's x column (`step`, `epoch`). */
  xName: string;
  /** Run whose data the chart shows (the save dialog starts in its folder). */
  runId?: () => string | undefined;
  /** A "log" switch for the y axis. */
  log?: { checked: () => boolean; onChange: (log: boolean) => void };
  /** Extra class of the chart box (`tall`). */
  boxClass?: string;
}

/** Builds the figure: caption with title and tools, then the chart box holding `canvas`. */
export function chartFigure(o: FigureOptions): HTMLElement {
  const reset = h(
    'button',
    {
      type: 'button',
      class: 'chart-tool',
      'data-tool': 'reset',
      disabled: true,
      title: 'Back to the whole chart (or double-click the chart). Drag a box to zoom, Shift+drag to pan, Ctrl+wheel to zoom.',
      onclick: () => resetView(o.chart()),
    },
    'Reset zoom',
  );
  o.canvas.addEventListener(ZOOM_EVENT, () => {
    reset.disabled = !o.chart().isZoomedOrPanned();
  });
  const log = o.log
    ? h(
        'label',
        { class: 'chart-tool check', title: 'Logarithmic y axis' },
        h('input', {
          type: 'checkbox',
          'data-tool': 'log',
          checked: o.log.checked(),
          onchange: (ev: Event) => o.log!.onChange((ev.target as HTMLInputElement).checked),
        }),
        'log',
      )
    : null;
  const png = h(
    'button',
    {
      type: 'button',
      class: 'chart-tool',
      'data-tool': 'png',
      title: 'Save this chart as a PNG image',
      onclick: () =>
        post('exportChart', {
          name: `${o.name}.png`,
          format: 'png',
          data: chartPng(o.chart() as unknown as Chart).replace(/^data:image\/png;base64,/, ''),
          runId: o.runId?.(),
        }),
    },
    'PNG',
  );
  const csv = h(
    'button',
    {
      type: 'button',
      class: 'chart-tool',
      'data-tool': 'csv',
      title: 'Save the series of this chart as CSV',
      onclick: () => post('exportChart', { name: `${o.name}.csv`, format: 'csv', data: seriesCsv(o.xName, shownSeries(o.chart())), runId: o.runId?.() }),
    },
    'CSV',
  );
  return h(
    'figure',
    { class: 'chart', 'data-chart': o.name },
    h('figcaption', {}, h('span', { class: 'chart-title' }, o.title), h('span', { class: 'chart-tools' }, log, reset, png, csv)),
    h('div', { class: `chart-box${o.boxClass ? ` ${o.boxClass}` : ''}` }, o.canvas),
  );
}

/**
 * The smoothing slider of a group of charts: weight 0 (off) to 0.99, as TensorBoard's. Calls
 * `onChange` as the slider moves.
 */
export function smoothingSlider(initial: number, onChange: (weight: number) => void): HTMLElement {
  const out = h('output', { class: 'mono', id: 'smoothing-value' }, initial.toFixed(2));
  return h(
    'label',
    {
      class: 'field inline smoothing',
      title: "Exponential moving average of the loss per step (TensorBoard's, debiased); the raw curve stays faint behind it",
    },
    h('span', {}, 'smoothing'),
    h('input', {
      type: 'range',
      id: 'smoothing',
      'data-key': 'smoothing',
      min: 0,
      max: 0.99,
      step: 0.01,
      value: String(initial),
      oninput: (ev: Event) => {
        const w = Number((ev.target as HTMLInputElement).value);
        out.textContent = w.toFixed(2);
        onChange(w);
      },
    }),
    out,
  );
}
