/**
 * The document side of one experiment panel: checks the experiment file's text (the editor buffer
 * when open) whenever it changes, builds the panel's experiment view from the last text that passed
 * the schema, and turns the page's actions into edits of the file — one `WorkspaceEdit` each, comments
 * and layout kept, refused with a message while the file has errors. The panel keeps no settings of
 * its own: the file's change comes back (`onDocumentChanged`) as a new view, the same path as a
 * keystroke in the editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PointerEdit } from '../../core/experiment/edits.js';
import { checkExperimentText } from '../../core/experiment/load.js';
import { experimentNameFromFile } from '../../core/experiment/resolve.js';
import type { RunSummary } from '../../core/runs/events.js';
import type { ExperimentView } from '../../protocol/webview.js';
import { applyJsonEdits, experimentDocument, replaceText, revealPointer } from '../workspace/experimentDocument.js';
import { EditRefused, addLayerGroup, type EditContext } from './edits/experimentEdits.js';
import { Batcher } from './metrics/batcher.js';
import { baseLayerNames, experimentView, type ExperimentSnapshot } from './view/experimentView.js';
import { estimateStepsPerEpoch } from './view/lrPreview.js';
import { TextCoverage } from './textCoverage.js';

/** What document editing needs from its panel. */
export interface DocumentEditingHost {
  /** Posts the experiment view when the page is there to receive it. */
  postExperiment(view: ExperimentView): void;
  /** The runs root of the experiment's workspace folder (a `run` base is looked up there). */
  runsRoot(): string;
  /** Summaries of the experiment's runs (the rate preview's steps per epoch). */
  runSummaries(): RunSummary[];
  /** After each check: the panel title, and whether the experiment's name changed (its runs are others then). */
  checked(view: ExperimentView, nameChanged: boolean): void;
}

/** The experiment file of one panel: checked text, view, edits. */
export class DocumentEditing implements vscode.Disposable {
  private readonly file: string;
  /** The last text that passed the schema, with what it resolves to. */
  private snapshot: ExperimentSnapshot | undefined;
  private current: ExperimentView | undefined;
  private checking: Promise<void> | undefined;
  private checkSeq = 0;
  /** The file's text at the last check (valid or not). */
  private lastText: string | undefined;
  private previewSteps: number | undefined;
  private readonly recheck = new Batcher(() => void this.refresh(), 50);
  /** A text base's vocabulary coverage, read after the check; its arrival posts the view again. */
  private readonly coverage = new TextCoverage(() => {
    if (!this.current || !this.snapshot) return;
    const coverage = this.coverage.of(this.snapshot.experiment);
    this.snapshot = { ...this.snapshot, ...(coverage ? { coverage } : {}) };
    this.current = this.buildView(this.current.problems, this.current.valid);
    this.host.postExperiment(this.current);
  });

  constructor(
    private readonly uri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: DocumentEditingHost,
    previewSteps?: number,
  ) {
    this.file = uri.fsPath;
    this.previewSteps = previewSteps;
  }

  /** The current view (undefined before the first check ends). */
  get view(): ExperimentView | undefined {
    return this.current;
  }

  /** The file's text at the last check. */
  get text(): string | undefined {
    return this.lastText;
  }

  /** Layer names of the last valid text's base (for the cut-layer edit). */
  layerNames(): string[] {
    return this.snapshot?.layers?.map((l) => l.name) ?? [];
  }

  /** Names of the layer groups of the last valid text. */
  layerGroupNames(): string[] {
    return (this.snapshot?.experiment.learningRate.layerGroups ?? []).map((g) => g.name);
  }

  /** The experiment's name: from the last valid text, else from the file name. */
  experimentName(): string {
    return this.snapshot?.experiment.name ?? experimentNameFromFile(this.file);
  }

  /** Resolves when the running check (if any) has ended. */
  async ready(): Promise<void> {
    await this.checking;
  }

  /** The file or its buffer changed: re-check it soon (bursts of keystrokes coalesce). */
  onDocumentChanged(): void {
    this.recheck.request();
  }

  /** Re-checks the current text and posts the new view. */
  refresh(): Promise<void> {
    const run = (async () => {
      const seq = ++this.checkSeq;
      let text: string;
      try {
        text = (await experimentDocument(this.uri)).getText();
      } catch (e) {
        const message = `cannot read the experiment file: ${(e as Error).message}`;
        this.log.warn(`Panel: ${this.file}: ${message}`);
        this.current = this.buildView([{ severity: 'error', message, path: '', line: 1 }], false);
        this.host.postExperiment(this.current);
        return;
      }
      const checked = await checkExperimentText(text, this.file, { runsDir: this.host.runsRoot() });
      if (seq !== this.checkSeq) return; // a newer check is running
      this.lastText = text;
      if (checked.experiment) {
        const coverage = this.coverage.of(checked.experiment);
        this.snapshot = { text, experiment: checked.experiment, ...(checked.layers ? { layers: checked.layers } : {}), ...(coverage ? { coverage } : {}) };
      }
      const nameChanged = this.current?.name !== undefined && this.snapshot?.experiment.name !== this.current.name;
      this.current = this.buildView(checked.problems, !!checked.experiment);
      this.host.postExperiment(this.current);
      this.host.checked(this.current, nameChanged);
    })();
    this.checking = run;
    return run;
  }

