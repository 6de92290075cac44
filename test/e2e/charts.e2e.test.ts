/**
 * UI end-to-end of the panel's chart tools in the real VS Code (code-server + Chromium, the packaged
 * .vsix), on a real 2-epoch run of 600 MNIST digits: the smoothing slider (the exported CSV's smoothed
 * column is TensorBoard's debiased EMA of the raw column, recomputed here in closed form, and the raw
 * column is the run's metrics.jsonl), PNG export (a PNG of the chart's size), the accuracy axis fitted
 * to the data, zoom by dragging and reset by double-click, log loss axes, and the log rate preview's
 * labels. Screenshots (dark, light, the panel at ~500 px): test-results/e2e/charts-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

const FILE = 'charts-digits.transfer.json';
const EXPERIMENT = 'charts-digits';

/** Scrolls the panel so that `selector` is just below its sticky header, then takes a screenshot. */
async function shotOf(w: Workbench, selector: string, name: string): Promise<void> {
  await clearNotifications(w.page);
  await panelShot(w.page, selector, name);
}

/** Clicks an export button and accepts VS Code's save dialog as proposed (the run's folder); returns the file once written. */
async function exportTo(w: Workbench, chart: string, tool: 'png' | 'csv', file: string): Promise<Buffer> {
  fs.rmSync(file, { force: true });
  await panel(w.page).locator(`figure[data-chart="${chart}"] button[data-tool="${tool}"]`).click();
  const input = w.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  // VS Code's simple dialog shows the folder first, then appends the proposed name.
  await until(async () => (await input.inputValue()) === file, 20_000, `the save dialog proposing ${file}`);
  await w.page.keyboard.press('Enter');
  return until(() => (fs.existsSync(file) && fs.statSync(file).size > 0 ? fs.readFileSync(file) : undefined), 20_000, `${file} written`);
}

/** Parses the simple CSV the panel writes (no quoted commas in these labels). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split(/\r\n/)
    .map((l) => l.split(','));
}

suite('chart tools of the experiment panel (webview in code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  let runDir = '';

  suiteSetup(async () => {
    w = await openPanelWorkbench();
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    fs.rmSync(path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT), { recursive: true, force: true });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `charts-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('smoothing: the exported series are the run’s losses and their debiased EMA', async () => {
    await openFile(w.page, FILE);
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    const run = await until(() => summaries(EXPERIMENT).find((s) => s.status === 'completed'), 240_000, 'a completed run of charts-digits');
    runDir = path.join(env.workspace, '.transfer-lab', 'runs', EXPERIMENT, run.runId);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator(`#training[data-run-id="${run.runId}"][data-status="completed"]`).waitFor({ timeout: 90_000 });
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await p.locator('#smoothing').fill('0.9');
    await p.locator('#training[data-smoothing="0.9"]').waitFor({ timeout: 10_000 });
    const csv = parseCsv((await exportTo(w, 'loss-per-step', 'csv', path.join(runDir, 'loss-per-step.csv'))).toString('utf8'));
    assert.deepStrictEqual(csv[0], ['step', 'train loss', 'smoothed (0.90)']);
    const steps = fs
      .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; step?: number; loss?: number })
      .filter((e) => e.kind === 'step');
    const rows = csv.slice(1);
    assert.equal(rows.length, steps.length, 'one row per step of metrics.jsonl');
    const w9 = 0.9;
    rows.forEach((r, t) => {
      assert.equal(Number(r[0]), steps[t]!.step);
      assert.equal(Number(r[1]), steps[t]!.loss);
      // Closed form: the mean of the losses so far weighted by 0.9^(t−i).
      let num = 0;
      let den = 0;
      for (let i = 0; i <= t; i++) {
        num += Math.pow(w9, t - i) * steps[i]!.loss!;
        den += Math.pow(w9, t - i);
      }
      assert.ok(Math.abs(Number(r[2]) - num / den) < 1e-9 * Math.max(1, num / den), `step ${t}: ${r[2]} vs ${num / den}`);
    });
    await shotOf(w, '#training', 'charts-01-dark-smoothed');
  });

  test('PNG export, the fitted accuracy axis, zoom and reset, log loss', async () => {
    const p = panel(w.page);
    const png = await exportTo(w, 'accuracy-per-epoch', 'png', path.join(runDir, 'accuracy-per-epoch.png'));
    assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG file');
    const canvas = p.locator('#chart-accuracy');
    const size = await canvas.evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], size, 'the PNG has the canvas’ size');
    // The axis around the data, not 0–1.
    const epochs = fs
      .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; trainAccuracy?: number; valAccuracy?: number })
      .filter((e) => e.kind === 'epoch');
    const acc = epochs.flatMap((e) => [e.trainAccuracy!, e.valAccuracy!]);
    const yMin = Number(await canvas.getAttribute('data-y-min'));
    const yMax = Number(await canvas.getAttribute('data-y-max'));
    assert.ok(yMin <= Math.min(...acc) && yMax >= Math.max(...acc), `axis ${yMin}–${yMax} holds ${acc}`);
    assert.ok(yMin > 0 || yMax < 1, `axis ${yMin}–${yMax} is fitted, not 0–1`);
    // Zoom: drag a box over the loss per step; Reset zoom comes on; a double-click resets.
    const step = p.locator('#chart-step-loss');
    const box = (await step.boundingBox())!;
    const reset = p.locator('figure[data-chart="loss-per-step"] button[data-tool="reset"]');
    assert.equal(await reset.isDisabled(), true);
    await w.page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.3);
    await w.page.mouse.down();
    await w.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 });
    await w.page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 5 });
    await w.page.mouse.up();
    await until(async () => !(await reset.isDisabled()), 10_000, 'Reset zoom enabled after the drag');
    await shotOf(w, '#training', 'charts-02-dark-zoomed');
    await step.dblclick();
    await until(async () => reset.isDisabled(), 10_000, 'Reset zoom disabled after the double-click');
    // Log loss: both loss charts switch.
    await p.locator('figure[data-chart="loss-per-epoch"] input[data-tool="log"]').check();
    await until(async () => (await p.locator('#chart-step-loss').getAttribute('data-y-type')) === 'logarithmic', 10_000, 'log loss per step');
    assert.equal(await p.locator('#chart-epoch-loss').getAttribute('data-y-type'), 'logarithmic');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shotOf(w, '#training', 'charts-03-light-log-loss');
    assert.equal(await p.locator('body').getAttribute('data-csp-violations'), '0');
  });

  test('the log rate preview labels only ticks with room; the panel at ~500 px', async () => {
    const p = panel(w.page);
    await p.locator('input[data-key="log-rate"]').check();
    const lr = p.locator('#lr-chart');
    await until(async () => (await lr.getAttribute('data-y-type')) === 'logarithmic', 10_000, 'log rate axis');
    const labels = (await lr.getAttribute('data-y-labels'))!.split(' ');
    console.log(`[charts] log rate labels: ${labels.join(' ')}`);
    assert.ok(labels.length >= 2 && labels.some((l) => /e-\d/.test(l)), `labels ${labels}`);
    await shotOf(w, '#schedule', 'charts-04-light-log-rate');
    await w.page.setViewportSize({ width: 1000, height: 900 });
    await w.page.waitForTimeout(800);
    const width = await p.locator('#training').evaluate((el) => Math.round(el.getBoundingClientRect().width));
    console.log(`[charts] training section width ${width} px`);
    await shotOf(w, '#training', 'charts-05-light-narrow');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shotOf(w, '#schedule', 'charts-06-dark-narrow-log-rate');
    await w.page.setViewportSize({ width: 1400, height: 900 });
  });
});
