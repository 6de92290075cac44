/**
 * Identifiers shared by package.json `contributes` and the code: command ids, view ids and context
 * keys. Keep in sync with package.json (an extension-host test checks that every id here is
 * contributed and registered).
 */

/** Command ids, all in the `Transfer Lab` category. */
export const Commands = {
  newExperiment: 'transferLab.newExperiment',
  runExperiment: 'transferLab.runExperiment',
  stopRun: 'transferLab.stopRun',
  openPanel: 'transferLab.openPanel',
  validateExperiment: 'transferLab.validateExperiment',
  openRunFolder: 'transferLab.openRunFolder',
  openRunSummary: 'transferLab.openRunSummary',
  compareRuns: 'transferLab.compareRuns',
  renameRun: 'transferLab.renameRun',
  editRunTags: 'transferLab.editRunTags',
  editRunNotes: 'transferLab.editRunNotes',
  exportModel: 'transferLab.exportModel',
  deleteRun: 'transferLab.deleteRun',
  showLog: 'transferLab.showLog',
  refresh: 'transferLab.refresh',
  openExperiment: 'transferLab.openExperiment',
  recommendStrategy: 'transferLab.recommendStrategy',
  sweepCutLayers: 'transferLab.sweepCutLayers',
  compareFilters: 'transferLab.compareFilters',
  clearFeatureCache: 'transferLab.clearFeatureCache',
  classifyWithRun: 'transferLab.classifyWithRun',
} as const;

/** Id of the Experiments tree view. */
export const EXPERIMENTS_VIEW = 'transferLab.experiments';

/** Context keys used in `when` clauses. */
export const ContextKeys = {
  /** Number of runs this window is training. */
  runningCount: 'transferLab.runningCount',
  /** The active editor's experiment has a run in progress. */
  editorRunning: 'transferLab.editorRunning',
  /** New Experiment wrote a file in this window (completes the walkthrough's first step; never set when it failed). */
  experimentCreated: 'transferLab.experimentCreated',
} as const;

/** Glob of experiment files. */
export const EXPERIMENT_GLOB = '**/*.transfer.json';

/** Suffix of experiment file names. */
export const EXPERIMENT_SUFFIX = '.transfer.json';
