/**
 * The learning-rate section: schedule type and parameters, warmup, multipliers and stage lengths as
 * form fields (each change is an edit of the JSON), and a Chart.js preview of the rate per step for
 * every layer group over all planned stages — computed by the host with the trainer's own schedule
 * code — with the rates a shown run actually applied drawn over it.
 */
import type { Chart } from 'chart.js';
import type { ExperimentDetail, SettingTarget } from '../../../src/protocol/webview.js';
import { lineChart, setLogY, setSeries, type Series } from '../charts.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { int, num } from '../format.js';
import { post, save } from '../host.js';
import type { PageState } from '../state.js';

type ScheduleType = ExperimentDetail['learningRate']['schedule']['type'];

const SCHEDULES: Record<ScheduleType, string> = {
  constant: 'constant',
  step: 'step (×gamma every N epochs)',
  exponential: 'exponential (×gamma per epoch)',
  cosine: 'cosine annealing',
  oneCycle: 'one-cycle',
};

/** Parameters shown for each schedule type. */
const PARAMS: Record<
  ScheduleType,
  { key: 'stepEpochs' | 'gamma' | 'minRate' | 'pctStart' | 'divFactor' | 'finalDivFactor'; label: string; integer?: boolean }[]
> = {
  constant: [],
  step: [
    { key: 'stepEpochs', label: 'every (epochs)', integer: true },
    { key: 'gamma', label: 'gamma' },
  ],
  exponential: [{ key: 'gamma', label: 'gamma' }],
  cosine: [{ key: 'minRate', label: 'final rate' }],
  oneCycle: [
    { key: 'pctStart', label: 'rising fraction' },
    { key: 'divFactor', label: 'div factor' },
    { key: 'finalDivFactor', label: 'final div factor' },
  ],
};

/** A number field that sends `setSetting` when committed (Enter or leaving the field); empty removes the setting. */
function numberField(key: string, label: string, value: number, target: SettingTarget, opts: { integer?: boolean; min?: number; disabled?: boolean } = {}) {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label),
    h('input', {
      type: 'number',
      'data-key': key,
      value: String(value),
      step: opts.integer ? 1 : 'any',
      min: opts.min ?? 0,
      disabled: opts.disabled,
      onchange: (ev: Event) => {
        const raw = (ev.target as HTMLInputElement).value.trim();
        const v = raw === '' ? null : Number(raw);
        if (v !== null && !Number.isFinite(v)) return;
        post('setSetting', { target, value: v });
      },
    }),
  );
}

/** Renders the learning-rate form and preview. */
export class ScheduleView {
  private readonly parts = section('schedule', 'Learning rate');
  readonly el = this.parts.el;
  private readonly form = h('div', { class: 'form-grid' });
  private readonly meta = h('div', { class: 'preview-meta' });
  private readonly canvas = h('canvas', { role: 'img', 'aria-label': 'Learning-rate preview', id: 'lr-chart' });
  private readonly chart: Chart<'line'>;
  private readonly box = h('div', { class: 'chart-box tall' }, this.canvas);

  constructor(s: PageState) {
    this.parts.body.append(this.form, this.meta, this.box);
    this.chart = lineChart(this.canvas, { xTitle: 'step', yTitle: 'learning rate', logY: s.logRate });
  }

