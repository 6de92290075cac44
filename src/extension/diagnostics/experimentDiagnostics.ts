/**
 * Diagnostics for `*.transfer.json` documents on open and save: the core validator's schema and
 * semantic checks (a frozen layer not in the model, a missing data folder, …), computed without
 * tfjs. Other JSON files get nothing. Problems the JSON language service already reports from
 * `jsonValidation` (same schema) are not repeated, so each schema error shows once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsRootFor } from '../config.js';
import type { Problem } from '../../core/experiment/problem.js';
import { checkExperimentText, type CheckResult } from './checkExperiment.js';
import { isExperimentPath } from '../workspace/experimentFiles.js';

/** Source label shown in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'transfer-lab';

/** Converts a located core problem to a VS Code diagnostic. */
export function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const start = doc.positionAt(p.offset);
  const end = doc.positionAt(p.offset + Math.max(1, p.length));
  const d = new vscode.Diagnostic(
    new vscode.Range(start, end),
    p.message,
    p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = p.path === '' ? '/' : p.path;
  return d;
}

/** Owns the diagnostic collection and the open/save/close listeners. */
export class ExperimentDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  /** Checks one document (ignored unless it is an experiment file); returns the result, or undefined. */
  async check(doc: vscode.TextDocument): Promise<CheckResult | undefined> {
    if (doc.uri.scheme !== 'file' || !isExperimentPath(doc.uri.fsPath)) return undefined;
    try {
      const runsDir = runsRootFor(vscode.workspace.getWorkspaceFolder(doc.uri), path.dirname(doc.uri.fsPath));
      const result = await checkExperimentText(doc.uri.fsPath, doc.getText(), runsDir);
      // The JSON language service shows syntax and schema problems itself (jsonValidation, same
      // schema); we add the semantic ones.
      this.collection.set(
        doc.uri,
        result.semantic.map((p) => toDiagnostic(doc, p)),
      );
      return result;
    } catch (e) {
      this.log.error(`Checking ${doc.uri.fsPath} failed: ${(e as Error).stack ?? e}`);
      return undefined;
    }
  }

  /** Our diagnostics of a document (tests and Validate Experiment). */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
