/**
 * Process exit codes shared by the worker and the CLI: 0 ok, 1 run failed or diverged, 2 bad input
 * (experiment file, data, model).
 */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Error classes that mean "the user's input is wrong", by `name`. */
const BAD_INPUT = new Set(['ExperimentError', 'DataError', 'ModelError', 'KerasFileError', 'TopologyError', 'DownloadError']);

/** 2 for errors about the user's input, else 1. */
export function exitCodeOf(e: unknown): 1 | 2 {
  return e instanceof Error && BAD_INPUT.has(e.name) ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
}
