/**
 * The strategy advisor's verdict ("Recommend Strategy", `advice.json`): the four rules of thumb as a
 * 2×2 grid (small/large target × similar/different to the source) with the one that applies marked,
 * the numbers behind both verdicts against their thresholds, the linear head per cut layer that
 * measured how specific the last features are, and the matching edit with an Apply button (the host
 * writes it to the JSON file).
 */
import type { AdvisorReport } from '../../../src/core/advisor/advise.js';
import { explainAdvice } from '../../../src/core/advisor/explain.js';
import type { Rule } from '../../../src/core/advisor/rules.js';
import type { AnalysesView } from '../../../src/protocol/webview.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { num, pct, runTime } from '../format.js';
import { post } from '../host.js';
import type { PageState } from '../state.js';

/** Short text of each rule, for the grid. */
const RULES: Record<Rule, { title: string; action: string }> = {
  smallSimilar: { title: 'Small · similar', action: 'Linear head on the pretrained features (base frozen)' },
  smallDifferent: { title: 'Small · different', action: 'Linear head on earlier activations (base frozen, earlier cut layer)' },
  largeSimilar: { title: 'Large · similar', action: 'Fine-tune through the network (base at a smaller rate)' },
  largeDifferent: { title: 'Large · different', action: 'Initialise from pretrained, fine-tune everything at the full rate' },
};

/** An edit as text: `/transfer/cutLayer = "pool2"` or `remove /transfer/stages`. */
export function editText(e: { pointer: string; value?: unknown }): string {
  return e.value === undefined ? `remove ${e.pointer}` : `${e.pointer} = ${JSON.stringify(e.value)}`;
}

/** Renders the advice. */
export class AdviceView {
  private readonly parts = section('advice', 'Strategy advice');
  readonly el = this.parts.el;

  update(s: PageState): void {
    const a = s.analyses.advice;
    this.el.hidden = !a;
    this.el.dataset.runId = a?.runId ?? '';
    this.el.dataset.rule = a?.value.verdict.rule ?? '';
    this.el.dataset.inEffect = String(!!a?.inEffect);
    if (!a) return;
    const r = a.value;
    replaceChildrenKeepingFocus(this.parts.body, [
      h(
        'p',
        { class: 'run-line muted' },
        `Run ${runTime(a.runId)} · source ${baseName(r.sourceExperiment)} (${r.sourceExamples} examples) · features at `,
        h('code', {}, r.layer),
      ),
      h('p', { class: 'verdict', id: 'advice-verdict' }, ...verdictText(r)),
      h('div', { class: 'advice-layout' }, this.grid(r), this.measures(r)),
      r.layers?.length ? this.layers(r) : null,
      this.edit(a),
    ]);
  }

  /** The four rules of thumb; the one that applies is marked. */
  private grid(r: AdvisorReport): HTMLElement {
    const cell = (rule: Rule) =>
      h(
        'td',
        { class: `rule${rule === r.verdict.rule ? ' applies' : ''}`, 'data-rule': rule, 'aria-current': rule === r.verdict.rule ? 'true' : undefined },
        h('div', { class: 'rule-title' }, RULES[rule].title, rule === r.verdict.rule ? h('span', { class: 'badge' }, 'applies') : null),
        h('div', { class: 'rule-action' }, RULES[rule].action),
      );
    return h(
      'table',
      { class: 'rules', id: 'advice-rules', 'aria-label': 'The four rules of thumb' },
      h('thead', {}, h('tr', {}, h('th', {}, 'target'), h('th', {}, 'similar to the source'), h('th', {}, 'different from the source'))),
      h(
        'tbody',
        {},
        h('tr', {}, h('th', { scope: 'row' }, 'small'), cell('smallSimilar'), cell('smallDifferent')),
        h('tr', {}, h('th', { scope: 'row' }, 'large'), cell('largeSimilar'), cell('largeDifferent')),
      ),
    );
  }

