/**
 * The runs of the experiment: pick the run whose metrics are shown (or follow the newest), tick runs
 * to compare, and see each run's name, tags, status, epochs, best validation accuracy and epoch, test
 * accuracy, backend and time. Training runs and analysis runs are two tables; both sort by any column
 * (a button in each header: click or Enter/Space; `aria-sort` on the sorted one) and filter by tag and
 * status. Each row's name, tags and notes are edited through the host's input boxes.
 */
import type { RunItem } from '../../../src/protocol/webview.js';
import { h, replaceChildrenKeepingFocus, section, type Child } from '../dom.js';
import { duration, epochsCell, pct, runTime } from '../format.js';
import { post, save } from '../host.js';
import { allStatuses, allTags, filterRuns, nextSort, sortRuns, splitRuns, type SortKey } from '../runTable.js';
import type { PageState } from '../state.js';

/** The Epochs cell: done/planned, or what a run without epochs is (an analysis's task, clustering). */
function epochsTd(x: RunItem): HTMLElement {
  const c = epochsCell(x);
  return c.kind === 'task' ? h('td', { class: 'task muted', ...(c.title ? { title: c.title } : {}) }, c.text) : h('td', { class: 'num' }, c.text);
}

/** A column: its header text, sort key (none: not sortable) and whether it holds numbers. */
interface Column {
  title: string;
  key?: SortKey;
  num?: boolean;
  /** What a screen reader says for a header that is only a symbol. */
  label?: string;
}

const TRAINING_COLUMNS: Column[] = [
  { title: 'Show' },
  { title: 'Compare' },
  { title: 'Name', key: 'name' },
  { title: 'Started (UTC)', key: 'started' },
  { title: 'Tags', key: 'tags' },
  { title: 'Status', key: 'status' },
  { title: 'Epochs', key: 'epochs', num: true },
  { title: 'Best val acc', key: 'bestValAccuracy', num: true },
  { title: 'Best epoch', key: 'bestEpoch', num: true },
  { title: 'Test acc', key: 'testAccuracy', num: true },
  { title: 'Backend', key: 'backend' },
  { title: 'Time', key: 'seconds', num: true },
  { title: 'Edit' },
];

const ANALYSIS_COLUMNS: Column[] = [
  { title: 'Show' },
  { title: 'Name', key: 'name' },
  { title: 'Started (UTC)', key: 'started' },
  { title: 'Tags', key: 'tags' },
  { title: 'Status', key: 'status' },
  { title: 'Analysis' },
  { title: 'Backend', key: 'backend' },
  { title: 'Time', key: 'seconds', num: true },
  { title: 'Edit' },
];

/** Renders the run tables. */
export class RunsView {
  private readonly parts = section('runs', 'Runs');
  readonly el = this.parts.el;

  constructor(private readonly rerender: () => void) {}

