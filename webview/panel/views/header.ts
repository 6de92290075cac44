/** The panel's top bar: experiment name and file, strategy and base, Run / Stop, the backend and the run status. */
import { post } from '../host.js';
import { h, replaceChildrenKeepingFocus } from '../dom.js';
import { taskLabel } from '../format.js';
import type { PageState } from '../state.js';

/** Renders the header. */
export class HeaderView {
  readonly el = h('header', { class: 'top', id: 'top' });
  /** What the header shows now (see {@link update}). */
  private shown = '';
  /** The run whose Stop was clicked: the header says "Stopping…" at once, before the host confirms. */
  private stopClicked: string | undefined;

  update(s: PageState): void {
    const e = s.experiment;
    const d = e?.detail;
    const runs = s.runs;
    const active = runs?.active;
    const running = !!active;
    const stopping = active?.state === 'stopping' || (!!active && this.stopClicked === (active.runId ?? ''));
    const m = s.metrics.metrics;
    const backend = active?.backend ?? m?.backend;
    const backendText = backend
      ? `${backend.name}${backend.threads && backend.threads > 1 ? ` (${backend.threads} threads)` : ''}`
      : 'chosen when a run starts';
    const status = active
      ? `${active.task !== 'train' ? `${taskLabel(active.task)}: ` : ''}${stopping ? 'stopping…' : (active.phase ?? active.state)}${active.runId ? ` · run ${active.runId}` : ''}`
      : m
        ? `last run ${m.status}`
        : runs?.runs.length
          ? 'no training run yet'
          : 'no runs yet';
    // Runs and metrics messages arrive every epoch while a run trains: rebuild only when something
    // shown changed, else the Stop button is replaced under the pointer and a click on it is lost.
    const key = JSON.stringify([
      e?.name,
      e?.fileName,
      e?.valid,
      d?.kind,
      d?.method,
      d?.strategy,
      d?.base,
      backendText,
      backend?.reason,
      runs?.backendSetting,
      running,
      runs?.canRun,
      active?.state,
      stopping,
      status,
    ]);
    if (key === this.shown) return;
    this.shown = key;
    replaceChildrenKeepingFocus(this.el, [
      h(
        'div',
        { class: 'title-row' },
        h('h1', {}, e?.name ?? 'Experiment'),
        h('span', { class: 'muted file' }, e?.fileName ?? ''),
        h(
          'button',
          { class: 'link', 'data-key': 'open-json', title: 'Show the experiment file in the editor', onclick: () => post('openJson', {}) },
          'Open JSON',
        ),
      ),
      h(
        'div',
        { class: 'facts' },
        d ? this.transfer(d) : null,
        d ? h('span', {}, h('span', { class: 'muted' }, 'Base '), d.base) : null,
        h(
          'span',
          { id: 'backend', title: backend?.reason ?? `Setting transferLab.backend: ${runs?.backendSetting ?? 'auto'}` },
          h('span', { class: 'muted' }, 'Backend '),
          backendText,
          h('span', { class: 'muted' }, ` (setting ${runs?.backendSetting ?? 'auto'})`),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            class: 'primary',
            id: 'run-button',
            'data-key': 'run',
            disabled: running || !runs?.canRun || e?.valid === false,
            title: runs?.canRun === false ? 'Running needs a trusted workspace' : 'Run the experiment (saves the file first)',
            onclick: () => post('run', {}),
          },
          '▶ Run',
        ),
        h(
          'button',
          {
            id: 'stop-button',
            'data-key': 'stop',
            disabled: !running || stopping,
            title: 'Stop after the current step (a checkpoint is written)',
            onclick: () => {
              post('stop', {});
              this.stopClicked = active?.runId ?? '';
              this.update(s);
            },
          },
          stopping ? 'Stopping…' : '■ Stop',
        ),
        h('span', { class: 'status', role: 'status', id: 'run-status' }, status),
      ),
    ]);
  }

  /** The kind of transfer: the strategy of an inductive experiment, what a transductive or unsupervised one does. */
  private transfer(d: NonNullable<NonNullable<PageState['experiment']>['detail']>): HTMLElement {
    if (d.kind === 'unsupervised') {
      return h(
        'span',
        {
          id: 'transfer-kind',
          'data-kind': d.kind,
          title: 'No labels are used: the base’s cut-layer features are reduced by PCA and clustered by k-means; nothing trains',
        },
        h('span', { class: 'muted' }, 'Unsupervised: '),
        d.method ?? '',
      );
    }
    if (d.kind === 'transductive') {
      return h(
        'span',
        { id: 'transfer-kind', 'data-kind': d.kind, title: `Trained on the labelled source (strategy ${d.strategy}), then adapted to the unlabelled target` },
        h('span', { class: 'muted' }, 'Transductive: '),
        d.method ?? '',
      );
    }
    return h('span', { id: 'transfer-kind', 'data-kind': d.kind }, h('span', { class: 'muted' }, 'Strategy '), d.strategy);
  }
}
