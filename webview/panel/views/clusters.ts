/**
 * The clusters of an unsupervised run (`clusters.json`, `embedding.json`): the examples on the first
 * two principal components of the cut-layer features, coloured by k-means cluster (or by the
 * evaluation label, or by the raw-pixel clustering), and the scores of both clusterings — NMI and ARI
 * against the labels when there are labels, silhouette, the explained variance of the PCA.
 */
import type { Chart } from 'chart.js';
import type { ClusteringResult } from '../../../src/core/runs/artifacts.js';
import type { EmbeddingPoints } from '../../../src/protocol/webview.js';
import { palette, scatterChart, setScatter, SHAPES, type ScatterGroup } from '../charts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { int, num, pct, runTime } from '../format.js';
import type { PageState } from '../state.js';

/** What the points are coloured by. */
export type ColourBy = 'cluster' | 'label' | 'rawCluster';

/** Groups of points by one integer per point (cluster or label); group g gets colour g mod palette and a shape beyond it. */
export function groupPoints(e: EmbeddingPoints, by: ColourBy, name: (g: number) => string, colours: number): ScatterGroup[] {
  const of = by === 'cluster' ? e.cluster : by === 'label' ? e.label : e.rawCluster;
  if (!of) return [];
  const groups = new Map<number, { x: number; y: number }[]>();
  of.forEach((g, i) => {
    let pts = groups.get(g);
    if (!pts) groups.set(g, (pts = []));
    pts.push({ x: e.x[i]!, y: e.y[i]! });
  });
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((g) => ({
      label: `${name(g)} (${groups.get(g)!.length})`,
      points: groups.get(g)!,
      color: g % colours,
      shape: SHAPES[Math.floor(g / colours) % SHAPES.length],
    }));
}

/** Renders the cluster scatter and scores. */
export class ClustersView {
  private readonly parts = section('clusters', 'Clusters (unsupervised)');
  readonly el = this.parts.el;
  private readonly summary = h('div', { class: 'toolbar', id: 'clusters-summary' });
  private readonly canvas = h('canvas', {
    role: 'img',
    id: 'chart-clusters',
    'aria-label': 'Examples on the first two principal components, coloured by cluster',
  });
  private readonly chart: Chart<'scatter'>;
  private readonly scores = h('div', { class: 'table-wrap' });
  private by: ColourBy = 'cluster';
  private last: PageState | undefined;
  /** Run and colouring the scatter shows (redrawn only when they change). */
  private drawn = '';

  constructor() {
    this.parts.body.append(
      this.summary,
      h('div', { class: 'scatter-layout' }, h('figure', { class: 'chart' }, h('div', { class: 'chart-box scatter' }, this.canvas)), this.scores),
    );
    this.chart = scatterChart(this.canvas, { xTitle: 'principal component 1', yTitle: 'principal component 2' });
  }

  update(s: PageState): void {
    this.last = s;
    const r = s.analyses.clusters;
    this.el.hidden = !r;
    this.el.dataset.runId = r?.runId ?? '';
    if (!r) return;
    const c = r.value;
    const e = r.embedding;
    if (this.by === 'label' && !e?.label) this.by = 'cluster';
    if (this.by === 'rawCluster' && !e?.rawCluster) this.by = 'cluster';
    const classNames = e?.classNames ?? c.classNames;
    const groups = e
      ? groupPoints(
          e,
          this.by,
          (g) => (this.by === 'label' ? `label ${classNames?.[g] ?? g}` : this.by === 'rawCluster' ? `raw cluster ${g + 1}` : `cluster ${g + 1}`),
          palette().series.length,
        )
      : [];
    if (this.drawn !== `${r.runId}:${this.by}`) {
      this.drawn = `${r.runId}:${this.by}`;
      setScatter(this.chart, groups);
    }
    const ds = this.el.dataset;
    ds.points = String(e?.x.length ?? 0);
    ds.k = String(c.features.k);
    ds.nmi = c.features.scores.nmi !== undefined ? String(c.features.scores.nmi) : '';
    ds.ari = c.features.scores.ari !== undefined ? String(c.features.scores.ari) : '';
    this.canvas.setAttribute(
      'aria-label',
      `${e?.x.length ?? 0} examples on the first two principal components, coloured by ${this.by}, ${groups.length} groups`,
    );
    const option = (v: ColourBy, text: string, enabled: boolean) => h('option', { value: v, selected: this.by === v, disabled: !enabled }, text);
    replaceChildrenKeepingFocus(this.summary, [
      h(
        'span',
        { class: 'muted' },
        `Run ${runTime(r.runId)} · ${int(c.examples)} examples${e && e.total > e.x.length ? ` (${int(e.x.length)} shown)` : ''} · k = ${c.features.k}${c.features.layer ? ` · features at ` : ''}`,
        c.features.layer ? h('code', {}, c.features.layer) : null,
      ),
      h(
        'label',
        { class: 'field inline' },
        h('span', {}, 'Colour by'),
        h(
          'select',
          {
            id: 'clusters-colour',
            'data-key': 'clusters-colour',
            onchange: (ev: Event) => {
              this.by = (ev.target as HTMLSelectElement).value as ColourBy;
              if (this.last) this.update(this.last);
            },
          },
          option('cluster', 'cluster', true),
          option('label', 'label (evaluation only)', !!e?.label),
          option('rawCluster', c.raw?.input === 'tfidf' ? 'TF-IDF cluster' : 'raw-pixel cluster', !!e?.rawCluster),
        ),
      ),
      e ? null : h('span', { class: 'note' }, 'This run wrote no embedding.json: no scatter.'),
    ]);
    const rows: [string, (x: ClusteringResult) => string][] = [
      ['input', (x) => (x.input === 'raw' ? 'raw pixels' : x.input === 'tfidf' ? 'TF-IDF' : `features (${x.layer ?? 'cut'})`)],
      ['NMI', (x) => num(x.scores.nmi)],
      ['ARI', (x) => num(x.scores.ari)],
      ['silhouette', (x) => num(x.scores.silhouette)],
      ['k', (x) => String(x.k)],
      ['dimensions → PCA', (x) => `${int(x.dim)} → ${x.components}`],
      ['variance explained', (x) => pct(x.explainedVariance)],
      ['cluster sizes', (x) => x.sizes.join(', ')],
    ];
    const cols = [c.features, ...(c.raw ? [c.raw] : [])];
    replaceChildrenKeepingFocus(this.scores, [
      h(
        'table',
        { class: 'cluster-scores', id: 'cluster-scores' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, ''),
            h('th', { class: 'num' }, 'pretrained features'),
            c.raw ? h('th', { class: 'num' }, c.raw.input === 'tfidf' ? 'TF-IDF' : 'raw pixels') : null,
          ),
        ),
        h(
          'tbody',
          {},
          ...rows
            .slice(1)
            .map(([name, f]) => h('tr', { 'data-score': name }, h('th', { scope: 'row' }, name), ...cols.map((x) => h('td', { class: 'num' }, f(x))))),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        c.labelled
          ? 'Labels were used only to score the clusterings (NMI, ARI: 1 = the classes exactly, ≈ 0 = chance).'
          : 'No labels: NMI and ARI cannot be computed.',
      ),
    ]);
  }
}
