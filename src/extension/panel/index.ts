/**
 * Entry point of the experiment panel for the rest of the extension: `registerExperimentPanels`
 * (called once by `activate`: panels, serializer, event wiring) and `openExperimentPanel` (the
 * "Open Experiment Panel" command, tree clicks on runs, the editor title button).
 */
import * as vscode from 'vscode';
import type { PanelServices } from './experimentPanel.js';
import { ExperimentPanels, type PanelTarget } from './panelManager.js';

export type { PanelTarget } from './panelManager.js';

let panels: ExperimentPanels | undefined;

/** Creates the panel manager and registers the serializer; dispose to close every panel. */
export function registerExperimentPanels(services: PanelServices): vscode.Disposable {
  panels?.dispose();
  const mine = new ExperimentPanels(services);
  panels = mine;
  return new vscode.Disposable(() => {
    mine.dispose();
    if (panels === mine) panels = undefined;
  });
}

/** The panel manager (undefined before activation); for tests. */
export function experimentPanels(): ExperimentPanels | undefined {
  return panels;
}

/** The experiment file of the focused experiment panel, if one has focus. */
export function focusedPanelExperiment(): vscode.Uri | undefined {
  return panels?.focusedExperiment();
}

/** Opens (or reveals) the panel for an experiment / run. */
export async function openExperimentPanel(target: PanelTarget): Promise<void> {
  if (!panels) throw new Error('the experiment panel is not ready (the extension is still activating)');
  await panels.open(target);
}
