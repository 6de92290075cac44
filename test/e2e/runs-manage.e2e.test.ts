/**
 * UI end-to-end of runs people can manage, in the real VS Code (code-server + Chromium, the packaged
 * .vsix): three real runs (the CLI, 300 MNIST digits, 3 epochs; two experiments that differ in the
 * learning rate and the batch size, one of them with two seeds). A run is renamed and tagged from the
 * Experiments view's context menu (input boxes) and the open panel shows the name and tag; the run
 * table sorts by best validation accuracy (header click, then Enter on the header button: aria-sort
 * and row order checked against the summaries) and filters by tag; Compare Runs… on two runs of the
 * two experiments (tree multi-selection) opens the panel's comparison with both runs overlaid (legend
 * names) and only the settings that differ, and the learning rate against best validation accuracy.
 * Screenshots dark, light and at ~330 px: test-results/e2e/manage-*.png.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunSummary } from '../../src/core/runs/events.js';
import {
  answer,
  closePanelWorkbench,
  env,
  openWorkbench,
  panel,
  runCommand,
  runRow,
  setTheme,
  shot,
  showSidebar,
  summaries,
  treeRows,
  until,
  widenSidebar,
  type Workbench,
  panelShot,
} from './workbench.js';

const A = 'manage-a';
const B = 'manage-b';

const experiment = (name: string, rate: number, batchSize: number) => ({
  name,
  description: 'Runs people can manage: 300 real MNIST digits, 3 epochs.',
  base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [28, 28, 1] },
  data: { train: { kind: 'mnist', perClass: 30 }, split: { validation: 0.2, test: 0 } },
  transfer: { strategy: 'scratch' },
  optimizer: { type: 'adam' },
  learningRate: { base: rate },
  training: { epochs: 3, batchSize, seed: 1 },
});

/** Runs an experiment of the test workspace with the repository's CLI (the same worker and run store). */
function cliRun(file: string, seed: number): RunSummary {
  const cli = path.resolve('dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'run', file, '--json', '--seed', String(seed)], { cwd: env.workspace, encoding: 'utf8', timeout: 300_000 });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as RunSummary;
}

/** Opens a run row's context menu and clicks `label` (a menu closes when the tree re-renders under it: tried again). */
async function contextMenu(page: Page, row: () => ReturnType<typeof runRow>, label: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-label').filter({ hasText: label }).first();
  for (let i = 1; ; i++) {
    try {
      await page.keyboard.press('Escape');
      await row().click({ button: 'right' });
      await item.waitFor({ timeout: 10_000 });
      // A mouse click on a menu item is sometimes lost in code-server (see ui.e2e's Delete Run): the
      // second and third attempts choose the item with the keyboard.
      if (i === 1) await item.click();
      else {
        await item.hover();
        await page.keyboard.press('Enter');
      }
      await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch (e) {
      console.log(`      ${label} attempt ${i}: ${(e as Error).message.split('\n')[0]}`);
      if (i >= 3) throw e;
    }
  }
}

/** Scrolls the panel so that `selector` is just below its sticky header, then takes a screenshot. */
async function shotOf(w: Workbench, selector: string, name: string): Promise<void> {
  await w.page.keyboard.press('Escape');
  await panelShot(w.page, selector, name);
}

suite('runs people can manage: names, tags, sorting, Compare Runs… (code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  const runs: Record<string, RunSummary> = {};

  suiteSetup(async () => {
    fs.writeFileSync(path.join(env.workspace, `${A}.transfer.json`), JSON.stringify(experiment(A, 0.002, 32), null, 2));
    fs.writeFileSync(path.join(env.workspace, `${B}.transfer.json`), JSON.stringify(experiment(B, 0.0002, 16), null, 2));
    runs.a1 = cliRun(`${A}.transfer.json`, 1);
    runs.a2 = cliRun(`${A}.transfer.json`, 2);
    runs.b = cliRun(`${B}.transfer.json`, 1);
    for (const [k, s] of Object.entries(runs)) console.log(`      ${k}: ${s.experiment} ${s.runId} best val acc ${s.best?.valAccuracy}`);
    w = await openWorkbench();
    await runCommand(w.page, 'Hide Secondary Side Bar').catch(() => undefined);
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    for (const e of [A, B]) {
      fs.rmSync(path.join(env.workspace, '.transfer-lab', 'runs', e), { recursive: true, force: true });
      fs.rmSync(path.join(env.workspace, `${e}.transfer.json`), { force: true });
    }
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `manage-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('a run renamed and tagged from the tree shows its name and tag in the open panel', async () => {
    await showSidebar(w.page);
    await widenSidebar(w.page, 420);
    await treeRows(w.page).filter({ hasText: A }).first().waitFor({ timeout: 30_000 });
    // Open the panel from the run's row, then rename it while the panel is open.
    const rowOf = (id: string) => () => w.page.locator(`.part.sidebar .monaco-list-row[aria-label*="${id} of ${A}, completed"]`).first();
    await rowOf(runs.a1.runId)().click();
    const p = panel(w.page);
    await p.locator(`#run-table tr[data-run="${runs.a1.runId}"]`).waitFor({ timeout: 60_000 });
    await contextMenu(w.page, rowOf(runs.a1.runId), 'Rename Run…');
    await answer(w.page, 'seed one');
    await p.locator(`#run-table tr[data-run="${runs.a1.runId}"][data-name="seed one"]`).waitFor({ timeout: 20_000 });
    // The tree row now reads the name (its aria-label keeps the id).
    await w.page.locator(`.part.sidebar .monaco-list-row[aria-label*="seed one"]`).first().waitFor({ timeout: 20_000 });
    await contextMenu(w.page, rowOf(runs.a1.runId), 'Edit Run Tags…');
    await answer(w.page, 'baseline, digits');
    await until(
      async () => (await p.locator(`#run-table tr[data-run="${runs.a1.runId}"] .tag`).allInnerTexts()).join(',') === 'baseline,digits',
      20_000,
      'the tags in the panel',
    );
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(env.workspace, '.transfer-lab', 'runs', A, runs.a1.runId, 'meta.json'), 'utf8')), {
      name: 'seed one',
      tags: ['baseline', 'digits'],
    });
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shotOf(w, '#runs', 'manage-01-dark-renamed-tree-and-panel');
  });

  test('the run table sorts by best validation accuracy (click, then the keyboard) and filters by tag', async () => {
    const p = panel(w.page);
    // Notes from the panel's own button (the same input box as the tree's).
    await p.locator(`#run-table tr[data-run="${runs.a2.runId}"] button[data-edit="notes"]`).click();
    await answer(w.page, 'the second seed');
    await p.locator(`#run-table tr[data-run="${runs.a2.runId}"] .run-notes`).filter({ hasText: 'the second seed' }).waitFor({ timeout: 20_000 });
    const order = async () => p.locator('#run-table tbody tr[data-run]').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.run ?? ''));
    const byAcc = (dir: 1 | -1) =>
      summaries(A)
        .sort((x, y) => dir * ((x.best?.valAccuracy ?? 0) - (y.best?.valAccuracy ?? 0)) || (x.runId < y.runId ? 1 : -1))
        .map((s) => s.runId);
    const header = p.locator('#run-table thead th:has(button[data-sort="bestValAccuracy"])');
    await header.locator('button').click();
    assert.strictEqual(await header.getAttribute('aria-sort'), 'descending');
    assert.deepStrictEqual(await order(), byAcc(-1));
    // Keyboard: the header button has the focus after the click and re-rendering; Enter flips the order.
    await header.locator('button').focus();
    await w.page.keyboard.press('Enter');
    await until(async () => (await header.getAttribute('aria-sort')) === 'ascending', 5_000, 'ascending after Enter');
    assert.deepStrictEqual(await order(), byAcc(1));
    assert.strictEqual(await p.locator('#run-table thead th[aria-sort="ascending"], #run-table thead th[aria-sort="descending"]').count(), 1);
    await shotOf(w, '#runs', 'manage-02-dark-sorted');
    // Filter by tag: only the tagged run.
    await p.locator('#run-filter-tag').selectOption('baseline');
    assert.deepStrictEqual(await order(), [runs.a1.runId]);
    assert.match(await p.locator('#training-runs-caption').innerText(), /1 of 2 shown/);
    await p.locator('#run-filter-tag').selectOption('');
    assert.strictEqual((await order()).length, 2);
  });

  test('Compare Runs… on runs of two experiments opens the panel comparison: overlaid curves, settings that differ, a setting against accuracy', async () => {
    // Tree multi-selection: the renamed run of A, then Ctrl+click the run of B; Compare Runs… from the context menu.
    const rowA = () => w.page.locator(`.part.sidebar .monaco-list-row[aria-label*="${runs.a1.runId} of ${A}"]`).first();
    const rowB = () => w.page.locator(`.part.sidebar .monaco-list-row[aria-label*="${runs.b.runId} of ${B}"]`).first();
    await rowB().waitFor({ timeout: 20_000 });
    const item = w.page.locator('.monaco-menu .action-label').filter({ hasText: 'Compare Runs…' }).first();
    const p = panel(w.page);
    for (let i = 1; ; i++) {
      try {
        await w.page.keyboard.press('Escape');
        await rowA().click();
        await rowB().click({ modifiers: ['Control'] });
        await rowB().click({ button: 'right' });
        await item.waitFor({ timeout: 10_000 });
        // A mouse click on a menu item is sometimes lost in code-server (see ui.e2e's Delete Run): the
        // second and third attempts choose the item with the keyboard.
        if (i === 1) await item.click();
        else {
          await item.hover();
          await w.page.keyboard.press('Enter');
        }
        await p.locator('#comparison:not([hidden])[data-runs="2"]').waitFor({ timeout: 20_000 });
        break;
      } catch (e) {
        console.log(`      Compare Runs… attempt ${i}: ${(e as Error).message.split('\n')[0]}`);
        if (i >= 3) throw e;
      }
    }
    // No untitled Markdown document: the panel of A shows the comparison.
    assert.strictEqual(
      await w.page
        .locator('.tab')
        .filter({ hasText: /Untitled/ })
        .count(),
      0,
    );
    assert.match(await p.locator('#compare-caption').innerText(), /2 runs of 2 experiments \(manage-a, manage-b\)/);
    // The legend names the runs: the accuracy chart has one dataset per run, labelled.
    const legends = await p.locator('#compare-table thead th.run-col').allInnerTexts();
    assert.deepStrictEqual(legends, [
      'manage-a · seed one',
      `manage-b · ${runs.b.runId.replace(/^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2}).*/, '$1-$2-$3 $4:$5:$6')}`,
    ]);
    const settings = await p.locator('#compare-table tr[data-setting]').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.setting ?? ''));
    console.log(`      settings that differ: ${settings.join(', ')}`);
    for (const k of ['learningRate.base', 'name', 'training.batchSize']) assert.ok(settings.includes(k), `${k} missing from ${settings.join(', ')}`);
    for (const k of ['training.epochs', 'training.seed', 'optimizer.type']) assert.ok(!settings.includes(k), `${k} is the same in both runs`);
    // Each row of the table differs between the two runs.
    const rows = await p
      .locator('#compare-table tr[data-setting]')
      .evaluateAll((trs: HTMLElement[]) => trs.map((t) => Array.from(t.querySelectorAll('td'), (td) => td.textContent ?? '')));
    for (const r of rows) assert.notStrictEqual(r[0], r[1]);
    // The overlaid accuracy chart names both runs in its legend.
    assert.deepStrictEqual((await p.locator('#chart-compare-acc').getAttribute('data-series'))?.split('\n'), legends);
    // Setting against best validation accuracy: the learning rate on a numeric axis (0.002 vs 0.0002: a log axis).
    await p.locator('#compare-setting-select').selectOption('learningRate.base');
    assert.strictEqual(await p.locator('#compare-setting').getAttribute('data-axis'), 'logarithmic');
    await p.locator('#compare-setting-select').selectOption('name');
    assert.strictEqual(await p.locator('#compare-setting').getAttribute('data-axis'), 'category');
    await p.locator('#compare-setting-select').selectOption('learningRate.base');
    await shotOf(w, '#comparison', 'manage-03-dark-compare');
    await shotOf(w, '#compare-setting', 'manage-04-dark-compare-setting');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shotOf(w, '#comparison', 'manage-05-light-compare');
    await shotOf(w, '#runs', 'manage-06-light-runs');
    // ~330 px: the panel alone in a narrow window.
    await runCommand(w.page, 'Close Primary Side Bar').catch(() => undefined);
    await runCommand(w.page, 'View: Join All Editor Groups').catch(() => undefined);
    await w.page.setViewportSize({ width: 380, height: 900 });
    await w.page.waitForTimeout(1000);
    const width = await p.locator('body').evaluate((b) => b.clientWidth);
    console.log(`      panel width ${width} px`);
    await shotOf(w, '#comparison', 'manage-07-330px-light-compare');
    await shotOf(w, '#runs', 'manage-08-330px-light-runs');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shotOf(w, '#compare-setting', 'manage-09-330px-dark-compare-setting');
    await w.page.setViewportSize({ width: 1400, height: 900 });
    assert.equal(await p.locator('body').getAttribute('data-csp-violations'), '0');
  });
});
