/**
 * UI end-to-end of "what the model got wrong" in the real VS Code (code-server + Chromium, the packaged
 * .vsix): a real run on 16 photos (the fixture workspace's `photos/`, ants and bees) trained from the
 * palette; the panel shows its confusion matrix (counts, then row-normalised), the per-class table and
 * the gallery of misclassified photos whose thumbnails load from the data folder (the webview's
 * resource roots); clicking one opens the photo. Dark and light themes, the panel beside the JSON
 * (about half the window). Screenshots: test-results/e2e/evaluation-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvaluationFile } from '../../src/core/runs/artifacts.js';
import {
  closePanelWorkbench,
  env,
  openFile,
  openPanelWorkbench,
  panel,
  runCommand,
  setTheme,
  shot,
  summaries,
  until,
  type Workbench,
  panelShot,
  clearNotifications,
} from './workbench.js';

const FILE = 'eval-photos.transfer.json';
const EXPERIMENT = 'eval-photos';

/** Scrolls the panel so that `selector` is just below its sticky header, then takes a screenshot. */
async function shotOf(w: Workbench, selector: string, name: string): Promise<void> {
  await clearNotifications(w.page);
  await panelShot(w.page, selector, name);
}

suite('evaluation views of the experiment panel (webview in code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  let evaluation: EvaluationFile;

  suiteSetup(async () => {
    w = await openPanelWorkbench();
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    fs.rmSync(path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT), { recursive: true, force: true });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `evaluation-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('a photo run shows its confusion matrix, per-class table and the misclassified photos as thumbnails', async () => {
    await openFile(w.page, FILE);
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    const run = await until(() => summaries(EXPERIMENT).find((s) => s.status === 'completed'), 180_000, 'a completed run of eval-photos');
    evaluation = JSON.parse(
      fs.readFileSync(path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT, run.runId, 'evaluation.json'), 'utf8'),
    ) as EvaluationFile;
    assert.ok(evaluation.mistakes.length > 0, 'the fixture run should get some photos wrong');
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator('#evaluation:not([hidden]) #confusion-matrix').waitFor({ timeout: 90_000 });
    assert.equal(await p.locator('#evaluation').getAttribute('data-run-id'), run.runId);
    // Counts: the cells are the file's matrix, row by row.
    const cells = await p.locator('#confusion-matrix tbody td').allInnerTexts();
    assert.deepStrictEqual(cells.map(Number), evaluation.confusion.flat());
    assert.match(
      await p.locator('#evaluation-summary').innerText(),
      new RegExp(`validation split · best checkpoint · accuracy \\d+\\.\\d% on ${evaluation.examples}`),
    );
    const rows = await p.locator('#per-class-table tbody tr').allInnerTexts();
    assert.deepStrictEqual(
      rows.map((r) => r.split('\t')[0]!.trim()),
      ['ants', 'bees', 'macro avg', 'weighted avg'],
    );
    // The gallery: one tile per mistake, each thumbnail decoded (served from the data folder).
    await until(
      () =>
        p
          .locator('#mistakes-gallery img')
          .evaluateAll(
            (els: HTMLElement[]) => els.length > 0 && els.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 64),
          ),
      30_000,
      'thumbnails loaded',
    );
    assert.equal(await p.locator('#mistakes-gallery button.mistake').count(), evaluation.mistakes.length);
    await shotOf(w, '#evaluation', 'evaluation-01-dark-counts');
    // Row-normalised: percentages, each row summing to 100 %.
    await p.locator('#evaluation .toolbar button').filter({ hasText: 'Row-normalised' }).click();
    const pcts = (await p.locator('#confusion-matrix tbody td').allInnerTexts()).map((t) => parseFloat(t));
    const k = evaluation.classNames.length;
    for (let t = 0; t < k; t++) {
      const sum = pcts.slice(t * k, t * k + k).reduce((a, b) => a + b, 0);
      if (evaluation.perClass[t]!.support > 0) assert.ok(Math.abs(sum - 100) < 0.2, `row ${t} sums to ${sum}`);
    }
    await shotOf(w, '#evaluation', 'evaluation-02-dark-normalised');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shotOf(w, '#mistakes-gallery', 'evaluation-03-light-gallery');
    const width = await p.locator('#evaluation').evaluate((el) => Math.round(el.getBoundingClientRect().width));
    console.log(`[evaluation] panel section width ${width} px`);
    assert.equal(await p.locator('body').getAttribute('data-csp-violations'), '0');
  });

  test('clicking a misclassified photo opens it', async () => {
    const first = evaluation.mistakes[0]!;
    await panel(w.page).locator('#mistakes-gallery button.mistake').first().click();
    const tab = w.page.locator('.tabs-container .tab').filter({ hasText: path.basename(first.path!) });
    await tab.first().waitFor({ timeout: 20_000 });
    await shot(w.page, 'evaluation-04-opened-photo');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark').catch(() => undefined);
  });
});
