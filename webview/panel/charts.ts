/**
 * Chart.js for the panel: only the pieces the panel uses are registered (line charts on linear or
 * logarithmic axes, bar charts on a category axis, scatter charts, legend, tooltip), colours come from VS Code's theme variables (`--vscode-charts-*`)
 * and are re-read when the theme changes, and animations are off so live updates are cheap. Chart.js
 * sizes its canvas through the CSSOM (`canvas.style.width = …`), which the panel's CSP allows; nothing
 * here adds a `style` attribute or a `<style>` element. Line charts zoom and pan with chartjs-plugin-zoom
 * (drag a box to zoom, Shift+drag to pan, Ctrl+wheel to zoom, double-click to reset); an accuracy axis
 * is fitted to its data while not zoomed, and log axes label only ticks that do not overlap.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type Plugin,
  type PointStyle,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { fitUnitRange, logTickLabelled, logTickText } from './chart/axes.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
  BarController,
  BarElement,
  CategoryScale,
  ScatterController,
  zoomPlugin,
);

/** Colours of the current theme. */
export interface Palette {
  foreground: string;
  grid: string;
  series: string[];
}

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

/** Reads the chart colours from the theme variables. */
export function palette(): Palette {
  return {
    foreground: css('--vscode-charts-foreground', css('--vscode-foreground', '#888')),
    grid: css('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    series: [
      css('--vscode-charts-blue', '#3794ff'),
      css('--vscode-charts-orange', '#d18616'),
      css('--vscode-charts-green', '#89d185'),
      css('--vscode-charts-purple', '#b180d7'),
      css('--vscode-charts-red', '#f14c4c'),
      css('--vscode-charts-yellow', '#cca700'),
    ],
  };
}

/** One line of a chart. */
export interface Series {
  label: string;
  points: { x: number; y: number | null }[];
  /** Index into the palette. */
  color: number;
  dashed?: boolean;
  /** Draw dots at the points (short series). */
  dots?: boolean;
  /** Thinner line (background series). */
  thin?: boolean;
  /** Drawn translucent behind the others (the raw curve under its smoothed one). */
  faint?: boolean;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  xTitle: string;
  yTitle: string;
  logY?: boolean;
  /** Integer ticks on x (epochs). */
  integerX?: boolean;
  /** Accuracy on y: percent labels, the axis fitted to the data inside [0, 1] (see {@link fitUnitRange}). */
  unitY?: boolean;
}

/** Name of the event a line chart's canvas receives after a zoom, a pan or a reset (the toolbar listens). */
export const ZOOM_EVENT = 'chart-zoom';

/** Log-axis tick labels that do not overlap: labelled ticks chosen once per tick list ({@link logTickLabelled}). */
const labelled = new WeakMap<object, Set<number>>();
function logTickCallback(this: { maxHeight?: number; height?: number }, value: number | string, index: number, ticks: { value: number }[]): string {
  let keep = labelled.get(ticks);
  if (!keep) {
    // The axis length is not final while labels are made: use the space offered (a bit less, to be safe).
    const length = (this.height || this.maxHeight || 200) * 0.9;
    keep = logTickLabelled(
      ticks.map((t) => t.value),
      length,
      16,
    );
    labelled.set(ticks, keep);
  }
  return keep.has(index) ? logTickText(Number(value)) : '';
}

/** Accuracy tick labels in percent, with a decimal when the axis spans under 5 points. */
function percentTickCallback(this: { max: number; min: number }, value: number | string): string {
  const digits = this.max - this.min < 0.05 ? 1 : 0;
  return `${(Number(value) * 100).toFixed(digits)}%`;
}

/** Sets the y axis' type and tick labels (log: {@link logTickCallback}; accuracy: percent). */
function configureY(y: Record<string, unknown>, log: boolean, unit: boolean): void {
  y.type = log ? 'logarithmic' : 'linear';
  const ticks = (y.ticks ?? (y.ticks = {})) as Record<string, unknown>;
  if (log) ticks.callback = logTickCallback;
  else if (unit) ticks.callback = percentTickCallback;
  else delete ticks.callback;
}

