/** The experiment file's problems (errors and warnings of the core checks); each reveals its place in the JSON. */
import { post } from '../host.js';
import { h, replaceChildrenKeepingFocus } from '../dom.js';
import type { PageState } from '../state.js';

/** Renders the problem list (hidden when there is none). */
export class ProblemsView {
  readonly el = h('section', { id: 'problems', class: 'problems', 'aria-label': 'Problems of the experiment file' });

  update(s: PageState): void {
    const e = s.experiment;
    const problems = e?.problems ?? [];
    this.el.hidden = problems.length === 0 && e?.valid !== false;
    replaceChildrenKeepingFocus(this.el, [
      e?.valid === false
        ? h(
            'p',
            { class: 'banner error' },
            e.detail
              ? 'The file does not pass its checks: the panel shows its last valid settings. Fix it to edit from here.'
              : 'The file does not pass its checks yet.',
          )
        : null,
      problems.length
        ? h(
            'ul',
            { class: 'problem-list' },
            ...problems.map((p, i) =>
              h(
                'li',
                { class: p.severity },
                h(
                  'button',
                  { class: 'link', 'data-key': `problem:${i}`, title: 'Show in the JSON', onclick: () => post('openJson', { pointer: p.path }) },
                  `${p.severity === 'error' ? 'Error' : 'Warning'} · line ${p.line}`,
                ),
                ' ',
                p.path ? h('code', {}, p.path) : null,
                ' ',
                p.message,
              ),
            ),
          )
        : null,
    ]);
  }
}