  /** The header row: sortable columns are buttons; the sorted one carries `aria-sort`. */
  private head(s: PageState, table: string, columns: Column[]): HTMLElement {
    return h(
      'tr',
      {},
      ...columns.map((c) => {
        if (!c.key) return h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.title);
        const key = c.key;
        const sorted = s.runSort.key === key;
        const arrow = sorted ? (s.runSort.dir === 'asc' ? ' ▲' : ' ▼') : '';
        return h(
          'th',
          { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': sorted ? (s.runSort.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
          h(
            'button',
            {
              class: 'sort',
              'data-key': `sort:${table}:${key}`,
              'data-sort': key,
              title: `Sort by ${c.title.toLowerCase()}`,
              onclick: () => {
                s.runSort = nextSort(s.runSort, key);
                save({ runSort: s.runSort });
                this.rerender();
              },
            },
            c.title,
            h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, arrow),
          ),
        );
      }),
    );
  }

  /** The Name cell: the name (or a dash), the notes below it (their first line; all of them in the tooltip). */
  private nameTd(x: RunItem): HTMLElement {
    return h(
      'td',
      { class: 'run-name', ...(x.notes ? { title: x.notes } : {}) },
      x.name ? h('span', { class: 'name' }, x.name) : h('span', { class: 'muted' }, '—'),
      x.notes ? h('div', { class: 'run-notes muted' }, x.notes.split('\n')[0]) : null,
      x.metaError ? h('div', { class: 'run-notes status-failed', title: x.metaError }, 'meta.json unreadable') : null,
    );
  }

  private tagsTd(x: RunItem): HTMLElement {
    return h('td', { class: 'tags' }, ...(x.tags ?? []).map((t) => h('span', { class: 'tag' }, t)));
  }

  /** Rename / tags / notes buttons; the host asks with an input box. */
  private editTd(x: RunItem): HTMLElement {
    const who = x.name ? `${x.name} (${runTime(x.runId)})` : runTime(x.runId);
    const b = (field: 'name' | 'tags' | 'notes', text: string, label: string) =>
      h(
        'button',
        {
          class: 'small',
          'data-key': `edit-${field}:${x.runId}`,
          'data-edit': field,
          title: label,
          'aria-label': `${label}: run ${who}`,
          onclick: () => post('editRun', { runId: x.runId, field }),
        },
        text,
      );
    return h('td', { class: 'edit nowrap' }, b('name', 'Rename', 'Rename the run'), b('tags', 'Tags', 'Edit the tags'), b('notes', 'Notes', 'Edit the notes'));
  }

  private showTd(s: PageState, x: RunItem): HTMLElement {
    return h(
      'td',
      { class: 'center' },
      h('input', {
        type: 'radio',
        name: 'shown-run',
        'data-key': `show:${x.runId}`,
        checked: x.runId === s.runs?.shownRunId,
        'aria-label': `Show run ${x.name ?? x.runId}`,
        onchange: () => {
          save({ runId: x.runId });
          post('selectRun', { runId: x.runId });
        },
      }),
    );
  }

  private rowAttrs(s: PageState, x: RunItem): Record<string, string> {
    return {
      class: [x.runId === s.runs?.shownRunId ? 'shown' : '', x.task ? 'analysis' : ''].filter(Boolean).join(' '),
      'data-run': x.runId,
      ...(x.name ? { 'data-name': x.name } : {}),
      ...(x.task ? { 'data-task': x.task } : {}),
      ...(x.transferKind ? { 'data-kind': x.transferKind } : {}),
    };
  }

  private trainingRow(s: PageState, x: RunItem): HTMLElement {
    const ticks = s.compareTicks;
    return h(
      'tr',
      this.rowAttrs(s, x),
      this.showTd(s, x),
      h(
        'td',
        { class: 'center' },
        h('input', {
          type: 'checkbox',
          'data-key': `tick:${x.runId}`,
          checked: ticks.has(x.runId),
          'aria-label': `Compare run ${x.name ?? x.runId}`,
          onchange: (ev: Event) => {
            if ((ev.target as HTMLInputElement).checked) ticks.add(x.runId);
            else ticks.delete(x.runId);
            this.rerender();
          },
        }),
      ),
      this.nameTd(x),
      h('td', { class: 'mono nowrap' }, runTime(x.runId)),
      this.tagsTd(x),
      h('td', {}, h('span', { class: `status-${x.status}` }, x.status)),
      epochsTd(x),
      h('td', { class: 'num' }, pct(x.bestValAccuracy)),
      h('td', { class: 'num' }, x.bestEpoch !== undefined ? x.bestEpoch + 1 : '—'),
      h('td', { class: 'num' }, pct(x.testAccuracy)),
      h('td', {}, x.backend ?? '—'),
      h('td', { class: 'num' }, duration(x.seconds)),
      this.editTd(x),
    );
  }

  private analysisRow(s: PageState, x: RunItem): HTMLElement {
    return h(
      'tr',
      this.rowAttrs(s, x),
      this.showTd(s, x),
      this.nameTd(x),
      h('td', { class: 'mono nowrap' }, runTime(x.runId)),
      this.tagsTd(x),
      h('td', {}, h('span', { class: `status-${x.status}` }, x.status)),
      epochsTd(x),
      h('td', {}, x.backend ?? '—'),
      h('td', { class: 'num' }, duration(x.seconds)),
      this.editTd(x),
    );
  }

  /** The tag and status filters. */
  private filters(s: PageState, runs: readonly RunItem[]): Child {
    const tags = allTags(runs);
    const statuses = allStatuses(runs);
    if (s.runFilter.tag && !tags.includes(s.runFilter.tag)) s.runFilter = { ...s.runFilter, tag: undefined };
    const select = (id: string, label: string, all: string, values: string[], current: string | undefined, set: (v: string | undefined) => void) =>
      h(
        'label',
        { class: 'filter' },
        `${label} `,
        h(
          'select',
          {
            id,
            'data-key': id,
            onchange: (ev: Event) => {
              set((ev.target as HTMLSelectElement).value || undefined);
              save({ runFilter: s.runFilter });
              this.rerender();
            },
          },
          h('option', { value: '', selected: !current }, all),
          ...values.map((v) => h('option', { value: v, selected: v === current }, v)),
        ),
      );
    return h(
      'div',
      { class: 'toolbar filters' },
      select('run-filter-tag', 'Tag', 'any tag', tags, s.runFilter.tag, (v) => (s.runFilter = { ...s.runFilter, tag: v })),
      select('run-filter-status', 'Status', 'any status', statuses, s.runFilter.status, (v) => (s.runFilter = { ...s.runFilter, status: v })),
    );
  }

  update(s: PageState): void {
    const r = s.runs;
    if (!r || r.runs.length === 0) {
      replaceChildrenKeepingFocus(this.parts.body, [h('p', { class: 'muted' }, 'No runs of this experiment yet.')]);
      return;
    }
    for (const id of [...s.compareTicks]) if (!r.runs.some((x) => x.runId === id)) s.compareTicks.delete(id);
    const ticks = s.compareTicks;
    const comparing = !!s.comparison;
    const { training, analyses } = splitRuns(r.runs);
    const shown = (list: RunItem[]) => sortRuns(filterRuns(list, s.runFilter), s.runSort);
    const trainingShown = shown(training);
    const analysesShown = shown(analyses);
    const filtered = !!(s.runFilter.tag || s.runFilter.status);
    const count = (n: number, of: number, what: string) => (filtered ? `${n} of ${of} ${what}` : `${of} ${what}`);
    replaceChildrenKeepingFocus(this.parts.body, [
      h(
        'div',
        { class: 'toolbar' },
        h(
          'button',
          {
            'data-key': 'follow',
            disabled: r.following,
            title: 'Show the newest training run, and each new one as it starts (analysis runs show under Analyses)',
            onclick: () => {
              save({ runId: undefined });
              post('selectRun', { runId: null });
            },
          },
          r.following ? 'Following the newest training run' : 'Follow the newest training run',
        ),
        h(
          'button',
          {
            'data-key': 'compare',
            id: 'compare-button',
            disabled: ticks.size < 2,
            onclick: () => {
              save({ compare: [...ticks] });
              post('compare', { runIds: [...ticks] });
            },
          },
          `Compare ${ticks.size >= 2 ? ticks.size : ''} runs`.replace('  ', ' '),
        ),
        comparing
          ? h(
              'button',
              {
                'data-key': 'close-compare',
                onclick: () => {
                  save({ compare: [] });
                  post('compare', { runIds: [] });
                },
              },
              'Close the comparison',
            )
          : null,
      ),
      this.filters(s, r.runs),
      h('h3', { class: 'runs-caption', id: 'training-runs-caption' }, `Training runs · ${count(trainingShown.length, training.length, 'shown')}`),
      training.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'runs', id: 'run-table', 'aria-labelledby': 'training-runs-caption' },
              h('thead', {}, this.head(s, 'training', TRAINING_COLUMNS)),
              h(
                'tbody',
                {},
                ...trainingShown.map((x) => this.trainingRow(s, x)),
                trainingShown.length
                  ? null
                  : h('tr', {}, h('td', { colspan: TRAINING_COLUMNS.length, class: 'muted' }, 'No training run matches the filters.')),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No training run yet.'),
      analyses.length
        ? h('h3', { class: 'runs-caption', id: 'analysis-runs-caption' }, `Analysis runs · ${count(analysesShown.length, analyses.length, 'shown')}`)
        : null,
      analyses.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'runs analysis-runs', id: 'analysis-run-table', 'aria-labelledby': 'analysis-runs-caption' },
              h('thead', {}, this.head(s, 'analyses', ANALYSIS_COLUMNS)),
              h(
                'tbody',
                {},
                ...analysesShown.map((x) => this.analysisRow(s, x)),
                analysesShown.length
                  ? null
                  : h('tr', {}, h('td', { colspan: ANALYSIS_COLUMNS.length, class: 'muted' }, 'No analysis run matches the filters.')),
              ),
            ),
          )
        : null,
    ]);
  }
}
