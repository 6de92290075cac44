/**
 * Transfer Lab: Compare Runs… — a Markdown document with one table row per run (status, strategy,
 * epochs, best/final/test metrics, backend, time) and the config settings that differ between them.
 * A stand-in until the experiment panel offers charts.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { percent } from '../../core/format.js';
import { pickRuns, runsFromArgs, type RunTarget } from './targets.js';

const pct = (x: number | undefined) => percent(x, '');
const num = (x: number | undefined, d = 4) => (x === undefined ? '' : x.toFixed(d));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Flattens a JSON value to `a.b[0].c → value` pairs. */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

async function readConfig(runDir: string): Promise<Map<string, string>> {
  try {
    return flatten(JSON.parse(await fs.readFile(path.join(runDir, 'config.json'), 'utf8')));
  } catch {
    return new Map();
  }
}

/** The comparison as Markdown. */
export async function compareMarkdown(runs: RunTarget[]): Promise<string> {
  const lines = [
    '# Transfer Lab: run comparison',
    '',
    '| Experiment | Run | Status | Strategy | Epochs | Best val acc | Best val loss | Final train acc | Test acc | Backend | Seconds |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of runs) {
    const s = r.summary;
    lines.push(
      '| ' +
        [
          r.experiment,
          r.runId,
          r.status,
          s?.strategy ?? '',
          s ? `${s.epochsDone}/${s.epochsPlanned}` : '',
          pct(s?.best?.valAccuracy),
          num(s?.best?.valLoss),
          pct(s?.final?.trainAccuracy),
          pct(s?.test?.accuracy),
          s?.backend?.name ?? '',
          s ? s.seconds.toFixed(1) : '',
        ]
          .map(cell)
          .join(' | ') +
        ' |',
    );
  }
  const configs = await Promise.all(runs.map((r) => readConfig(r.runDir)));
  const keys = [...new Set(configs.flatMap((c) => [...c.keys()]))].filter(
    (k) => !/^(file|dir)$|\.(file|dir)$/.test(k) && new Set(configs.map((c) => c.get(k) ?? '—')).size > 1,
  );
  lines.push('', '## Settings that differ', '');
  if (keys.length === 0) {
    lines.push(configs.some((c) => c.size) ? 'None: the resolved configs are identical.' : 'No `config.json` found in these runs.');
  } else {
    lines.push(`| Setting | ${runs.map((r) => cell(`${r.experiment} ${r.runId}`)).join(' | ')} |`, `| --- |${runs.map(() => ' --- |').join('')}`);
    for (const k of keys.sort()) lines.push(`| \`${k}\` | ${configs.map((c) => cell(c.get(k) ?? '—')).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** Compares two or more runs (tree multi-selection, run folders, or a multi-select pick); returns the document. */
export async function compareRuns(arg?: unknown, selection?: unknown): Promise<vscode.TextDocument | undefined> {
  let runs = await runsFromArgs(arg, selection);
  if (runs.length < 2)
    runs =
      (await pickRuns(
        'Pick two or more runs to compare',
        runs.map((r) => r.runDir),
      )) ?? [];
  if (runs.length < 2) {
    if (runs.length === 1) void vscode.window.showInformationMessage('Pick at least two runs to compare.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: await compareMarkdown(runs) });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