  update(s: PageState): void {
    const d = s.experiment?.detail;
    const disabled = s.experiment?.valid === false;
    this.box.hidden = !d;
    this.meta.hidden = !d;
    if (!d) {
      replaceChildrenKeepingFocus(this.form, [h('p', { class: 'muted' }, 'The schedule shows once the file passes its checks.')]);
      setSeries(this.chart, []);
      return;
    }
    if (d.kind === 'unsupervised') {
      // Nothing trains: no rate to set or preview.
      this.box.hidden = true;
      this.meta.hidden = false;
      replaceChildrenKeepingFocus(this.form, []);
      replaceChildrenKeepingFocus(this.meta, [
        h('p', { class: 'muted', id: 'schedule-unused' }, 'An unsupervised experiment trains nothing: the learning rate is not used.'),
      ]);
      setSeries(this.chart, []);
      return;
    }
    const lr = d.learningRate;
    const sched = lr.schedule;
    replaceChildrenKeepingFocus(this.form, [
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'schedule'),
        h(
          'select',
          {
            'data-key': 'schedule-type',
            id: 'schedule-type',
            disabled,
            onchange: (ev: Event) => post('setSetting', { target: { kind: 'schedule', key: 'type' }, value: (ev.target as HTMLSelectElement).value }),
          },
          ...(Object.keys(SCHEDULES) as ScheduleType[]).map((t) => h('option', { value: t, selected: t === sched.type }, SCHEDULES[t])),
        ),
      ),
      numberField('lr-base', 'base rate (head)', lr.base, { kind: 'learningRate', key: 'base' }, { disabled }),
      ...PARAMS[sched.type].map((p) =>
        numberField(`schedule-${p.key}`, p.label, sched[p.key], { kind: 'schedule', key: p.key }, { integer: p.integer, disabled }),
      ),
      numberField('warmup-steps', 'warmup steps', lr.warmup.steps, { kind: 'warmup', key: 'steps' }, { integer: true, disabled }),
      lr.warmup.steps > 0
        ? numberField('warmup-start', 'warmup start factor', lr.warmup.startFactor, { kind: 'warmup', key: 'startFactor' }, { disabled })
        : null,
      numberField('base-multiplier', 'base layers ×', lr.baseMultiplier, { kind: 'learningRate', key: 'baseMultiplier' }, { disabled }),
      ...d.groups.map((g) =>
        numberField(
          `group-mult:${g.name}`,
          `${g.name} × (${g.layerCount} layer${g.layerCount === 1 ? '' : 's'})`,
          g.multiplier,
          { kind: 'groupMultiplier', group: g.name },
          { disabled },
        ),
      ),
      ...d.stages.flatMap((st, i) => [
        numberField(
          `stage-epochs:${i}`,
          d.stages.length > 1 ? `${st.name}: epochs` : 'epochs',
          st.epochs,
          { kind: 'stageEpochs', stage: i },
          { integer: true, min: 1, disabled },
        ),
        d.stagesWritten && d.stages.length > 1
          ? numberField(`stage-rate:${i}`, `${st.name}: head rate`, st.learningRate, { kind: 'stageLearningRate', stage: i }, { disabled })
          : null,
      ]),
      numberField('batch-size', 'batch size', d.batchSize, { kind: 'batchSize' }, { integer: true, min: 1, disabled }),
    ]);
    const p = d.preview;
    replaceChildrenKeepingFocus(this.meta, [
      h(
        'label',
        { class: 'field inline' },
        h('span', {}, 'steps per epoch'),
        h('input', {
          type: 'number',
          'data-key': 'preview-steps',
          id: 'preview-steps',
          min: 1,
          step: 1,
          value: String(p.stepsPerEpoch),
          title: 'Only for the preview; not saved in the experiment',
          onchange: (ev: Event) => {
            const raw = (ev.target as HTMLInputElement).value.trim();
            const v = raw === '' ? null : Math.round(Number(raw));
            s.previewSteps = v !== null && v > 0 ? v : undefined;
            save({ previewSteps: s.previewSteps });
            post('setPreviewSteps', { stepsPerEpoch: s.previewSteps ?? null });
          },
        }),
      ),
      h('span', { class: 'muted' }, `${p.stepsSource} · ${int(p.totalSteps)} steps in ${d.stages.length} stage${d.stages.length === 1 ? '' : 's'}`),
      h(
        'label',
        { class: 'field inline' },
        h('input', {
          type: 'checkbox',
          'data-key': 'log-rate',
          checked: s.logRate,
          onchange: (ev: Event) => {
            s.logRate = (ev.target as HTMLInputElement).checked;
            setLogY(this.chart, s.logRate);
          },
        }),
        h('span', {}, 'log scale'),
      ),
    ]);
    const series: Series[] = p.series.map((ser, i) => ({
      label: `${ser.group} (planned)`,
      points: p.steps.map((x, k) => ({ x, y: s.logRate && ser.rates[k] <= 0 ? null : ser.rates[k] })),
      color: i,
      dashed: true,
    }));
    const m = s.metrics.metrics;
    if (m && m.steps.points.length) {
      const groups = Object.keys(m.steps.points[0].lr);
      groups.forEach((g) => {
        const i = p.series.findIndex((x) => x.group === g);
        series.push({
          label: `${g} (applied, run ${m.runId.slice(-4)})`,
          points: m.steps.points.map((pt) => ({ x: pt.step, y: pt.lr[g] ?? null })),
          color: i >= 0 ? i : series.length,
          thin: true,
        });
      });
    }
    setSeries(this.chart, series, p.stageStarts.slice(1));
    this.canvas.setAttribute(
      'aria-label',
      `Learning-rate preview: ${p.series.map((x) => `${x.group} from ${num(x.rates[0])} to ${num(x.rates[x.rates.length - 1])}`).join('; ')} over ${p.totalSteps} steps`,
    );
  }
}
