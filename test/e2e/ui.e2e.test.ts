/**
 * UI end-to-end: the packaged extension (.vsix) installed in code-server, driven through Chromium —
 * command palette, the Experiments sidebar with runs in every state (real training on MNIST digits),
 * tree menus and the delete confirmation, New Experiment's quick pick, and the Problems panel.
 * Screenshots go to test-results/e2e/.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  answer,
  clickMenuItem,
  closeWorkbench,
  env,
  openFile,
  openWorkbench,
  pick,
  runCommand,
  runRow,
  shot,
  showSidebar,
  summaries,
  treeRows,
  until,
  type Workbench,
  widenSidebar,
} from './workbench.js';

/** Runs `step` up to `n` times until it succeeds (UI gestures a re-render can cancel); rethrows the last error. */
async function attempts(n: number, step: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (e) {
      if (i >= n) throw e;
    }
  }
}

/** aria-checked of the walkthrough's "Create an experiment" step (opens the walkthrough). */
async function createStepChecked(w: Workbench): Promise<string | null> {
  await runCommand(w.page, 'Welcome: Open Walkthrough...');
  await pick(w.page, 'Get started with Transfer Lab');
  const step = w.page.locator('button.getting-started-step[data-step-id$="create"]').first();
  await step.waitFor({ timeout: 20_000 });
  return step.getAttribute('aria-checked');
}

/** This suite's experiments: its selectors match only their rows (analysis runs and other suites' runs share the tree). */
const TINY = 'tiny-digits';
const SLOW = 'slow-digits';

/** The chevron (twistie) of an experiment's row in the Experiments view. */
const twistie = (page: Page, name: string) => treeRows(page).filter({ hasText: name }).first().locator('.monaco-tl-twistie');