  /** The measurements: what each number means and its verdict, in the headline's words (`explainAdvice`). */
  private measures(r: AdvisorReport): HTMLElement {
    const s = r.similarity;
    const x = explainAdvice(r);
    const row = (measure: string, meaning: string, value: string, verdict: string, key: string, says = '') =>
      h(
        'tr',
        { 'data-measure': key, 'data-says': says || undefined },
        h('td', {}, h('div', {}, measure), meaning ? h('div', { class: 'muted small meaning' }, meaning) : null),
        h('td', { class: 'num' }, value),
        h('td', { class: 'verdict-cell' }, verdict),
      );
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'measures', id: 'advice-measures' },
        h('thead', {}, h('tr', {}, h('th', {}, 'measure (what it means)'), h('th', { class: 'num' }, 'value'), h('th', {}, 'verdict'))),
        h(
          'tbody',
          {},
          ...x.rows.map((m) => row(m.measure, m.meaning, m.value, m.verdict, m.key, m.says)),
          row(
            'proxy A-distance',
            'another view of the domain classifier: 0 = inputs alike, 2 = fully separable (not used in the verdict)',
            num(s.proxyADistance),
            '',
            'aDistance',
          ),
          row(
            'nearest-neighbour distance ratio',
            'target-to-source over source-to-source nearest-neighbour distance: about 1 when alike (not used in the verdict)',
            num(s.nearestNeighbourRatio),
            '',
            'nnRatio',
          ),
          row('mean shift (per feature, source sd²)', 'how far the average features moved (not used in the verdict)', num(s.meanShift), '', 'meanShift'),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        `${s.examplesPerDomain} examples per domain, ${s.features} features; labelled per class: ${r.target.labelledPerClass.join(', ')} (${r.target.classes.join(', ')})`,
      ),
    );
  }

  /** The linear head per cut layer (the task part of the similarity). */
  private layers(r: AdvisorReport): HTMLElement {
    return h(
      'details',
      { class: 'advice-layers' },
      h('summary', {}, `Linear head per cut layer (${r.layers!.length} layers, target training → validation)`),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'layer'),
            h('th', { class: 'num' }, 'features'),
            h('th', { class: 'num' }, 'train acc'),
            h('th', { class: 'num' }, 'val acc'),
          ),
        ),
        h(
          'tbody',
          {},
          ...r.layers!.map((l) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('code', {}, l.layer),
                l.layer === r.earlierLayer ? h('span', { class: 'badge' }, 'best earlier') : null,
                l.layer === r.layer ? h('span', { class: 'badge' }, 'default cut') : null,
              ),
              h('td', { class: 'num' }, l.features),
              h('td', { class: 'num' }, pct(l.trainAccuracy)),
              h('td', { class: 'num' }, pct(l.valAccuracy)),
            ),
          ),
        ),
      ),
    );
  }

  /** The edit and its Apply button. */
  private edit(a: NonNullable<AnalysesView['advice']>): HTMLElement {
    const edits = a.value.edits;
    return h(
      'div',
      { class: 'edit-box' },
      h('div', { class: 'muted' }, 'Matching experiment edit'),
      h('ul', { class: 'edit-list', id: 'advice-edits' }, ...edits.map((e) => h('li', {}, h('code', {}, editText(e))))),
      h(
        'button',
        {
          class: a.inEffect ? '' : 'primary',
          id: 'apply-advice',
          'data-key': 'apply-advice',
          disabled: a.inEffect,
          title: a.inEffect
            ? 'The experiment file already says this'
            : 'Write this edit into the experiment file (comments kept; Undo in the editor reverts it)',
          onclick: () => post('applyAdvice', { runId: a.runId }),
        },
        a.inEffect ? '✓ In effect' : 'Apply',
      ),
    );
  }
}

/** The verdict: its situation (`Small target, different from the source`) in bold, the advice, and why (which rows decided). */
function verdictText(r: AdvisorReport): (Node | string)[] {
  const x = explainAdvice(r);
  const text = r.verdict.advice;
  const at = text.indexOf(': ');
  const rest = at > 0 ? text.slice(at + 2) : text;
  return [h('strong', {}, `${x.situation}: `), rest, h('span', { class: 'why', id: 'advice-why' }, x.why)];
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
