/**
 * What `activate` returns: handles for the extension-host tests (and other extensions) to observe
 * runs and the tree. Not a stable public API.
 */
import type { ExperimentDiagnostics } from './diagnostics/experimentDiagnostics.js';
import type { RunManager } from './runs/runManager.js';
import type { ExperimentsTree } from './tree/experimentsTree.js';

/** The extension's exports. */
export interface TransferLabApi {
  runs: RunManager;
  tree: ExperimentsTree;
  diagnostics: ExperimentDiagnostics;
  /** Wall time of `activate`, milliseconds. */
  activationMs: number;
}