/** Export in progress: the background plugin paints the theme's background (a PNG is otherwise transparent). */
const exporting = new WeakSet<Chart>();
const background: Plugin = {
  id: 'exportBackground',
  beforeDraw(chart) {
    if (!exporting.has(chart)) return;
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = css('--vscode-editor-background', '#ffffff');
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** The chart as a PNG data URL, on the theme's background, at the canvas' device-pixel size. */
export function chartPng(chart: Chart): string {
  exporting.add(chart);
  chart.draw();
  const url = chart.toBase64Image('image/png');
  exporting.delete(chart);
  chart.draw();
  return url;
}

/** Dashed vertical lines at `chart.options.plugins.markers.at` (stage boundaries). */
const markers: Plugin<'line'> = {
  id: 'markers',
  afterDatasetsDraw(chart) {
    const at = (chart.options.plugins as { markers?: { at?: number[]; color?: string } }).markers;
    if (!at?.at?.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = at.color ?? '#888';
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    for (const x of at.at) {
      const px = scales.x.getPixelForValue(x);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
  },
};

/** Options of every chart: drawn without animation, sized by its container's CSS. */
const STATIC = { animation: false, responsive: true, maintainAspectRatio: false } as const;
/** Options of charts given {x, y} points: Chart.js skips its parsing and normalising passes. */
const PREPARSED = { parsing: false, normalized: true } as const;

/** Every live chart with the lines it shows (to re-colour them when the theme changes). */
const charts = new Map<Chart<'line'>, { series: Series[]; markers: number[]; opts: ChartOptions }>();

/** Creates a line chart on `canvas` (sized by its container's CSS). */
export function lineChart(canvas: HTMLCanvasElement, opts: ChartOptions): Chart<'line'> {
  const p = palette();
  const chart = new Chart<'line', { x: number; y: number | null }[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    plugins: [markers, background as Plugin<'line'>],
    options: {
      ...STATIC,
      ...PREPARSED,
      spanGaps: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: opts.xTitle, color: p.foreground },
          ticks: { color: p.foreground, ...(opts.integerX ? { precision: 0 } : {}) },
          grid: { color: p.grid },
        },
        y: {
          type: opts.logY ? 'logarithmic' : 'linear',
          title: { display: true, text: opts.yTitle, color: p.foreground },
          ticks: { color: p.foreground },
          grid: { color: p.grid },
          ...(opts.unitY ? { min: 0, max: 1 } : {}),
        },
      },
      plugins: {
        legend: { labels: { color: p.foreground, boxWidth: 12, boxHeight: 2 } },
        tooltip: { enabled: true },
        zoom: {
          limits: { x: { min: 'original', max: 'original' }, y: opts.unitY ? { min: 0, max: 1 } : {} },
          pan: { enabled: true, mode: 'xy', modifierKey: 'shift', onPanComplete: () => zoomed(canvas) },
          zoom: {
            mode: 'xy',
            drag: { enabled: true, threshold: 6, borderColor: p.foreground, borderWidth: 1, backgroundColor: 'rgba(128,128,128,0.15)' },
            wheel: { enabled: true, modifierKey: 'ctrl' },
            onZoomComplete: () => zoomed(canvas),
          },
        },
        ...({ markers: { at: [], color: p.grid } } as object),
      },
    },
  });
  configureY(chart.options.scales!.y as Record<string, unknown>, !!opts.logY, !!opts.unitY);
  charts.set(chart, { series: [], markers: [], opts });
  canvas.addEventListener('dblclick', () => resetView(chart));
  return chart;
}

const zoomed = (canvas: HTMLCanvasElement) => canvas.dispatchEvent(new Event(ZOOM_EVENT));

/** Undoes zoom and pan, refits an accuracy axis to the data, and tells the toolbar. */
export function resetView(chart: Chart<'line'>): void {
  chart.resetZoom('none');
  const shown = charts.get(chart);
  if (shown) setSeries(chart, shown.series, shown.markers);
  zoomed(chart.canvas);
}

/** Replaces the chart's lines (and stage markers) and redraws without animation. */
export function setSeries(chart: Chart<'line'>, series: Series[], markerAt: number[] = []): void {
  const opts = charts.get(chart)?.opts ?? { xTitle: '', yTitle: '' };
  charts.set(chart, { series, markers: markerAt, opts });
  const p = palette();
  if (opts.unitY && !chart.isZoomedOrPanned()) {
    const y = chart.options.scales!.y!;
    Object.assign(y, fitUnitRange(series.flatMap((s) => s.points.map((pt) => pt.y))));
  }
  chart.data.datasets = series.map((s): ChartDataset<'line', { x: number; y: number | null }[]> => {
    const color = s.faint ? translucent(p.series[s.color % p.series.length]!, 0.3) : p.series[s.color % p.series.length];
    return {
      label: s.label,
      data: s.points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: s.thin ? 1 : 2,
      borderDash: s.dashed ? [6, 4] : [],
      pointRadius: s.dots ? 2.5 : 0,
      pointHoverRadius: 4,
      tension: 0,
    };
  });
  (chart.options.plugins as { markers?: { at: number[]; color: string } }).markers = { at: markerAt, color: p.foreground };
  chart.update('none');
  describeY(chart);
}

