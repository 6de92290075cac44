/** How a run looks in the tree and in messages: status icon, best metric, tooltip. Pure formatting. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';

const ICONS: Record<RunStatus, [string, string | undefined]> = {
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass-filled', 'testing.iconPassed'],
  stopped: ['debug-stop', 'charts.yellow'],
  failed: ['error', 'testing.iconFailed'],
  diverged: ['warning', 'list.warningForeground'],
  interrupted: ['debug-disconnect', 'disabledForeground'],
};

/** Theme icon of a run status (codicon + theme colour). */
export function statusIcon(status: RunStatus): vscode.ThemeIcon {
  const [id, color] = ICONS[status] ?? ['circle-outline', undefined];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Best validation metric, e.g. `val acc 97.3%`; falls back to final train accuracy; undefined when none yet. */
export function formatBestMetric(s: RunSummary): string | undefined {
  if (s.best?.valAccuracy !== undefined) return `val acc ${pct(s.best.valAccuracy)}`;
  if (s.best?.valLoss !== undefined) return `val loss ${s.best.valLoss.toFixed(4)}`;
  if (s.final) return `train acc ${pct(s.final.trainAccuracy)}`;
  return undefined;
}

/** Short run label from the start time: `HH:MM:SS` today, else `MM-DD HH:MM`; the run id when unknown. */
export function runLabel(runId: string, s: RunSummary | undefined, now = new Date()): string {
  const t = s?.startedAt ? new Date(s.startedAt) : undefined;
  if (!t || Number.isNaN(t.getTime())) return runId;
  const two = (n: number) => String(n).padStart(2, '0');
  const today = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return today
    ? `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`
    : `${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}`;
}

/** What an analysis run is called in the tree (`advise` → `advice`…). */
const TASK_NAMES: Record<string, string> = { advise: 'advice', layerSweep: 'layer sweep', gaborMatch: 'Gabor match' };

/** The first headline result of a run (`NMI features 0.803`, `median labelled examples per class 30`), if any. */
function firstResult(s: RunSummary): string | undefined {
  const r = s.results?.[0];
  if (!r) return undefined;
  return `${r.name} ${r.unit === 'fraction' ? pct(r.value) : Number(r.value.toPrecision(3))}`;
}

/**
 * Tree description: progress while running, else the best metric (and the status when it is not
 * `completed`); an analysis run or a run without epochs (unsupervised) shows its task and first result.
 */
export function runDescription(status: RunStatus, s: RunSummary | undefined): string {
  if (!s) return status;
  const epochs = `epoch ${s.epochsDone}/${s.epochsPlanned}`;
  const task = s.task && s.task !== 'train' ? (TASK_NAMES[s.task] ?? s.task) : undefined;
  if (status === 'running') return task ?? epochs;
  const best = task || s.epochsPlanned === 0 ? [task, firstResult(s)].filter(Boolean).join(' · ') || undefined : formatBestMetric(s);
  if (status === 'completed') return best ?? epochs;
  return [status, best].filter(Boolean).join(' · ');
}

/** Markdown tooltip summarising config, backend, data and result. */
export function runTooltip(runId: string, runDir: string, status: RunStatus, s: RunSummary | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${s?.experiment ?? path.basename(path.dirname(runDir))}** · run \`${runId}\`\n\n`);
  md.appendMarkdown(`$(${ICONS[status]?.[0].replace('~spin', '') ?? 'circle-outline'}) ${status}`);
  if (!s) return md;
  md.appendMarkdown(` · ${s.epochsDone}/${s.epochsPlanned} epochs · ${s.seconds.toFixed(1)} s\n\n`);
  const rows: [string, string | undefined][] = [
    ['Strategy', s.strategy],
    ['Backend', s.backend ? `${s.backend.name}${s.backend.threads ? ` (${s.backend.threads} thread${s.backend.threads === 1 ? '' : 's'})` : ''} — ${s.backend.reason}` : undefined],
    ['Examples', s.examples ? `${s.examples.train} train / ${s.examples.validation} val / ${s.examples.test} test` : undefined],
    ['Best', s.best ? [s.best.valAccuracy !== undefined ? `val acc ${pct(s.best.valAccuracy)}` : '', s.best.valLoss !== undefined ? `val loss ${s.best.valLoss.toFixed(4)}` : '', s.bestEpoch !== undefined ? `(epoch ${s.bestEpoch + 1})` : ''].filter(Boolean).join(' ') : undefined],
    ['Test', s.test ? `acc ${pct(s.test.accuracy)} on ${s.test.examples} (${s.test.checkpoint})` : undefined],
    ['Started', s.startedAt],
    ['Error', s.error],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`- **${k}:** ${v.replace(/[\\`*_[\]]/g, '\\$&')}\n`);
  return md;
}
