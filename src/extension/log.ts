/** The extension's single `LogOutputChannel` ("Transfer Lab" in the Output view). */
import * as vscode from 'vscode';

/** Creates the log channel; the caller disposes it. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Transfer Lab', { log: true });
}
