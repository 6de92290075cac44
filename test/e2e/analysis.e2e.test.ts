/**
 * UI end-to-end of the analysis views of the experiment panel in the real VS Code (code-server +
 * Chromium, the packaged .vsix), on real MNIST digits trained and analysed by the real worker:
 * Recommend Strategy from the palette shows the verdict, the four rules and the numbers behind it, and
 * its Apply button edits the JSON (comments kept); Sweep Cut Layers draws a bar per cut layer and "Use
 * as cut layer" edits `transfer.cutLayer`; the panel's own button compares the first-layer filters
 * with Gabor kernels on small canvases; an unsupervised run's scatter and a transductive run's
 * before/after accuracies; dark, high-contrast and light themes. Screenshots: test-results/e2e/analysis-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunSummary } from '../../src/core/runs/events.js';
import {
  closePanelWorkbench,
  env,
  openFile,
  openPanelWorkbench,
  panel,
  runCommand,
  setTheme,
  shot,
  showSidebar,
  summaries,
  treeRows,
  until,
  widenSidebar,
  type Workbench,
  panelShot,
  clearNotifications,
} from './workbench.js';

const ANALYSIS = 'analysis-digits.transfer.json';
const read = () => fs.readFileSync(path.join(env.workspace, ANALYSIS), 'utf8');

/** Runs an experiment from the palette with its file open; waits for a completed run in the store. */
async function train(page: Page, file: string, experiment: string): Promise<RunSummary> {
  const before = new Set(summaries(experiment).map((s) => s.runId));
  await closeEditors(page);
  await openFile(page, file);
  await runCommand(page, 'Transfer Lab: Run Experiment');
  return until(() => summaries(experiment).find((s) => !before.has(s.runId) && s.status === 'completed'), 180_000, `a new completed run of ${experiment}`);
}

/** Closes every editor and panel (the next file opens in the first group, its panel beside it). */
async function closeEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors').catch(() => undefined);
  await page.waitForTimeout(300);
}

/** Scrolls the panel so that `selector` is at the top, then takes a screenshot. */
async function shotOf(page: Page, selector: string, name: string): Promise<void> {
  await clearNotifications(page);
  await panelShot(page, selector, name);
}

