/** Transfer Lab: Validate Experiment — schema and semantic checks of one file, reported in a message and the log. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatProblem } from '../../core/experiment/problem.js';
import { allProblems, type CheckResult } from '../diagnostics/checkExperiment.js';
import type { CommandContext } from './context.js';
import { experimentTarget } from './targets.js';

/** Checks the experiment (open document text, saved or not) and returns every problem found. */
export async function validateExperiment(ctx: CommandContext, arg?: unknown): Promise<CheckResult | undefined> {
  const uri = await experimentTarget(arg, 'Pick an experiment to validate');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = await ctx.diagnostics.check(doc);
  if (!result) return undefined;
  const problems = allProblems(result);
  const name = path.basename(uri.fsPath);
  for (const p of problems) ctx.log.info(formatProblem(vscode.workspace.asRelativePath(uri), p));
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(`${name} is valid.`);
  } else {
    const errors = problems.filter((p) => p.severity === 'error').length;
    void vscode.window
      .showWarningMessage(`${name}: ${errors} error(s), ${problems.length - errors} warning(s). First: ${problems[0].message}`, 'Show Problems')
      .then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
  }
  return result;
}