  private buildView(problems: ExperimentView['problems'], valid: boolean): ExperimentView {
    const summaries = this.host.runSummaries();
    return experimentView(this.file, problems, this.snapshot, valid, (exp) => estimateStepsPerEpoch(exp, summaries, this.previewSteps));
  }

  /** The page set the steps per epoch of the rate preview (null: estimate them again). */
  setPreviewSteps(steps: number | undefined): void {
    this.previewSteps = steps;
    if (!this.current) return;
    this.current = this.buildView(this.current.problems, this.current.valid);
    this.host.postExperiment(this.current);
  }

  /** The edit context of the current text, or a message why the panel cannot edit it now. */
  private async editContext(): Promise<{ doc: vscode.TextDocument; ctx: EditContext } | string> {
    const doc = await experimentDocument(this.uri);
    if (this.snapshot?.text !== doc.getText()) await this.refresh();
    const snap = this.snapshot;
    if (!snap || snap.text !== doc.getText() || !this.current?.valid)
      return `${path.basename(this.file)} has errors: fix them in the file first (see Problems).`;
    return { doc, ctx: { text: snap.text, experiment: snap.experiment, baseLayers: baseLayerNames(snap.experiment, snap.layers) } };
  }

  /**
   * Applies one panel action to the file; tells the user when it cannot.
   * @param what the action in words ("freeze conv1"), for the messages.
   * @param change the new text from the current one; throws {@link EditRefused} to refuse with a reason.
   */
  async edit(what: string, change: (ctx: EditContext) => string): Promise<void> {
    const got = await this.editContext();
    if (typeof got === 'string') {
      void vscode.window.showWarningMessage(`Transfer Lab: ${got}`);
      return;
    }
    let after: string;
    try {
      after = change(got.ctx);
    } catch (e) {
      if (e instanceof EditRefused) {
        void vscode.window.showWarningMessage(`Transfer Lab: cannot ${what}: ${e.message}`);
        return;
      }
      throw e;
    }
    if (!(await replaceText(got.doc, got.ctx.text, after))) {
      void vscode.window.showWarningMessage(`Transfer Lab: could not ${what}: the file changed meanwhile; try again.`);
    }
    this.recheck.flushNow();
  }

  /**
   * Applies JSON-pointer edits (an analysis's advice) as one edit of the file.
   * @param what the edit in words, for the message when the file changed meanwhile.
   */
  async applyEdits(edits: readonly PointerEdit[], what: string): Promise<void> {
    if (!(await applyJsonEdits(this.uri, edits))) {
      void vscode.window.showWarningMessage(`Transfer Lab: could not apply ${what}: the file changed meanwhile; try again.`);
    }
    this.recheck.flushNow();
  }

  /** Asks for the name and rate multiplier of a new layer group holding `layer`, then adds it to the file. */
  async newLayerGroup(layer: string): Promise<void> {
    const taken = new Set(this.layerGroupNames());
    const name = await vscode.window.showInputBox({
      title: `New layer group for ${layer}`,
      prompt: 'Name of the layer group (shown in the rate chart)',
      value: taken.has('early') ? `group${taken.size + 1}` : 'early',
      validateInput: (v) =>
        !v.trim() ? 'Give the group a name' : taken.has(v.trim()) || v.trim() === 'head' || v.trim() === 'base' ? `"${v.trim()}" is taken` : undefined,
    });
    if (!name) return;
    const mult = await vscode.window.showInputBox({
      title: `Rate multiplier of "${name.trim()}"`,
      prompt: "The group's rate is the scheduled rate × this multiplier (0 stops it learning)",
      value: '0.1',
      validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && v.trim() !== '' ? undefined : 'A number ≥ 0'),
    });
    if (mult === undefined) return;
    await this.edit(`add the layer group ${name.trim()}`, (ctx) => addLayerGroup(ctx, name.trim(), Number(mult), layer));
  }

  /** Shows the file in an editor, the value at a JSON pointer selected when given. */
  async reveal(pointer?: string): Promise<void> {
    return revealPointer(await experimentDocument(this.uri), pointer);
  }

  /** What the header says about the kind of transfer, once the file has been checked (for tests and the API). */
  async transferNow(): Promise<Pick<NonNullable<ExperimentView['detail']>, 'kind' | 'method' | 'strategy'> | undefined> {
    await this.checking;
    const d = this.current?.detail;
    return d ? { kind: d.kind, ...(d.method ? { method: d.method } : {}), strategy: d.strategy } : undefined;
  }

  /** The layer table as the panel shows it now, once the running check and coverage reading have ended (extension-host tests). */
  async layersNow(): Promise<NonNullable<ExperimentView['detail']>['layers'] | undefined> {
    await this.checking;
    await this.coverage.ready();
    return this.current?.detail?.layers;
  }

  dispose(): void {
    this.recheck.dispose();
  }
}