/**
 * Writes what the y axis shows onto the canvas (`data-y-type`, `data-y-min`, `data-y-max`, and the
 * tick labels drawn, space-separated, in `data-y-labels`), for the UI tests.
 */
function describeY(chart: Chart<'line'>): void {
  const y = chart.scales.y;
  if (!y) return;
  const ds = chart.canvas.dataset;
  ds.yType = y.type;
  ds.yMin = String(y.min);
  ds.yMax = String(y.max);
  ds.yLabels = y.ticks
    .map((t) => (Array.isArray(t.label) ? t.label.join(' ') : (t.label ?? '')))
    .filter((l) => l !== '')
    .join(' ');
}

/** Switches the y axis between linear and logarithmic (zoom is reset: its ranges belong to the other axis type). */
export function setLogY(chart: Chart<'line'>, log: boolean): void {
  const shown = charts.get(chart);
  if (shown) shown.opts = { ...shown.opts, logY: log };
  const y = chart.options.scales?.y;
  if (y) configureY(y as Record<string, unknown>, log, !!shown?.opts.unitY);
  if (chart.isZoomedOrPanned()) resetView(chart);
  else chart.update('none');
  describeY(chart);
}

/** The series a line chart shows now (for the CSV export). */
export function shownSeries(chart: Chart<'line'>): Series[] {
  return charts.get(chart)?.series ?? [];
}

/** The colour with the given opacity (`#rrggbb[aa]`, `#rgb[a]`, `rgb[a](…)`; other forms are returned as they are). */
export function translucent(color: string, alpha: number): string {
  const o = opaque(color);
  const hex6 = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(o);
  const hex3 = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(o);
  const rgb = /^rgb\(\s*([^,]+),\s*([^,]+),\s*([^)]+)\)$/i.exec(o);
  const parts = hex6 ? hex6.slice(1).map((x) => parseInt(x, 16)) : hex3 ? hex3.slice(1).map((x) => parseInt(x + x, 16)) : rgb ? rgb.slice(1) : null;
  return parts ? `rgba(${parts.join(', ')}, ${alpha})` : color;
}

/** Bar and scatter charts, each with the function that redraws it in the current theme's colours. */
const otherCharts = new Map<Chart, () => void>();

/** Axis options in the theme's colours. */
function axis(title: string, p: Palette, extra: object = {}): object {
  return { title: { display: true, text: title, color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.grid }, ...extra };
}

/** One bar series: a value per category, each bar coloured by a palette index. */
export interface BarSeries {
  label: string;
  /** One value per category; `[]` for a series that only names a colour in the legend. */
  values: (number | null)[];
  /** Palette index of each bar (same length as `values`), or one for all. */
  colors: number | number[];
  /** Drawn as an outline only (a secondary series). */
  outline?: boolean;
}

/**
 * The colour without its alpha channel (`#rrggbbaa` → `#rrggbb`, `rgba(…)` → `rgb(…)`): some themes
 * define chart colours as translucent overlays, which wash out a filled bar.
 */
export function opaque(color: string): string {
  const hex = /^#([0-9a-f]{6})[0-9a-f]{2}$/i.exec(color);
  if (hex) return `#${hex[1]}`;
  const short = /^#([0-9a-f]{3})[0-9a-f]$/i.exec(color);
  if (short) return `#${short[1]}`;
  const rgba = /^rgba\(\s*([^,]+),\s*([^,]+),\s*([^,]+),[^)]*\)$/i.exec(color);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : color;
}

/** Creates a bar chart on `canvas` with categories on x (sized by its container's CSS). */
export function barChart(canvas: HTMLCanvasElement, opts: { xTitle: string; yTitle: string; unitY?: boolean }): Chart<'bar'> {
  const p = palette();
  const chart = new Chart<'bar', (number | null)[], string>(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      ...STATIC,
      scales: { x: axis(opts.xTitle, p), y: axis(opts.yTitle, p, opts.unitY ? { min: 0, max: 1 } : {}) },
      plugins: { legend: { labels: { color: p.foreground, boxWidth: 12 } }, tooltip: { enabled: true } },
    },
  });
  otherCharts.set(chart as unknown as Chart, () => undefined);
  return chart;
}

/**
 * Replaces the bars (and their categories) and redraws; re-applied after a theme change. The series
 * share one slot per category (not side by side): an outline series draws over the filled one.
 */
export function setBars(chart: Chart<'bar'>, labels: string[], series: BarSeries[]): void {
  const draw = () => {
    const p = palette();
    const color = (i: number) => opaque(p.series[i % p.series.length]!);
    chart.data.labels = labels;
    chart.data.datasets = series.map((s) => {
      const colors = Array.isArray(s.colors) ? s.colors.map(color) : color(s.colors);
      return {
        label: s.label,
        data: s.values,
        backgroundColor: s.outline ? 'transparent' : colors,
        borderColor: colors,
        borderWidth: s.outline ? 1.5 : 0,
        grouped: false,
        maxBarThickness: 64,
      };
    });
    chart.update('none');
  };
  otherCharts.set(chart as unknown as Chart, () => {
    restyleAxes(chart as unknown as Chart);
    draw();
  });
  draw();
}

