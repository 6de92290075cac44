/** How a run looks in the tree and in messages: status icon, best metric, tooltip. Pure formatting. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { percent as pct } from '../../core/format.js';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';
import type { RunMeta } from '../../core/runs/meta.js';

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

export { formatBestMetric, runDescription, runHeadline } from '../../core/runs/headline.js';

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

const esc = (x: string) => x.replace(/[\\`*_[\]<>#|]/g, '\\$&');

/** Markdown tooltip summarising the run's name, tags and notes, config, backend, data and result. */
export function runTooltip(
  runId: string,
  runDir: string,
  status: RunStatus,
  s: RunSummary | undefined,
  meta: RunMeta = {},
  metaError?: string,
): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  if (meta.name) md.appendMarkdown(`**${esc(meta.name)}**\n\n`);
  md.appendMarkdown(`**${s?.experiment ?? path.basename(path.dirname(runDir))}** · run \`${runId}\`\n\n`);
  if (meta.tags?.length) md.appendMarkdown(`Tags: ${meta.tags.map((t) => `\`${t}\``).join(' ')}\n\n`);
  if (meta.notes) md.appendMarkdown(`${esc(meta.notes).replace(/\n/g, '  \n')}\n\n`);
  if (metaError) md.appendMarkdown(`$(warning) ${esc(metaError)}\n\n`);
  md.appendMarkdown(`$(${ICONS[status]?.[0].replace('~spin', '') ?? 'circle-outline'}) ${status}`);
  if (!s) return md;
  const epochs = s.epochsPlanned > 0 || s.epochsDone > 0 ? ` · ${s.epochsDone}/${s.epochsPlanned} epochs` : '';
  md.appendMarkdown(`${epochs} · ${s.seconds.toFixed(1)} s\n\n`);
  const rows: [string, string | undefined][] = [
    ['Strategy', s.strategy],
    [
      'Backend',
      s.backend
        ? `${s.backend.name}${s.backend.threads ? ` (${s.backend.threads} thread${s.backend.threads === 1 ? '' : 's'})` : ''} — ${s.backend.reason}`
        : undefined,
    ],
    ['Examples', s.examples ? `${s.examples.train} train / ${s.examples.validation} val / ${s.examples.test} test` : undefined],
    [
      'Best',
      s.best
        ? [
            s.best.valAccuracy !== undefined ? `val acc ${pct(s.best.valAccuracy)}` : '',
            s.best.valLoss !== undefined ? `val loss ${s.best.valLoss.toFixed(4)}` : '',
            s.bestEpoch !== undefined ? `(epoch ${s.bestEpoch + 1})` : '',
          ]
            .filter(Boolean)
            .join(' ')
        : undefined,
    ],
    ['Test', s.test ? `acc ${pct(s.test.accuracy)} on ${s.test.examples} (${s.test.checkpoint})` : undefined],
    ...(s.results ?? []).map((r): [string, string] => [r.name, r.unit === 'fraction' ? pct(r.value) : String(Number(r.value.toPrecision(3)))]),
    ['Started', s.startedAt],
    ['Error', s.error],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`- **${esc(k)}:** ${esc(v)}\n`);
  return md;
}