suite('analysis views of the experiment panel (webview in code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  let original = '';

  suiteSetup(async () => {
    original = read();
    w = await openPanelWorkbench();
    await train(w.page, 'analysis-source.transfer.json', 'analysis-source'); // the base of the analysis fixtures
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    fs.writeFileSync(path.join(env.workspace, ANALYSIS), original);
    // The other suites find runs by status in the tree: leave them none of ours.
    for (const e of ['analysis-source', 'analysis-digits', 'cluster-digits', 'shift-digits']) {
      fs.rmSync(path.join(env.workspace, '.transfer-lab', 'runs', e), { recursive: true, force: true });
    }
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `analysis-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('Recommend Strategy shows the verdict, the four rules and the numbers in the panel; Apply edits the JSON, comments kept', async () => {
    await closeEditors(w.page);
    await openFile(w.page, ANALYSIS);
    await runCommand(w.page, 'Transfer Lab: Recommend Strategy');
    const p = panel(w.page);
    await p.locator('#advice:not([hidden]) #advice-verdict').waitFor({ timeout: 180_000 });
    const measures = await p.locator('#advice-measures').innerText();
    console.log(`      verdict: ${await p.locator('#advice-verdict').innerText()}\n      measures:\n        ${measures.replace(/\n/g, '\n        ')}`);
    assert.match(measures, /labelled examples per class \(median\)\s+fewer than 100 is a small target[^\n]*\s+30\s+small target/);
    assert.match(
      measures,
      /telling your inputs from the source’s[^\n]*\s+[^\n]*50% means it cannot tell them apart[^\n]*\s+\d+\.\d%\s+(similar|different) inputs/,
    );
    assert.match(measures, /proxy A-distance/);
    assert.doesNotMatch(measures, /> -|> −|is different/, 'a threshold in the old words');
    // the headline and the rows agree: "different" exactly when a similarity row says different
    const says = await p.locator('#advice-measures tr[data-says]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-says')));
    const verdict = await p.locator('#advice-verdict').innerText();
    assert.match(verdict, says.includes('different') ? /different from the source[\s\S]*Different:/ : /similar to the source[\s\S]*Similar:/);
    assert.equal(await p.locator('#advice-rules td.rule').count(), 4);
    assert.equal(await p.locator('#advice-rules td.rule.applies').count(), 1);
    const rule = await p.locator('#advice').getAttribute('data-rule');
    assert.match(rule ?? '', /^small(Similar|Different)$/);
    assert.equal(await p.locator(`#advice-rules td.rule.applies[data-rule="${rule}"]`).count(), 1);
    assert.match(await p.locator('#advice-edits').innerText(), /\/transfer\/strategy = "featureExtraction"/);
    await shotOf(w.page, '#advice', 'analysis-01-advice');

    await p.locator('#apply-advice').click();
    await until(() => /"strategy": "featureExtraction", \/\/ the advisor will have an opinion on this/.test(read()), 30_000, 'the advice in the file');
    assert.ok(read().includes('// Recommend Strategy, Sweep Cut Layers'), 'the header comment was lost');
    await p.locator('#apply-advice:disabled').waitFor({ timeout: 30_000 });
    assert.match(await p.locator('#apply-advice').innerText(), /In effect/);
    await shotOf(w.page, '#advice', 'analysis-02-advice-applied');
  });

  test('Sweep Cut Layers charts validation accuracy per cut layer; "Use as cut layer" edits transfer.cutLayer', async () => {
    await closeEditors(w.page);
    await openFile(w.page, ANALYSIS);
    await runCommand(w.page, 'Transfer Lab: Sweep Cut Layers');
    const p = panel(w.page);
    await p.locator('#layer-sweep:not([hidden]) #sweep-table').waitFor({ timeout: 180_000 });
    const rows = await p.locator('#sweep-table tbody tr').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.layer));
    assert.deepStrictEqual(rows, ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1']);
    assert.ok(await p.locator('canvas#chart-layer-sweep').isVisible(), 'no chart canvas');
    assert.match((await p.locator('#chart-layer-sweep').getAttribute('aria-label')) ?? '', /conv1 \d+\.\d%.*fc1 \d+\.\d%/);
    assert.match(await p.locator('#sweep-table').innerText(), /fc1\s+Dense\s+128\s+\d+\.\d%\s+\d+\.\d%/);
    await shotOf(w.page, '#layer-sweep', 'analysis-03-layer-sweep');

    // A layer that is not the cut layer now: its button writes it into the file.
    const current = await p.locator('#layer-sweep').getAttribute('data-current');
    const target = ['conv2', 'flatten'].find((l) => l !== current)!;
    await p.locator(`button[data-use-cut="${target}"]`).click();
    await until(() => read().includes(`"cutLayer": "${target}"`), 30_000, `cutLayer ${target} in the file`);
    assert.ok(read().includes('// the advisor will have an opinion on this'), 'comment lost');
    await p.locator(`#layer-sweep[data-current="${target}"]`).waitFor({ timeout: 30_000 });
    await p.locator(`button[data-use-cut="${target}"]:disabled`).waitFor({ timeout: 10_000 });
  });

  test('the panel’s button compares the first-layer filters with Gabor kernels, drawn on small canvases', async () => {
    const p = panel(w.page);
    await p.locator('button[data-analyze="gaborMatch"]:enabled').click();
    await p.locator('#gabor:not([hidden]) .filter-card').first().waitFor({ timeout: 180_000 });
    assert.equal(await p.locator('#gabor .filter-card').count(), 32);
    assert.equal(await p.locator('#gabor canvas.kernel').count(), 64);
    // The canvases are drawn: the first learned filter has more than one grey level.
    const levels = await p
      .locator('#gabor canvas.kernel')
      .first()
      .evaluate((el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const set = new Set<number>();
        for (let i = 0; i < d.length; i += 4) set.add(d[i]!);
        return set.size;
      });
    assert.ok(levels > 1, 'the filter canvas is blank');
    assert.match(await p.locator('#gabor-correlation').innerText(), /mean 0\.\d+, median 0\.\d+/);
    assert.match(await p.locator('#gabor .filter-card').first().innerText(), /#0[\s\S]*r -?[01]\.\d\d/);
    await shotOf(w.page, '#gabor', 'analysis-04-gabor');
  });

  test('an unsupervised run shows its clusters as a scatter with NMI/ARI beside raw pixels', async () => {
    await train(w.page, 'cluster-digits.transfer.json', 'cluster-digits');
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator('#clusters:not([hidden]) #cluster-scores').waitFor({ timeout: 90_000 });
    assert.equal(await p.locator('#clusters').getAttribute('data-points'), '150');
    assert.ok(await p.locator('canvas#chart-clusters').isVisible());
    const scores = await p.locator('#cluster-scores').innerText();
    assert.match(scores, /NMI\s+0\.\d+\s+0\.\d+/);
    assert.match(scores, /ARI\s+-?0\.\d+\s+-?0\.\d+/);
    await shotOf(w.page, '#clusters', 'analysis-05-clusters');
    await p.locator('#clusters-colour').selectOption('label');
    await w.page.waitForTimeout(300);
    assert.match((await p.locator('#chart-clusters').getAttribute('aria-label')) ?? '', /coloured by label, 3 groups/);
  });

  test('a transductive run shows the target accuracy before and after AdaBN and self-training', async () => {
    await train(w.page, 'shift-digits.transfer.json', 'shift-digits');
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator('#transductive:not([hidden]) #transductive-table').waitFor({ timeout: 90_000 });
    const phases = await p.locator('#transductive-table tbody tr').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.phase));
    assert.deepStrictEqual(phases, ['source', 'adaBN', 'selfTraining']);
    assert.match(await p.locator('#transductive-summary').innerText(), /target accuracy \d+\.\d% → \d+\.\d%/);
    await shotOf(w.page, '#transductive', 'analysis-06-transductive');
    assert.equal(await p.locator('body').getAttribute('data-csp-violations'), '0');
  });

  test('dark and high-contrast themes, the panel at full width', async () => {
    await closeEditors(w.page);
    await openFile(w.page, ANALYSIS);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator('#gabor:not([hidden]) .filter-card').first().waitFor({ timeout: 60_000 });
    await runCommand(w.page, 'View: Close Editors in Other Groups').catch(() => undefined);
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shotOf(w.page, '#advice', 'analysis-07-dark-advice');
    await shotOf(w.page, '#layer-sweep', 'analysis-08-dark-layer-sweep');
    await shotOf(w.page, '#gabor', 'analysis-09-dark-gabor');
    await setTheme(w.page, 'Dark High Contrast', 'vscode-high-contrast');
    await shotOf(w.page, '#layer-sweep', 'analysis-10-high-contrast-layer-sweep');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shotOf(w.page, '#layer-sweep', 'analysis-11-light-layer-sweep');
    await shotOf(w.page, '#advice', 'analysis-12-light-advice');
    // the advice at ~330 px: the measures table scrolls or wraps, every row's meaning kept
    await w.page.setViewportSize({ width: 380, height: 900 });
    await w.page.waitForTimeout(800);
    await shotOf(w.page, '#advice-measures', 'analysis-13-light-advice-330px');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shotOf(w.page, '#advice-measures', 'analysis-14-dark-advice-330px');
    assert.equal(await p.locator('#advice-measures .meaning').count(), (await p.locator('#advice-measures tr[data-says]').count()) + 3);
    await w.page.setViewportSize({ width: 1400, height: 900 });
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    assert.equal(await p.locator('body').getAttribute('data-csp-violations'), '0');
  });

  test('the header names the kind of transfer (unsupervised, transductive, a strategy); panels and the sidebar in dark and light', async () => {
    const cases: [string, string, RegExp][] = [
      ['cluster-digits.transfer.json', 'unsupervised', /^Unsupervised: PCA \+ k-means on fc1 features$/],
      ['shift-digits.transfer.json', 'transductive', /^Transductive: AdaBN \+ self-training$/],
      [ANALYSIS, 'inductive', /^Strategy (fineTune|featureExtraction)$/],
    ];
    for (const [theme, bodyClass, short] of [
      ['Dark Modern', 'vscode-dark', 'dark'],
      ['Light Modern', 'vscode-light', 'light'],
    ] as const) {
      for (const [file, kind, text] of cases) {
        await closeEditors(w.page);
        await openFile(w.page, file);
        await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
        const p = panel(w.page);
        const facts = p.locator(`#transfer-kind[data-kind="${kind}"]`);
        await facts.waitFor({ timeout: 60_000 });
        assert.match((await facts.innerText()).replace(/\s+/g, ' ').trim(), text);
        if (!(await p.locator(`body.${bodyClass}`).count())) await setTheme(w.page, theme, bodyClass);
        await runCommand(w.page, 'View: Close Editors in Other Groups').catch(() => undefined);
        if (kind === 'unsupervised') {
          // Nothing trains: no rate preview, no loss charts, the status line points to the clusters.
          await p.locator('#schedule-unused').waitFor({ timeout: 30_000 });
          assert.match(await p.locator('#training-status').innerText(), /trains nothing/);
        }
        if (kind === 'inductive') {
          // Only analysis runs of this experiment so far: the Training view shows none of them.
          assert.match(await p.locator('#training-status').innerText(), /No training run yet/);
          assert.match(await p.locator('#analysis-run-table').innerText(), /Recommend strategy/);
        }
        await shotOf(w.page, '#top', `analysis-kind-${short}-${kind}`);
        await shotOf(w.page, '#runs', `analysis-kind-${short}-${kind}-runs`);
      }
    }
    await showSidebar(w.page);
    await widenSidebar(w.page, 470);
    await treeRows(w.page).filter({ hasText: 'cluster-digits' }).first().waitFor({ timeout: 30_000 });
    await shot(w.page, 'analysis-kind-light-sidebar');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await shot(w.page, 'analysis-kind-dark-sidebar');
  });
});
