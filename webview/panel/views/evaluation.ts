/**
 * What the model got wrong (`evaluation.json` of the shown run, else the newest run with one): the
 * confusion matrix as a heatmap (counts, or each row normalised by the true class's support), the
 * per-class precision / recall / F1 / support with macro and weighted averages, and a gallery of the
 * most confidently wrong examples — image thumbnails (served from the experiment's data folders only)
 * or text snippets; clicking one opens its file. Cell shades are CSS classes (`heat-0`…`heat-10`):
 * the panel's CSP forbids inline styles.
 */
import type { EvaluationMistake } from '../../../src/core/runs/artifacts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { post } from '../host.js';
import { pct, runTime } from '../format.js';
import type { PageState } from '../state.js';

/** The class (`heat-0` … `heat-10`) of a cell whose value is `fraction` of the largest. */
export function heatClass(fraction: number): string {
  return `heat-${Math.max(0, Math.min(10, Math.round(10 * fraction)))}`;
}

/** Renders the evaluation view. */
export class EvaluationView {
  private readonly parts = section('evaluation', 'What the model got wrong');
  readonly el = this.parts.el;
  /** Rows normalised by the true class's support (else raw counts). */
  private normalised = false;
  private last: PageState | undefined;

  update(s: PageState): void {
    this.last = s;
    const r = s.analyses.evaluation;
    this.el.hidden = !r;
    this.el.dataset.runId = r?.runId ?? '';
    if (!r) return;
    const e = r.value;
    const f3 = (x: number) => x.toFixed(3);
    const toggle = (value: boolean, label: string, title: string) =>
      h(
        'button',
        {
          'data-key': `eval-mode:${label}`,
          class: this.normalised === value ? 'toggle on' : 'toggle',
          'aria-pressed': String(this.normalised === value),
          title,
          onclick: () => {
            this.normalised = value;
            if (this.last) this.update(this.last);
          },
        },
        label,
      );
    // Heatmap: rows true class, columns predicted class.
    const rowSum = e.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...e.confusion.flat());
    const matrix = h(
      'table',
      { id: 'confusion-matrix', class: 'confusion' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'corner', title: 'rows: true class · columns: predicted class' }, 'true ↓ · predicted →'),
          ...e.classNames.map((c) => h('th', { scope: 'col', title: `predicted ${c}` }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        ...e.confusion.map((row, t) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', title: `true ${e.classNames[t]}` }, e.classNames[t]!),
            ...row.map((count, p) => {
              const frac = rowSum[t] ? count / rowSum[t]! : 0;
              const shade = this.normalised ? frac : count / max;
              const text = this.normalised ? pct(frac) : String(count);
              return h(
                'td',
                {
                  class: `num ${heatClass(shade)}${t === p ? ' diagonal' : ''}${shade > 0.55 ? ' strong' : ''}`,
                  title: `${count} of ${rowSum[t]} ${e.classNames[t]} predicted as ${e.classNames[p]} (${pct(frac)})`,
                },
                text,
              );
            }),
          ),
        ),
      ),
    );
    const classRow = (name: string, c: { precision: number; recall: number; f1: number; support: number }, cls = '') =>
      h(
        'tr',
        { class: cls },
        h('td', {}, name),
        h('td', { class: 'num' }, f3(c.precision)),
        h('td', { class: 'num' }, f3(c.recall)),
        h('td', { class: 'num' }, f3(c.f1)),
        h('td', { class: 'num' }, String(c.support)),
      );
    const perClass = h(
      'table',
      { id: 'per-class-table' },
      h('thead', {}, h('tr', {}, ...['Class', 'Precision', 'Recall', 'F1', 'Support'].map((x, i) => h('th', { class: i ? 'num' : '' }, x)))),
      h('tbody', {}, ...e.perClass.map((c) => classRow(c.name, c)), classRow('macro avg', e.macro, 'average'), classRow('weighted avg', e.weighted, 'average')),
    );
    const gallery = h('div', { id: 'mistakes-gallery', class: 'gallery' }, ...e.mistakes.map((m, i) => this.tile(r.runId, m, i, r.thumbnails[i] ?? null)));
    replaceChildrenKeepingFocus(this.parts.body, [
      h(
        'p',
        { class: 'run-line', id: 'evaluation-summary' },
        h('span', { class: 'muted' }, `Run ${runTime(r.runId)} · ${e.split} split · ${e.checkpoint} checkpoint · `),
        h('strong', {}, `accuracy ${pct(e.accuracy)} on ${e.examples}`),
        e.topK.length ? h('span', { class: 'muted' }, ` · ${e.topK.map((t) => `top-${t.k} ${pct(t.accuracy)}`).join(' · ')}`) : null,
      ),
      h(
        'div',
        { class: 'toolbar' },
        toggle(false, 'Counts', 'Examples per cell'),
        toggle(true, 'Row-normalised', 'Each row divided by the true class’s support (recall on the diagonal)'),
        h(
          'button',
          {
            type: 'button',
            id: 'classify-files',
            class: 'classify',
            title: 'Classify files or folders with this run’s checkpoint and its preprocessing',
            onclick: () => post('classifyWithRun', { runId: r.runId }),
          },
          'Classify files…',
        ),
      ),
      h('div', { class: 'eval-grid' }, h('div', { class: 'table-wrap' }, matrix), h('div', { class: 'table-wrap' }, perClass)),
      h('h3', {}, e.mistakesTotal ? `Most confidently wrong (${e.mistakes.length} of ${e.mistakesTotal})` : 'No mistakes on this split'),
      gallery,
    ]);
  }

  private tile(runId: string, m: EvaluationMistake, index: number, thumb: string | null): HTMLElement {
    const label = `${m.predictedClass} ${pct(m.probability)}, true ${m.trueClass} (${pct(m.trueProbability)})`;
    const media = thumb
      ? h('img', { src: thumb, alt: `${m.id}: predicted ${label}` })
      : h('div', { class: m.snippet ? 'snippet' : 'snippet muted' }, m.snippet ?? m.id);
    return h(
      'button',
      {
        class: 'mistake',
        'data-key': `mistake:${index}`,
        'data-index': index,
        disabled: !m.path,
        title: m.path ? `${m.path}\nClick to open` : m.id,
        onclick: () => post('openEvaluationExample', { runId, index }),
      },
      media,
      h(
        'span',
        { class: 'caption' },
        h('strong', {}, m.predictedClass),
        ` ${pct(m.probability)}`,
        h('br', {}),
        h('span', { class: 'muted' }, `true ${m.trueClass}`),
      ),
    );
  }
}
