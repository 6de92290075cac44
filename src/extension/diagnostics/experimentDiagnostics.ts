/**
 * Diagnostics for `*.transfer.json` documents as they are opened, edited (after a pause in typing)
 * and saved: the core validator's schema and semantic checks (a misspelt field with "did you mean", a
 * frozen layer not in the model, a missing data folder, …), computed without tfjs — the very problems
 * and words `transfer-lab validate` and Run give, errors as errors. VS Code's JSON service reads a
 * hints-only schema (`jsonValidation`: completion and hovers, no constraints), so it reports no schema
 * problem itself; it does report JSON syntax errors and duplicate keys, which are therefore not
 * repeated here. Other JSON files get nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsRootFor } from '../config.js';
import type { Problem } from '../../core/experiment/problem.js';
import { allProblems, checkExperimentText, type CheckResult } from './checkExperiment.js';
import { isExperimentPath } from '../workspace/experimentFiles.js';

/** Pause after the last edit before a document is checked again (ms). */
export const EDIT_PAUSE_MS = 400;

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
  /** Checks scheduled after an edit, by document URI. */
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.checkSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        clearTimeout(this.pending.get(d.uri.toString()));
        this.pending.delete(d.uri.toString());
      }),
      { dispose: () => this.pending.forEach((t) => clearTimeout(t)) },
    );
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  /** Checks a document once typing pauses ({@link EDIT_PAUSE_MS} after its last change). */
  private checkSoon(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !isExperimentPath(doc.uri.fsPath)) return;
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.check(doc);
      }, EDIT_PAUSE_MS),
    );
  }

  /** Checks one document (ignored unless it is an experiment file); returns the result, or undefined. */
  async check(doc: vscode.TextDocument): Promise<CheckResult | undefined> {
    if (doc.uri.scheme !== 'file' || !isExperimentPath(doc.uri.fsPath)) return undefined;
    try {
      const runsDir = runsRootFor(vscode.workspace.getWorkspaceFolder(doc.uri), path.dirname(doc.uri.fsPath));
      const version = doc.version;
      const result = await checkExperimentText(doc.uri.fsPath, doc.getText(), runsDir);
      if (doc.version !== version || doc.isClosed) return result; // edited meanwhile: the next check reports
      // The JSON language service shows syntax problems and duplicate keys itself; we show the rest.
      this.collection.set(
        doc.uri,
        allProblems(result)
          .filter((p) => !p.syntax)
          .map((p) => toDiagnostic(doc, p)),
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
