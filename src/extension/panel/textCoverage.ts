/**
 * The vocabulary coverage a text experiment's panel shows on its embedding row: the vectors and the
 * documents are read once per setting (`base` and `data` of the file) in the extension host, after
 * the check and without holding it up; a change of those settings reads them again, a change of
 * anything else (rates, stages, freezing) keeps the report.
 */
import type { ResolvedExperiment } from '../../core/experiment/types.js';
import { textReport } from '../../core/text/coverage.js';
import type { ExperimentSnapshot } from './view/experimentView.js';

type Result = NonNullable<ExperimentSnapshot['coverage']>;

/** The coverage of one panel's experiment, read in the background. */
export class TextCoverage {
  private key: string | undefined;
  private result: Result | undefined;
  private pending: Promise<void> | undefined;

  /** @param changed called when a report arrives for the current settings (the panel posts its view again). */
  constructor(private readonly changed: () => void) {}

  /**
   * The report for `exp`'s settings: undefined while it is read (reading starts on the first call
   * with new settings) and for bases that are not `wordVectors`.
   */
  of(exp: ResolvedExperiment): Result | undefined {
    if (exp.base.kind !== 'wordVectors') return undefined;
    const key = JSON.stringify([exp.base, exp.data, exp.training.seed]);
    if (key === this.key) return this.result;
    this.key = key;
    this.result = undefined;
    this.pending = textReport(exp).then(
      (r) => this.arrive(key, r ?? { error: 'not a text base' }),
      (e: unknown) => this.arrive(key, { error: e instanceof Error ? e.message : String(e) }),
    );
    return undefined;
  }

  /** Resolves when the report being read (if any) has arrived. */
  async ready(): Promise<void> {
    await this.pending;
  }

  private arrive(key: string, result: Result): void {
    if (key !== this.key) return; // the settings changed meanwhile
    this.result = result;
    this.changed();
  }
}
