/**
 * A run summary as Markdown for people ("Open Run Summary"): epochs counted from 1 as everywhere in
 * the UI (`summary.json` counts `bestEpoch` from 0), seconds rounded, accuracies as percentages, and
 * the evaluation (per-class rows, biggest confusions) when the run has one. Pure formatting.
 */
import type { EvaluationFile } from './artifacts.js';
import type { RunSummary } from './events.js';

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(4));
/** `6.1886` → `6 s`; `75.2` → `1 min 15 s`. */
export function roundSeconds(s: number): string {
  const r = Math.round(s);
  return r < 60 ? `${r} s` : `${Math.floor(r / 60)} min ${r % 60} s`;
}
/** A Markdown table cell: pipes and line breaks escaped. */
const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

/**
 * @param rawLink the Markdown link target of the raw `summary.json` (a file URI)
 */
export function summaryMarkdown(s: RunSummary, rawLink: string, evaluation?: EvaluationFile): string {
  const rows: (string | number)[][] = [
    ['status', s.status],
    ['strategy', s.strategy],
    ...(s.seed !== undefined ? [['seed', s.seed]] : []),
    ['epochs', `${s.epochsDone} of ${s.epochsPlanned}`],
    ...(s.bestEpoch !== undefined ? [['best epoch', `${s.bestEpoch + 1} (val accuracy ${pct(s.best?.valAccuracy)}, val loss ${f4(s.best?.valLoss)})`]] : []),
    ...(s.final
      ? [
          [
            'last epoch',
            `train accuracy ${pct(s.final.trainAccuracy)}, loss ${f4(s.final.trainLoss)}; val accuracy ${pct(s.final.valAccuracy)}, loss ${f4(s.final.valLoss)}`,
          ],
        ]
      : []),
    ...(s.test ? [['test', `accuracy ${pct(s.test.accuracy)}, loss ${f4(s.test.loss)} on ${s.test.examples} examples (${s.test.checkpoint} checkpoint)`]] : []),
    ...(s.examples ? [['examples', `${s.examples.train} train, ${s.examples.validation} validation, ${s.examples.test} test`]] : []),
    ['time', `${roundSeconds(s.seconds)}${s.cpuSeconds !== undefined ? ` (worker CPU ${roundSeconds(s.cpuSeconds)})` : ''}`],
    ['started', s.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
    ...(s.backend ? [['backend', `${s.backend.name}: ${s.backend.reason}`]] : []),
    ...(s.memory ? [['peak memory', `${Math.round(s.memory.rssPeakBytes / 2 ** 20)} MB`]] : []),
    ...(s.results ?? []).map((r) => [r.name, r.unit === 'fraction' ? pct(r.value) : String(Number(r.value.toPrecision(4)))]),
  ];
  const out = [`# ${s.experiment} — run ${s.runId}`, '', `[Raw summary.json](${rawLink})`, '', table(['', ''], rows)];
  if (s.error) out.push('', `**Error:** ${s.error}`);
  if (evaluation) {
    const e = evaluation;
    out.push('', `## What the model got wrong (${e.split} split, ${e.checkpoint} checkpoint)`, '');
    out.push(`Accuracy ${pct(e.accuracy)} on ${e.examples}${e.topK.length ? `; ${e.topK.map((t) => `top-${t.k} ${pct(t.accuracy)}`).join(', ')}` : ''}.`, '');
    const per = e.perClass.map((c) => [c.name, f3(c.precision), f3(c.recall), f3(c.f1), c.support]);
    per.push(['macro avg', f3(e.macro.precision), f3(e.macro.recall), f3(e.macro.f1), e.macro.support]);
    per.push(['weighted avg', f3(e.weighted.precision), f3(e.weighted.recall), f3(e.weighted.f1), e.weighted.support]);
    out.push(table(['class', 'precision', 'recall', 'F1', 'support'], per));
    if (e.confusions.length)
      out.push('', `Biggest confusions (true → predicted): ${e.confusions.map((c) => `${c.trueClass} → ${c.predictedClass} ×${c.count}`).join(', ')}.`);
  }
  return out.join('\n') + '\n';
}
