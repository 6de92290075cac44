/**
 * The readable run summary ("Open Run Summary"): a read-only virtual Markdown document per run folder
 * (`transfer-lab-summary:<run folder>/summary.md`), rendered from `summary.json` and `evaluation.json`
 * by `core/runs/summary-text.ts`, opened in the Markdown preview; its first line links the raw
 * `summary.json`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readEvaluation } from '../../core/evaluation/read.js';
import { readSummary } from '../../core/runs/store.js';
import { summaryMarkdown } from '../../core/runs/summary-text.js';

/** URI scheme of the readable summaries. */
export const SUMMARY_SCHEME = 'transfer-lab-summary';

/** The readable summary's URI of a run folder. */
export function summaryUri(runDir: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: path.join(runDir, 'summary.md') });
}

/** Serves the readable summaries (content built on each open, from the files as they are). */
export class RunSummaryDocuments implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const runDir = path.dirname(uri.path);
    const summary = readSummary(runDir);
    const raw = vscode.Uri.file(path.join(runDir, 'summary.json')).toString();
    if (!summary) return `# No summary\n\n${runDir} has no readable summary.json ([open it](${raw})).\n`;
    return summaryMarkdown(summary, raw, readEvaluation(runDir, summary));
  }
}

/** Registers the provider. */
export function registerRunSummaryDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, new RunSummaryDocuments());
}
