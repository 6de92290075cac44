/**
 * A transductive run's accuracies (`transductive.json`): on the target's held-back labels (never used
 * for training) after training on the source, after AdaBN, and after each self-training round, with
 * the source validation accuracy and the pseudo-labels of each round.
 */
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { duration, int, pct, runTime } from '../format.js';
import type { PageState } from '../state.js';

/** Renders the before/after table. */
export class TransductiveView {
  private readonly parts = section('transductive', 'Transductive adaptation');
  readonly el = this.parts.el;

  update(s: PageState): void {
    const r = s.analyses.transductive;
    this.el.hidden = !r;
    this.el.dataset.runId = r?.runId ?? '';
    if (!r) return;
    const t = r.value;
    const first = t.phases[0]?.targetAccuracy;
    const last = t.phases[t.phases.length - 1]?.targetAccuracy;
    const name = (p: (typeof t.phases)[number]) =>
      p.phase === 'source' ? 'source only' : p.phase === 'adaBN' ? 'AdaBN' : `self-training round ${p.round ?? ''}`;
    replaceChildrenKeepingFocus(this.parts.body, [
      h(
        'p',
        { class: 'run-line', id: 'transductive-summary' },
        h(
          'span',
          { class: 'muted' },
          `Run ${runTime(r.runId)} · ${int(t.targetExamples)} target examples${t.targetOverlapRemoved ? ` (${t.targetOverlapRemoved} shared with training left out)` : ''} · `,
        ),
        t.labelledTarget && first !== undefined && last !== undefined
          ? h('strong', {}, `target accuracy ${pct(first)} → ${pct(last)} (${last >= first ? '+' : ''}${(100 * (last - first)).toFixed(1)} pt)`)
          : h('span', { class: 'note' }, 'unlabelled target: no accuracy to report'),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'transductive-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Step', 'Target acc', 'Source val acc', 'Pseudo-labels', 'Pseudo-label acc', 'Time'].map((x, i) => h('th', { class: i ? 'num' : '' }, x)),
            ),
          ),
          h(
            'tbody',
            {},
            ...t.phases.map((p) =>
              h(
                'tr',
                { 'data-phase': p.phase },
                h('td', {}, name(p)),
                h('td', { class: 'num' }, pct(p.targetAccuracy)),
                h('td', { class: 'num' }, pct(p.sourceValAccuracy)),
                h('td', { class: 'num' }, p.pseudoLabels !== undefined ? int(p.pseudoLabels) : '—'),
                h('td', { class: 'num' }, pct(p.pseudoLabelAccuracy)),
                h('td', { class: 'num' }, duration(p.seconds)),
              ),
            ),
          ),
        ),
      ),
    ]);
  }
}
