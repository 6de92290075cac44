/**
 * UI end-to-end of "Classify with Run…" in the real VS Code (code-server + Chromium, the packaged
 * .vsix): a real run on the fixture's 16 ant and bee photos trained from the palette; then, in the
 * Explorer, right-click on the `photos` folder → "Classify with Run…" → pick the run in the quick pick →
 * the Predictions page shows one row per photo with its thumbnail loaded (served through the resource
 * roots) and the classes and percentages `transfer-lab predict --json` prints for the same photos;
 * clicking a row opens the photo. Screenshots dark, light, high contrast, and narrow (~500 and ~330 px):
 * test-results/e2e/classify-*.png.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PredictionResult } from '../../src/core/prediction/predict.js';
import { closeWorkbench, env, openFile, openWorkbench, panel, pick, runCommand, setTheme, shot, summaries, until, type Workbench } from './workbench.js';

const EXPERIMENT = 'eval-photos';
const REPO = path.resolve(__dirname, '../..');

suite('Classify with Run… from the Explorer (code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  let cli: PredictionResult;

  suiteSetup(async () => {
    w = await openWorkbench();
    await runCommand(w.page, 'Hide Secondary Side Bar').catch(() => undefined);
  });
  suiteTeardown(async () => {
    if (w) await runCommand(w.page, 'View: Close All Editors').catch(() => undefined);
    await closeWorkbench(w);
    fs.rmSync(path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT), { recursive: true, force: true });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `classify-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  /** Width of the Predictions page, CSS pixels. */
  const pageWidth = () =>
    panel(w.page)
      .locator('body')
      .evaluate((b) => Math.round(b.getBoundingClientRect().width));

  test('right-click on the photos folder → Classify with Run… → pick the run → the table of predictions', async () => {
    await openFile(w.page, `${EXPERIMENT}.transfer.json`);
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    const run = await until(() => summaries(EXPERIMENT).find((s) => s.status === 'completed'), 180_000, 'a completed run of eval-photos');
    const runDir = path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT, run.runId);
    const photos = path.join(env.workspace, 'photos');
    cli = JSON.parse(
      execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'predict', runDir, photos, '--json'], { encoding: 'utf8' }),
    ) as PredictionResult;

    await runCommand(w.page, 'View: Show Explorer');
    const folder = w.page
      .locator('.part.sidebar .monaco-list-row')
      .filter({ has: w.page.locator('.label-name').filter({ hasText: /^photos$/ }) })
      .first();
    await folder.waitFor({ timeout: 20_000 });
    const item = w.page.locator('.monaco-menu .action-label').filter({ hasText: 'Classify with Run…' }).first();
    await folder.click({ button: 'right' });
    await item.waitFor({ timeout: 10_000 });
    await shot(w.page, 'classify-01-explorer-menu');
    await item.click();
    const runItem = w.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: EXPERIMENT }).first();
    await runItem.waitFor({ timeout: 20_000 });
    assert.match(await runItem.innerText(), new RegExp(`run ${run.runId} · best val \\d+\\.\\d%`));
    await shot(w.page, 'classify-02-pick-run');
    await pick(w.page, run.runId);

    const p = panel(w.page);
    await p.locator('#predictions tbody tr').first().waitFor({ timeout: 120_000 });
    const rows = p.locator('#predictions tbody tr');
    assert.strictEqual(await rows.count(), 16);
    // Each row: the file, then the classes with the percentages `predict --json` gives.
    const cells = await rows.evaluateAll((trs: HTMLElement[]) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('.guess')).map((td) => (td as HTMLElement).innerText.trim())),
    );
    cells.forEach((row, i) => {
      const expected = cli.predictions[i]!.top.map((t) => `${t.className} ${(t.probability * 100).toFixed(1)}%`);
      assert.deepStrictEqual(row, expected, `row ${i} (${cli.predictions[i]!.file})`);
    });
    await until(
      () =>
        p
          .locator('#predictions img')
          .evaluateAll(
            (els: HTMLElement[]) => els.length === 16 && els.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
          ),
      30_000,
      'thumbnails loaded',
    );
    assert.match(await p.locator('#prediction-summary').innerText(), /16 files classified: ants \d+ · bees \d+/);
    assert.strictEqual(await p.locator('body').getAttribute('data-csp-violations'), '0');
    await runCommand(w.page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await w.page.keyboard.press('Escape');
    console.log(`      [classify] page width ${await pageWidth()} px`);
    await shot(w.page, 'classify-03-dark');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shot(w.page, 'classify-04-light');
    await setTheme(w.page, 'Dark High Contrast', 'vscode-high-contrast');
    await shot(w.page, 'classify-05-high-contrast');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
  });

  test('narrow: the page alone at ~500 and ~330 px; clicking a row opens the photo', async () => {
    await runCommand(w.page, 'View: Close Editors in Other Groups').catch(() => undefined);
    await runCommand(w.page, 'Close Primary Side Bar').catch(() => undefined);
    await w.page.keyboard.press('Escape');
    for (const [viewport, name] of [
      [560, 'classify-06-dark-500'],
      [390, 'classify-07-dark-330'],
    ] as const) {
      await w.page.setViewportSize({ width: viewport, height: 900 });
      await w.page.waitForTimeout(800);
      const width = await pageWidth();
      console.log(`      [classify] viewport ${viewport} → page width ${width} px`);
      const overflow = await panel(w.page)
        .locator('html')
        .evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (overflow ${overflow} px)`);
      await shot(w.page, name);
    }
    await w.page.setViewportSize({ width: 1400, height: 900 });
    await w.page.waitForTimeout(500);
    await panel(w.page).locator('#predictions tbody tr').nth(2).click();
    const name = path.basename(cli.predictions[2]!.file);
    await w.page.locator('.tabs-container .tab').filter({ hasText: name }).first().waitFor({ timeout: 20_000 });
    await shot(w.page, 'classify-08-opened-photo');
  });

  test('the panel’s evaluation view: Classify files… → a photo picked in the file dialog → the page shows it', async () => {
    // The photo's Image Preview is a webview that takes the keyboard focus when it settles, which closes
    // a command palette opened meanwhile (the full suite saw it): close the editors with their tabs'
    // close buttons instead of the palette.
    const tabs = w.page.locator('.part.editor .tabs-container .tab');
    for (let i = 0; i < 10 && (await tabs.count()) > 0; i++) {
      await tabs.first().locator('.tab-actions .action-label').first().click();
      await w.page.waitForTimeout(300);
    }
    assert.strictEqual(await tabs.count(), 0, 'every editor closed');
    await openFile(w.page, `${EXPERIMENT}.transfer.json`);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const button = panel(w.page).locator('#evaluation:not([hidden]) #classify-files');
    await button.waitFor({ timeout: 90_000 });
    await panel(w.page)
      .locator('#evaluation')
      .evaluate((el) => el.scrollIntoView());
    await shot(w.page, 'classify-09-evaluation-button');
    await button.click();
    const input = w.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    const photo = cli.predictions[5]!.file;
    // The file dialog writes its starting folder into the input once it has listed it (asynchronously):
    // a path typed before that is overwritten. Type it once the folder is there, and again if replaced.
    for (let i = 0; ; i++) {
      if (i === 0) {
        for (let t = 0; t < 40 && !(await input.inputValue()); t++) await w.page.waitForTimeout(250);
        await w.page.waitForTimeout(500);
      }
      await input.fill(photo);
      await w.page.waitForTimeout(500);
      if ((await input.inputValue()) === photo || i >= 2) break;
      console.log('      (the file dialog replaced the typed path with its folder; typing it again)');
    }
    assert.strictEqual(await input.inputValue(), photo, 'the photo path is in the file dialog');
    await w.page.keyboard.press('Enter');
    // The result page opens beside the panel with the photo's focus; alone, it is the only webview shown.
    await w.page.locator('.tabs-container .tab.active').filter({ hasText: 'Predictions · eval-photos' }).first().waitFor({ timeout: 120_000 });
    await runCommand(w.page, 'View: Close Editors in Other Groups');
    const rows = panel(w.page).locator('#predictions tbody tr');
    await until(async () => (await rows.count()) === 1, 60_000, 'one row');
    const cells = await rows.evaluateAll((trs: HTMLElement[]) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('.guess')).map((g) => (g as HTMLElement).innerText.trim())),
    );
    assert.deepStrictEqual(
      cells[0],
      cli.predictions[5]!.top.map((t) => `${t.className} ${(t.probability * 100).toFixed(1)}%`),
    );
    // A chosen file's thumbnail loads too (VS Code serves nothing from a file root: its folder is the root).
    await until(
      () =>
        panel(w.page)
          .locator('#predictions img')
          .evaluateAll((els: HTMLElement[]) => els.length === 1 && (els[0] as HTMLImageElement).complete && (els[0] as HTMLImageElement).naturalWidth > 0),
      30_000,
      'the thumbnail of the chosen photo',
    );
    await shot(w.page, 'classify-10-one-photo');
  });
});
