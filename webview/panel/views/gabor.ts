/**
 * The first-layer filters against Gabor kernels ("Compare First-Layer Filters with Gabor",
 * `gabor-match.json`): each learned filter (channel-averaged) beside its best-matching kernel of the
 * Gabor search bank, both drawn on small canvases, with the correlation and the kernel's parameters;
 * the mean and median correlation next to what random kernels of the same size reach (chance).
 */
import type { FilterMatch, GaborMatchFile } from '../../../src/core/runs/artifacts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { num, runTime } from '../format.js';
import type { PageState } from '../state.js';

/** Side of a drawn kernel, in screen pixels (about: a whole number of screen pixels per kernel pixel). */
const SIDE = 48;

/**
 * Draws a row-major size×size kernel on `canvas` in grey levels: 0 is mid-grey, the largest
 * magnitude is black or white (each kernel scaled on its own, as filter plots usually are).
 */
export function drawKernel(canvas: HTMLCanvasElement, values: readonly number[], size: number): void {
  const cell = Math.max(2, Math.round(SIDE / size));
  canvas.width = size * cell;
  canvas.height = size * cell;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const max = Math.max(1e-12, ...values.map((v) => Math.abs(v)));
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const g = Math.round(127.5 + 127.5 * ((values[r * size + c] ?? 0) / max));
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect(c * cell, r * cell, cell, cell);
    }
  }
}

/** Renders the filter comparison. */
export class GaborView {
  private readonly parts = section('gabor', 'First-layer filters vs Gabor');
  readonly el = this.parts.el;
  private readonly summary = h('div', { class: 'toolbar', id: 'gabor-summary' });
  private readonly grid = h('div', { class: 'filter-grid', id: 'gabor-filters' });
  private shownKey = '';

  constructor() {
    this.parts.body.append(this.summary, this.grid);
  }

  update(s: PageState): void {
    const r = s.analyses.gaborMatch;
    this.el.hidden = !r;
    this.el.dataset.runId = r?.runId ?? '';
    if (!r) return;
    const f = r.value;
    this.el.dataset.filters = String(f.filters.length);
    this.el.dataset.meanCorrelation = String(f.meanCorrelation);
    replaceChildrenKeepingFocus(this.summary, [
      h(
        'span',
        { class: 'muted' },
        `Run ${runTime(r.runId)} · layer `,
        h('code', {}, f.layer),
        ` (${f.className}, ${f.kernelSize.join('×')}, ${f.inputChannels} input channel${f.inputChannels === 1 ? '' : 's'})`,
      ),
      h('span', { id: 'gabor-correlation' }, `Correlation with the best Gabor: mean ${num(f.meanCorrelation)}, median ${num(f.medianCorrelation)}`),
      h(
        'span',
        { class: 'muted', title: `${f.chance.filters} random Gaussian kernels of the same size searched against the same bank` },
        `chance (random kernels): mean ${num(f.chance.meanCorrelation)}, median ${num(f.chance.medianCorrelation)}`,
      ),
      h(
        'span',
        {
          class: 'muted',
          title: `wavelengths ${f.search.wavelengths.map((x) => num(x)).join(', ')}; phases ${f.search.phasesDegrees.join(', ')}°; γ ${f.search.gammas.join(', ')}`,
        },
        `search bank: ${f.search.kernels} kernels (${f.search.orientations} orientations, ${f.search.wavelengths.length} wavelengths λ ${num(Math.min(...f.search.wavelengths))}–${num(Math.max(...f.search.wavelengths))})`,
      ),
      h('span', { class: 'muted' }, 'Each card: the learned filter (left), its best Gabor kernel (right), their correlation r.'),
    ]);
    // The canvases are redrawn only when another result arrives (the pixels never change).
    if (this.shownKey === r.runId) return;
    this.shownKey = r.runId;
    this.grid.replaceChildren(...f.filters.map((m) => this.card(f, m)));
  }

  private card(f: GaborMatchFile, m: FilterMatch): HTMLElement {
    const size = f.kernelSize[0];
    const learned = h('canvas', { class: 'kernel', role: 'img', 'aria-label': `learned filter ${m.index}` });
    const gabor = h('canvas', {
      class: 'kernel',
      role: 'img',
      'aria-label': `best Gabor for filter ${m.index}: θ ${m.best.thetaDegrees}°, λ ${m.best.lambda}`,
    });
    drawKernel(learned, m.weights, size);
    drawKernel(gabor, m.gabor, size);
    const strength = m.correlation >= 0.9 ? 'strong' : m.correlation > f.chance.medianCorrelation ? 'fair' : 'weak';
    const b = m.best;
    return h(
      'figure',
      {
        class: `filter-card ${strength}`,
        'data-filter': m.index,
        'data-correlation': String(m.correlation),
        title: `θ ${b.thetaDegrees}°, λ ${num(b.lambda)}, ψ ${b.psiDegrees}°, σ ${num(b.sigma)}, γ ${num(b.gamma)}`,
      },
      h('div', { class: 'pair' }, learned, gabor),
      h('figcaption', {}, h('span', {}, `#${m.index}`), h('span', { class: 'corr' }, `r ${m.correlation.toFixed(2)}`)),
      h('div', { class: 'params muted' }, `θ ${Math.round(b.thetaDegrees)}° λ ${num(b.lambda, 2)}`),
    );
  }
}
