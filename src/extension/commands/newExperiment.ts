/** Transfer Lab: New Experiment… — writes a template as `<name>.transfer.json` and opens it. */
import * as vscode from 'vscode';
import { EXPERIMENT_SUFFIX } from '../constants.js';
import { renderExperiment, TEMPLATES, type ExperimentTemplate } from '../templates/templates.js';

/** Options for callers that already know the answers (tests, the walkthrough). */
export interface NewExperimentOptions {
  template?: ExperimentTemplate['id'];
  name?: string;
  /** Don't open the new file in an editor. */
  noOpen?: boolean;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates an experiment in `folder` (explorer context), else the first workspace folder. Returns the
 * new file's uri, or undefined when cancelled.
 */
export async function newExperiment(folderArg?: unknown, opts: NewExperimentOptions = {}): Promise<vscode.Uri | undefined> {
  const folder = folderArg instanceof vscode.Uri ? folderArg : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: experiments are files in the workspace.');
    return undefined;
  }
  const template = opts.template
    ? TEMPLATES.find((t) => t.id === opts.template)
    : (
        await vscode.window.showQuickPick(
          TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, t })),
          {
            placeHolder: 'Choose a template for the new experiment',
            matchOnDetail: true,
          },
        )
      )?.t;
  if (!template) return undefined;

  const name =
    opts.name ??
    (await vscode.window.showInputBox({
      prompt: `File name (${EXPERIMENT_SUFFIX} is added)`,
      value: template.defaultName,
      validateInput: async (v) => {
        if (!NAME_RE.test(v)) return 'Letters, digits, dot, dash and underscore; start with a letter or digit.';
        return (await exists(vscode.Uri.joinPath(folder, v + EXPERIMENT_SUFFIX))) ? 'A file with this name exists.' : undefined;
      },
    }));
  if (!name) return undefined;
  if (!NAME_RE.test(name)) throw new Error(`Invalid experiment name "${name}".`);
  const uri = vscode.Uri.joinPath(folder, name + EXPERIMENT_SUFFIX);
  if (await exists(uri)) {
    void vscode.window.showErrorMessage(`${name}${EXPERIMENT_SUFFIX} already exists.`);
    return undefined;
  }
  for (const [file, experiment] of Object.entries(template.companions ?? {})) {
    const companion = vscode.Uri.joinPath(folder, file);
    if (!(await exists(companion))) await vscode.workspace.fs.writeFile(companion, Buffer.from(renderExperiment(undefined, experiment)));
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(renderExperiment(name, template.experiment)));
  if (!opts.noOpen) await vscode.window.showTextDocument(uri);
  return uri;
}
