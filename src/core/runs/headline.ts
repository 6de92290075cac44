/**
 * The one-line description of a run in the Experiments view and in run pickers, from its
 * `summary.json` alone (no vscode, no file reads): progress while running, else the result that says
 * what the run found. Pure formatting.
 */
import { percent as pct } from '../format.js';
import type { RunResult, RunStatus, RunSummary } from './events.js';

/** Best validation metric, e.g. `val acc 97.3%`; falls back to final train accuracy; undefined when none yet. */
export function formatBestMetric(s: RunSummary): string | undefined {
  if (s.best?.valAccuracy !== undefined) return `val acc ${pct(s.best.valAccuracy)}`;
  if (s.best?.valLoss !== undefined) return `val loss ${s.best.valLoss.toFixed(4)}`;
  if (s.final) return `train acc ${pct(s.final.trainAccuracy)}`;
  return undefined;
}

/** What an analysis run, or a training run that is not an ordinary one, is called (`advise` → `advice`…). */
const TASK_NAMES: Record<string, string> = { advise: 'advice', layerSweep: 'layer sweep', gaborMatch: 'Gabor match' };

/** The value of a result as shown: a percentage for fractions, else 3 significant digits. */
function value(r: RunResult): string {
  return r.unit === 'fraction' ? pct(r.value) : String(Number(r.value.toPrecision(3)));
}

/** Results of a run by name. */
function byName(s: RunSummary): Map<string, RunResult> {
  return new Map((s.results ?? []).map((r) => [r.name, r]));
}

const two = (x: number) => x.toFixed(2);

/**
 * `best cut pool2 86.0% (input 74.0%)`: validation accuracy of the best cut and of the raw input.
 * A layer sweep's results are `val accuracy <layer>` in layer order, the raw input (`input`) first,
 * then `best cut <layer>`: the sweep's choice (ties broken by fewer features). Runs from before that
 * result: the highest, the first of equals (the sweep's choice when the tied layers have as many
 * features, e.g. a pooling layer and the flatten after it). Compared with the raw-input baseline.
 */
function layerSweepHeadline(s: RunSummary): string | undefined {
  const results = s.results ?? [];
  const layers = results.filter((r) => r.name.startsWith('val accuracy ')).map((r) => ({ layer: r.name.slice('val accuracy '.length), acc: r.value }));
  const chosen = results.find((r) => r.name.startsWith('best cut '));
  if (layers.length === 0 && !chosen) return undefined;
  const best = chosen ? { layer: chosen.name.slice('best cut '.length), acc: chosen.value } : layers.reduce((a, b) => (b.acc > a.acc ? b : a));
  const input = layers.find((l) => l.layer === 'input');
  if (best.layer === 'input') return `best: raw input ${pct(best.acc)}`;
  return `best cut ${best.layer} ${pct(best.acc)}${input ? ` (input ${pct(input.acc)})` : ''}`;
}

/** `clusters k=4 · NMI 0.33 vs 0.31 pixels` (NMI with labels, else the silhouette). */
function clustersHeadline(s: RunSummary): string | undefined {
  const r = byName(s);
  const k = r.get('k');
  const nmi = r.get('NMI features');
  const rawNmi = r.get('NMI raw pixels') ?? r.get('NMI TF-IDF');
  const baseline = r.get('NMI TF-IDF') ? 'TF-IDF' : 'pixels';
  const silhouette = r.get('silhouette features');
  const parts = [k ? `clusters k=${k.value}` : 'clusters'];
  if (nmi) parts.push(`NMI ${two(nmi.value)}${rawNmi ? ` vs ${two(rawNmi.value)} ${baseline}` : ''}`);
  else if (silhouette) parts.push(`silhouette ${two(silhouette.value)}`);
  return parts.join(' · ');
}

/** `target 22.5% → 87.3% AdaBN → 86.8% self-training`: target accuracy before and after each adaptation. */
function transductiveHeadline(s: RunSummary): string | undefined {
  const r = byName(s);
  const source = r.get('target accuracy, source model');
  if (!source) return undefined;
  const steps = [`target ${pct(source.value)}`];
  const adaBN = r.get('after AdaBN');
  const selfTraining = r.get('after self-training');
  if (adaBN) steps.push(`${pct(adaBN.value)} AdaBN`);
  if (selfTraining) steps.push(`${pct(selfTraining.value)} self-training`);
  return steps.join(' → ');
}

/** `mean r 0.854 vs 0.829 random kernels`. */
function gaborHeadline(s: RunSummary): string | undefined {
  const r = byName(s);
  const mean = r.get('mean correlation');
  if (!mean) return undefined;
  const chance = r.get('chance: mean correlation of random kernels');
  return `mean r ${mean.value.toFixed(3)}${chance ? ` vs ${chance.value.toFixed(3)} random kernels` : ''}`;
}

/** `400 labels/class · domain classifier 89.4%`. */
function adviceHeadline(s: RunSummary): string | undefined {
  const r = byName(s);
  const labels = r.get('median labelled examples per class');
  const domain = r.get('domain classifier accuracy');
  const parts = [labels ? `${value(labels)} labels/class` : '', domain ? `domain classifier ${pct(domain.value)}` : ''].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The first headline result of a run (`mean shift 0.0891`), for kinds without a headline of their own. */
function firstResult(s: RunSummary): string | undefined {
  const r = s.results?.[0];
  return r ? `${r.name} ${value(r)}` : undefined;
}

/** What a finished run found, from its results; undefined for an ordinary training run (its best metric says it). */
export function runHeadline(s: RunSummary): string | undefined {
  const task = s.task && s.task !== 'train' ? s.task : undefined;
  const headline =
    task === 'layerSweep'
      ? layerSweepHeadline(s)
      : task === 'gaborMatch'
        ? gaborHeadline(s)
        : task === 'advise'
          ? adviceHeadline(s)
          : s.transferKind === 'unsupervised'
            ? clustersHeadline(s)
            : s.transferKind === 'transductive'
              ? transductiveHeadline(s)
              : undefined;
  return headline ?? (task || s.epochsPlanned === 0 ? firstResult(s) : undefined);
}

/**
 * Tree description: progress while running (an analysis: its task; clustering: `clustering`), else
 * what the run found — an analysis or an unsupervised or transductive run its headline results
 * ({@link runHeadline}), a training run its best metric — and the status when it is not `completed`.
 */
export function runDescription(status: RunStatus, s: RunSummary | undefined): string {
  if (!s) return status;
  const task = s.task && s.task !== 'train' ? (TASK_NAMES[s.task] ?? s.task) : undefined;
  const clustering = !task && s.transferKind === 'unsupervised';
  if (status === 'running') return task ?? (clustering ? 'clustering' : `epoch ${s.epochsDone}/${s.epochsPlanned}`);
  const headline = runHeadline(s);
  const found = task ? [task, headline].filter(Boolean).join(' · ') : (headline ?? formatBestMetric(s));
  if (status === 'completed') return found ?? (clustering ? 'clusters' : `epoch ${s.epochsDone}/${s.epochsPlanned}`);
  return [status, found].filter(Boolean).join(' · ');
}