/** One group of scatter points (e.g. one cluster). */
export interface ScatterGroup {
  label: string;
  points: { x: number; y: number }[];
  /** Palette index. */
  color: number;
  /** Marker shape (groups beyond the palette's colours differ by shape). */
  shape?: PointStyle;
  /** Marker radius in CSS pixels (default 2.5: many points). */
  radius?: number;
}

/** Marker shapes, in the order groups get them after the palette's colours run out. */
export const SHAPES: PointStyle[] = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'star'];

/** Creates a scatter chart on `canvas` (sized by its container's CSS). */
export function scatterChart(
  canvas: HTMLCanvasElement,
  opts: { xTitle: string; yTitle: string; unitY?: boolean; legend?: 'right' | 'bottom'; x?: ScatterXAxis },
): Chart<'scatter'> {
  const p = palette();
  const chart = new Chart<'scatter', { x: number; y: number }[]>(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      ...STATIC,
      ...PREPARSED,
      scales: {
        x: opts.x ? scatterX(opts.x, p) : axis(opts.xTitle, p, { type: 'linear' }),
        y: axis(opts.yTitle, p, { type: 'linear', ...(opts.unitY ? { ticks: { color: p.foreground, callback: percentTickCallback } } : {}) }),
      },
      plugins: {
        legend: { position: opts.legend ?? 'right', labels: { color: p.foreground, boxWidth: 6, boxHeight: 6, usePointStyle: true } },
        tooltip: { enabled: true },
      },
    },
  });
  otherCharts.set(chart as unknown as Chart, () => undefined);
  return chart;
}

/** The x axis of a scatter: numbers (linear or logarithmic, optional limits) or categories (`labels[i]` at x = i). */
export type ScatterXAxis = { kind: 'numeric'; log: boolean; title: string; min?: number; max?: number } | { kind: 'category'; labels: string[]; title: string };

/** Chart.js options of a scatter's x axis. */
function scatterX(x: ScatterXAxis, p: Palette): object {
  if (x.kind === 'category') return axis(x.title, p, { type: 'category', labels: x.labels, offset: true });
  return axis(x.title, p, {
    type: x.log ? 'logarithmic' : 'linear',
    ...(x.min !== undefined ? { min: x.min } : {}),
    ...(x.max !== undefined ? { max: x.max } : {}),
    ...(x.log ? { ticks: { color: p.foreground, callback: logTickCallback } } : {}),
  });
}

/** Destroys a chart made here (a scatter whose axis changes kind is made again). */
export function destroyChart(chart: Chart<'scatter'>): void {
  otherCharts.delete(chart as unknown as Chart);
  chart.destroy();
}

/** Replaces the scatter's groups and redraws; re-applied after a theme change. */
export function setScatter(chart: Chart<'scatter'>, groups: ScatterGroup[]): void {
  const draw = () => {
    const p = palette();
    chart.data.datasets = groups.map((g) => {
      const c = opaque(p.series[g.color % p.series.length]!);
      return {
        label: g.label,
        data: g.points,
        backgroundColor: c,
        borderColor: c,
        pointRadius: g.radius ?? 2.5,
        pointHoverRadius: (g.radius ?? 2.5) + 1.5,
        pointStyle: g.shape ?? 'circle',
        borderWidth: 1,
      };
    });
    chart.update('none');
  };
  otherCharts.set(chart as unknown as Chart, () => {
    restyleAxes(chart as unknown as Chart);
    draw();
  });
  draw();
}

/** Re-reads the theme colours into a chart's axes and legend. */
function restyleAxes(chart: Chart): void {
  const p = palette();
  for (const ax of Object.values(chart.options.scales ?? {})) {
    const a = ax as { ticks?: { color?: string }; grid?: { color?: string }; title?: { color?: string } } | undefined;
    if (a?.ticks) a.ticks.color = p.foreground;
    if (a?.grid) a.grid.color = p.grid;
    if (a?.title) a.title.color = p.foreground;
  }
  const legend = chart.options.plugins?.legend;
  if (legend?.labels) legend.labels.color = p.foreground;
}

/** Re-reads the theme colours into every chart (after a theme change). */
export function restyleCharts(): void {
  for (const redraw of otherCharts.values()) redraw();
  for (const [chart, shown] of charts) {
    restyleAxes(chart);
    setSeries(chart, shown.series, shown.markers);
  }
}
