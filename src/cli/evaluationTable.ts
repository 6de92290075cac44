/** The terminal view of a run's `evaluation.json`: per-class rows, averages, top-k, the biggest confusions and most confident mistakes. */
import type { EvaluationFile } from '../core/runs/artifacts.js';
import { formatTable, pct } from './table.js';

/** Mistakes listed under the table. */
const MISTAKES_SHOWN = 5;

/** Renders an evaluation as text (ends with a newline). */
export function formatEvaluation(e: EvaluationFile): string {
  const f2 = (x: number) => x.toFixed(3);
  const rows: (string | number)[][] = e.perClass.map((c) => [c.name, f2(c.precision), f2(c.recall), f2(c.f1), c.support]);
  rows.push(['macro avg', f2(e.macro.precision), f2(e.macro.recall), f2(e.macro.f1), e.macro.support]);
  rows.push(['weighted avg', f2(e.weighted.precision), f2(e.weighted.recall), f2(e.weighted.f1), e.weighted.support]);
  const out = [
    `${e.split} split, ${e.checkpoint} checkpoint: accuracy ${pct(e.accuracy)} on ${e.examples}` +
      (e.topK.length ? `; ${e.topK.map((t) => `top-${t.k} ${pct(t.accuracy)}`).join(', ')}` : ''),
    formatTable(['class', 'precision', 'recall', 'f1', 'support'], rows),
  ];
  if (e.confusions.length) {
    out.push(
      `biggest confusions (true → predicted): ${e.confusions
        .slice(0, 5)
        .map((c) => `${c.trueClass} → ${c.predictedClass} ×${c.count}`)
        .join(', ')}`,
    );
    out.push(`most confidently wrong (${Math.min(MISTAKES_SHOWN, e.mistakes.length)} of ${e.mistakesTotal}):`);
    for (const m of e.mistakes.slice(0, MISTAKES_SHOWN))
      out.push(`  ${pct(m.probability)} ${m.predictedClass} (true ${m.trueClass})  ${m.snippet ? JSON.stringify(m.snippet.slice(0, 60)) : m.id}`);
  } else {
    out.push('no confusions');
  }
  return out.join('\n') + '\n';
}
