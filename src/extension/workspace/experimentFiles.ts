/** Finds `*.transfer.json` files in the workspace and reads the little the tree needs from each. */
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { experimentNameFromFile } from '../../core/experiment/resolve.js';
import * as vscode from 'vscode';
import { EXPERIMENT_GLOB, EXPERIMENT_SUFFIX } from '../constants.js';
import { runsRootFor } from '../config.js';

/** An experiment file as the tree shows it (no validation; that is the diagnostics' job). */
export interface ExperimentEntry {
  uri: vscode.Uri;
  /** Experiment name: `name` in the file, else the file name without `.transfer.json`. */
  name: string;
  description?: string;
  /** Absolute runs root this experiment's runs live under. */
  runsRoot: string;
  /** Folder label for multi-root workspaces. */
  folderName?: string;
}

/** True when the path names an experiment file. */
export function isExperimentPath(p: string): boolean {
  return p.endsWith(EXPERIMENT_SUFFIX);
}

/** Reads `name` and `description` from the text of an experiment file (tolerates broken JSON). */
export function experimentNameFromText(file: string, text: string): { name: string; description?: string } {
  const value: unknown = parse(text, [], { allowTrailingComma: true });
  const obj = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const name = typeof obj.name === 'string' && obj.name.trim() ? obj.name.trim() : experimentNameFromFile(file);
  return { name, description: typeof obj.description === 'string' ? obj.description : undefined };
}

/** Reads one experiment entry (from an open document when there is one, so unsaved names show). */
export async function readExperimentEntry(uri: vscode.Uri): Promise<ExperimentEntry> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  let text = '';
  try {
    text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    // deleted between find and read: shown by name only
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return {
    uri,
    ...experimentNameFromText(uri.fsPath, text),
    runsRoot: runsRootFor(folder, path.dirname(uri.fsPath)),
    folderName: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder?.name : undefined,
  };
}

/** Every experiment file in the workspace, sorted by path. */
export async function findExperiments(): Promise<ExperimentEntry[]> {
  const uris = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/{node_modules,.git,.transfer-lab}/**');
  uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  return Promise.all(uris.map(readExperimentEntry));
}