suite('workbench UI (code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;

  suiteSetup(async () => {
    w = await openWorkbench();
  });
  suiteTeardown(() => closeWorkbench(w));
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  test('the activity bar opens the Experiments view listing the workspace experiments', async () => {
    await showSidebar(w.page);
    await widenSidebar(w.page, 470);
    await treeRows(w.page).filter({ hasText: 'tiny-digits' }).first().waitFor({ timeout: 30_000 });
    const rows = (await treeRows(w.page).allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    for (const name of ['bad-schema', 'bad-semantic', 'diverge-digits', 'slow-digits', 'tiny-digits']) {
      assert.ok(
        rows.some((r) => r.includes(name)),
        `${name} not in ${rows.join(' / ')}`,
      );
    }
    // a chevron only where there are runs: bad-schema never ran; experiments other suites ran have one
    // (tiny-digits gets its first run in the next test, which checks its chevron then)
    assert.doesNotMatch((await twistie(w.page, 'bad-schema').getAttribute('class')) ?? '', /collapsible/, 'bad-schema has no runs but a chevron');
    for (const name of ['panel-digits', 'analysis-digits', 'cluster-digits'].filter((n) => summaries(n).length > 0)) {
      assert.match((await twistie(w.page, name).getAttribute('class')) ?? '', /collapsible/, `${name} has runs but no chevron`);
    }
    await shot(w.page, '01-sidebar-experiments');
  });

  test('palette: Run Experiment trains the open experiment; the tree shows it completed', async () => {
    await openFile(w.page, 'tiny-digits.transfer.json');
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    await w.page
      .locator('.statusbar-item:has-text("tiny-digits")')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await shot(w.page, '02-run-in-progress');
    await runRow(w.page, TINY, 'completed').waitFor({ timeout: 180_000 });
    const label = await runRow(w.page, TINY, 'completed').getAttribute('aria-label');
    assert.match(label ?? '', /val acc \d+\.\d%/);
    assert.match((await twistie(w.page, TINY).getAttribute('class')) ?? '', /collapsible/, 'tiny-digits has a run but no chevron');
  });

  test('runs in several states: diverged, stopped, failed (worker killed) and running', async () => {
    const t0 = Date.now();
    const phase = (what: string) => console.log(`      ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    await openFile(w.page, 'diverge-digits.transfer.json');
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    await runRow(w.page, 'diverge-digits', 'diverged').waitFor({ timeout: 120_000 });
    phase('diverge-digits diverged');

    await openFile(w.page, 'slow-digits.transfer.json');
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    await runRow(w.page, SLOW, 'running', '[aria-label*="step"]:not([aria-label*="epoch 1/"])').waitFor({ timeout: 180_000 });
    phase('slow-digits running, epoch 1 done');
    await runCommand(w.page, 'Transfer Lab: Stop Run');
    // Wait for this experiment's run to be stopped before the next Run starts.
    await until(() => summaries(SLOW).some((x) => x.status === 'stopped'), 120_000, 'the slow-digits run to stop');
    phase('Stop Run (palette): the summary says stopped');
    await runRow(w.page, SLOW, 'stopped').waitFor({ timeout: 120_000 });
    phase('the tree shows it stopped');

    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    const running = await until(() => summaries(SLOW).find((x) => x.status === 'running' && x.pid), 60_000, 'a running slow-digits run');
    phase('second slow-digits run started');
    process.kill(running.pid!, 'SIGKILL');
    await runRow(w.page, SLOW, 'failed').waitFor({ timeout: 60_000 });
    phase('killed: the tree shows it failed');

    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    await runRow(w.page, SLOW, 'running', '[aria-label*="step"]:not([aria-label*="epoch 1/"])').waitFor({ timeout: 180_000 });
    phase('third slow-digits run running, epoch 1 done');
    await w.page.keyboard.press('Escape');
    await showSidebar(w.page);
    await w.page.waitForTimeout(500);
    await shot(w.page, '03-sidebar-run-states');
    const rows = (await treeRows(w.page).allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    console.log(`      tree: ${rows.join(' / ')}`);
    const expected: [string, string][] = [
      [TINY, 'completed'],
      ['diverge-digits', 'diverged'],
      [SLOW, 'stopped'],
      [SLOW, 'failed'],
      [SLOW, 'running'],
    ];
    for (const [experiment, status] of expected) assert.ok(await runRow(w.page, experiment, status).isVisible(), `no ${status} run of ${experiment} visible`);
  });

  test('the tooltip of a run summarises config and backend', async () => {
    const hover = w.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Strategy' }).first();
    // A busy machine may re-render the tree under the pointer and drop the hover: hover again.
    await attempts(4, async () => {
      await w.page.mouse.move(0, 0);
      await runRow(w.page, TINY, 'completed').hover();
      await hover.waitFor({ timeout: 8_000 });
    });
    const text = await hover.innerText();
    assert.match(text, /Backend/);
    await shot(w.page, '04-run-tooltip');
    await w.page.keyboard.press('Escape');
  });

  test('the inline Stop action of a running run stops it', async () => {
    const row = runRow(w.page, SLOW, 'running');
    await row.hover();
    await row.locator('.action-label[aria-label^="Stop Run"]').click();
    await row.waitFor({ state: 'detached', timeout: 120_000 });
    assert.ok(summaries(SLOW).every((s) => s.status !== 'running'));
  });

  test('Delete Run from the context menu asks first, then removes the run', async () => {
    const stopped = () => summaries(SLOW).filter((s) => s.status === 'stopped').length;
    const before = stopped();
    const item = w.page.locator('.monaco-menu .action-label').filter({ hasText: 'Delete Run' }).first();
    const dialog = w.page.locator('.monaco-dialog-box');
    // A context menu closes when the tree re-renders under it (busy machine): open it again.
    await attempts(3, async () => {
      await w.page.keyboard.press('Escape');
      await runRow(w.page, SLOW, 'stopped').click({ button: 'right' });
      await item.waitFor({ timeout: 10_000 });
      await shot(w.page, '05-run-context-menu');
      console.log(`      Delete Run: ${await clickMenuItem(w.page, item)} click(s) on the menu item`);
      await dialog.waitFor({ timeout: 10_000 });
    });
    assert.match(await dialog.innerText(), /Delete run/);
    await shot(w.page, '06-delete-confirmation');
    // the focused default is safe: Enter keeps the run
    const focused = await w.page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
    console.log(`      focused button: "${focused}"`);
    assert.strictEqual(focused.trim(), 'Keep');
    await w.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await w.page.waitForTimeout(500);
    assert.strictEqual(stopped(), before, 'Enter deleted the run');
    await attempts(3, async () => {
      await w.page.keyboard.press('Escape');
      await runRow(w.page, SLOW, 'stopped').click({ button: 'right' });
      await item.waitFor({ timeout: 10_000 });
      console.log(`      Delete Run: ${await clickMenuItem(w.page, item)} click(s) on the menu item`);
      await dialog.waitFor({ timeout: 10_000 });
    });
    await dialog
      .locator('.monaco-button')
      .filter({ hasText: /^Delete$/ })
      .first()
      .click();
    for (let i = 0; i < 100 && stopped() >= before; i++) await w.page.waitForTimeout(100);
    assert.strictEqual(stopped(), before - 1);
  });

  test("the Problems panel shows schema problems as errors in validate's words, once each, and semantic checks", async () => {
    await openFile(w.page, 'bad-schema.transfer.json');
    await openFile(w.page, 'bad-semantic.transfer.json');
    await runCommand(w.page, 'Problems: Focus on Problems View');
    const rows = w.page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'conv9' }).first().waitFor({ timeout: 60_000 });
    await rows.filter({ hasText: 'must be an integer' }).first().waitFor({ timeout: 60_000 });
    const problems = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    console.log(`      problems:\n        ${problems.join('\n        ')}`);
    // the words of `transfer-lab validate`, as errors; the JSON service's own words nowhere
    for (const [what, re] of [
      ['enum', /must be one of "smallCnn", "mobileNetLike" \(found "resnet18"\)/],
      ['type', /must be an integer \(found "thirty-two"\)/],
    ] as const) {
      const matching = rows.filter({ hasText: re });
      assert.strictEqual(await matching.count(), 1, `${what} diagnostic: ${problems.join(' / ')}`);
      assert.strictEqual(await matching.locator('.codicon-error').count(), 1, `${what} diagnostic is not an error`);
    }
    assert.ok(!problems.some((p) => /Value is not accepted|Incorrect type/.test(p)), 'the JSON service reported a schema problem itself');
    assert.ok(
      problems.some((p) => /conv9/.test(p)),
      'semantic layer diagnostic missing',
    );
    assert.ok(
      problems.some((p) => /image folder not found/.test(p)),
      'semantic folder diagnostic missing',
    );
    await shot(w.page, '07-problems');
  });

  test('a cancelled New Experiment leaves the walkthrough step "Create an experiment" open', async () => {
    await runCommand(w.page, 'Transfer Lab: New Experiment…');
    await w.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'From scratch' }).first().waitFor({ timeout: 15_000 });
    await w.page.keyboard.press('Escape');
    assert.strictEqual(await createStepChecked(w), 'false');
    await runCommand(w.page, 'View: Close All Editors');
  });

  test('New Experiment: template quick pick, name input, the file opens and joins the tree', async () => {
    await runCommand(w.page, 'Transfer Lab: New Experiment…');
    await pick(w.page, 'From scratch');
    await answer(w.page, 'e2e-baseline');
    await w.page.locator('.tab.active:has-text("e2e-baseline.transfer.json")').waitFor({ timeout: 20_000 });
    assert.ok(fs.existsSync(path.join(env.workspace, 'e2e-baseline.transfer.json')));
    await showSidebar(w.page);
    await treeRows(w.page).filter({ hasText: 'e2e-baseline' }).first().waitFor({ timeout: 30_000 });
    await shot(w.page, '08-new-experiment');
  });

  test('the walkthrough opens from the palette with its three steps; New Experiment succeeded, so its step is done', async () => {
    assert.strictEqual(await createStepChecked(w), 'true', 'New Experiment succeeded: the step is done');
    const page = w.page.locator('.gettingStartedContainer').first();
    await page.filter({ hasText: 'Create an experiment' }).waitFor({ timeout: 20_000 });
    const text = await page.innerText();
    for (const step of ['Create an experiment', 'Run it', 'Open its panel']) assert.ok(text.includes(step), `step "${step}" missing`);
    await shot(w.page, '09-walkthrough');
  });
});
