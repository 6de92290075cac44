/**
 * UI end-to-end of the experiment panel (webview) in the real VS Code (code-server + Chromium, the
 * packaged .vsix): a freeze toggled in the panel (mouse and keyboard) changes the JSON file with its
 * comments kept; typing in the JSON changes the panel before saving; a real MNIST run's points arrive
 * live; hiding and showing the panel mid-run, and reloading the window, lose and repeat nothing; a
 * second run is compared with the first; screenshots in dark, light and high-contrast themes; no
 * Content-Security-Policy violation. Screenshots go to test-results/e2e/panel-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/core/runs/events.js';
import { closePanelWorkbench, env, openFile, openPanelWorkbench, panel, pick, runCommand, setTheme, shot, until, type Workbench } from './workbench.js';

const FILE = 'panel-digits.transfer.json';
const filePath = () => path.join(env.workspace, FILE);
const read = () => fs.readFileSync(filePath(), 'utf8');

/** The training section's data attributes (what the page holds of the shown run). */
async function trainingData(page: Page): Promise<Record<string, string>> {
  return panel(page)
    .locator('#training')
    .evaluate((el) => ({ ...el.dataset }) as Record<string, string>);
}

/** Scrolls the panel so that the element `selector` is at the top (for screenshots). */
async function scrollPanelTo(page: Page, selector: string): Promise<void> {
  await panel(page)
    .locator(selector)
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
}

/** Events of a run folder's metrics.jsonl. */
function events(runDir: string): RunEvent[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunEvent);
}

function runDirOf(runId: string): string {
  return path.join(env.workspace, '.transfer-lab', 'runs', 'panel-digits', runId);
}

/** Counts the step events of a metrics.jsonl as it grows, reading only the bytes appended since the last call. */
function stepCounter(runDir: string): () => number {
  const file = path.join(runDir, 'metrics.jsonl');
  let offset = 0;
  let steps = 0;
  let rest = '';
  return () => {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > offset) {
        const buf = Buffer.alloc(size - offset);
        fs.readSync(fd, buf, 0, buf.length, offset);
        offset = size;
        const lines = (rest + buf.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('{"kind":"step"')) steps++;
      }
    } finally {
      fs.closeSync(fd);
    }
    return steps;
  };
}

/**
 * Samples for `ms`: at each moment the number of steps in metrics.jsonl, and how long the page then took
 * to show the last of them (its last step point reaching that step, to the decimation stride). Returns
 * the lags in ms. The file is read incrementally (the whole file, parsed every 100 ms, cost the machine
 * that the run and the workbench share a noticeable share of a core once it held thousands of steps).
 */
async function chartLags(page: Page, runDir: string, ms: number): Promise<{ lags: number[]; unresolved: number[] }> {
  const pending: { at: number; step: number }[] = [];
  const lags: number[] = [];
  const count = stepCounter(runDir);
  const end = Date.now() + ms;
  while (Date.now() < end || (pending.length > 0 && Date.now() < end + 30_000)) {
    const now = Date.now();
    if (now < end) {
      const steps = count();
      if (steps > 0 && (pending.length === 0 || pending[pending.length - 1].step < steps - 1)) pending.push({ at: now, step: steps - 1 });
    }
    const d = await trainingData(page);
    const stride = Math.max(1, Number(d.stride));
    const shown = Number(d.lastStep);
    while (pending.length > 0 && shown >= Math.floor(pending[0].step / stride) * stride) lags.push(Date.now() - pending.shift()!.at);
    await page.waitForTimeout(100);
  }
  return { lags, unresolved: pending.map((p) => Date.now() - p.at) };
}

/** The renderer's main-thread time (CDP Performance.getMetrics TaskDuration, s) of the workbench page and the frames in its process. */
async function rendererBusy(w: Workbench): Promise<() => Promise<number>> {
  const cdp = await w.context.newCDPSession(w.page);
  await cdp.send('Performance.enable');
  return async () => {
    const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return r.metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
}

/** Puts the cursor of the active text editor at a line and column with Quick Open's `:line:column`. */
async function gotoLine(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`:${line}:${column}`);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

suite('experiment panel (webview in code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;
  let original = '';
  let firstRun = '';

  suiteSetup(async () => {
    original = read();
    w = await openPanelWorkbench();
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `panel-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('Open Experiment Panel shows the base model’s layers beside the JSON', async () => {
    await openFile(w.page, FILE);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    // The command acts on the active editor's experiment. Right after the suite's fresh workbench opens
    // the file, the extension host may not know the active editor yet (seen once in CI): it then asks
    // which experiment, as it does without one — answer, and say so.
    const picker = w.page.locator('.quick-input-widget input[placeholder="Pick an experiment"]');
    const layer = p.locator('#layer-table tr[data-layer="conv1"]');
    await until(async () => (await picker.isVisible()) || (await layer.isVisible()), 90_000, 'the panel or the experiment picker');
    if (await picker.isVisible()) {
      console.log('      (Open Experiment Panel asked which experiment: the active editor was not yet known to the extension host)');
      await pick(w.page, FILE);
    }
    await layer.waitFor({ timeout: 90_000 });
    const rows = await p.locator('#layer-table tbody tr').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.layer));
    assert.deepStrictEqual(rows, ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'logits']);
    assert.ok(await p.locator('tr[data-layer="flatten"].role-cut').isVisible(), 'flatten is the cut layer');
    assert.ok(await p.locator('tr[data-layer="fc1"].role-dropped').isVisible(), 'fc1 is after the cut');
    assert.match(await p.locator('tr[data-layer="conv1"]').innerText(), /26×26×32[\s\S]*320/);
    assert.match((await p.locator('#lr-chart').getAttribute('aria-label')) ?? '', /head from .* base from .* early from/);
    await w.page.waitForTimeout(500);
    await shot(w.page, 'panel-01-opened-dark');
  });

  test('toggling a freeze in the panel changes the JSON file, comments and layout kept; the keyboard does the same', async () => {
    const p = panel(w.page);
    await p.locator('#stage-select').selectOption('1');
    await p.locator('input[data-key="freeze:conv2"]').check();
    const frozen = original.replace('"freeze": { "upTo": "pool1" }', '"freeze": { "upTo": "conv2" }');
    await until(() => read() === frozen, 30_000, 'the file to freeze conv2 in stage 2');
    await p.locator('tr[data-layer="conv2"][data-frozen="true"]').waitFor({ timeout: 15_000 });
    assert.ok(read().includes('// conv1 and pool1 stay frozen') && read().includes('/* the head reads the flattened conv features */'));

    // Keyboard only: Tab from the stage chooser to conv2's checkbox, Space unfreezes it again.
    await p.locator('#stage-select').focus();
    let key = '';
    for (let i = 0; i < 30 && key !== 'freeze:conv2'; i++) {
      await w.page.keyboard.press('Tab');
      key = await p.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key ?? '');
    }
    assert.strictEqual(key, 'freeze:conv2', 'conv2’s freeze checkbox is reachable with Tab');
    await w.page.keyboard.press('Space');
    await until(() => read() === original, 30_000, 'the file to be back to the original text');
    await p.locator('tr[data-layer="conv2"][data-frozen="false"]').waitFor({ timeout: 15_000 });
    // the focus stays on the re-rendered checkbox
    assert.strictEqual(await p.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key ?? ''), 'freeze:conv2');
  });

  test('Ctrl+Z and Ctrl+Shift+Z with the focus in the panel undo and redo the panel’s edit in the document', async () => {
    const p = panel(w.page);
    await p.locator('#stage-select').selectOption('1');
    await p.locator('input[data-key="freeze:conv2"]').check();
    const frozen = original.replace('"freeze": { "upTo": "pool1" }', '"freeze": { "upTo": "conv2" }');
    await until(() => read() === frozen, 30_000, 'the file to freeze conv2 in stage 2');
    await p.locator('tr[data-layer="conv2"][data-frozen="true"]').waitFor({ timeout: 15_000 });
    await p.locator('input[data-key="freeze:conv2"]').focus();
    // the panel shows the document's text, saved or not: each key's effect shows in the layer table
    const panelFocused = () => until(() => p.locator('body').evaluate(() => document.hasFocus()), 10_000, 'the panel to have the focus');
    const press = async (key: string, frozenAfter: boolean) => {
      await panelFocused();
      const t0 = Date.now();
      await w.page.keyboard.press(key);
      await p.locator(`tr[data-layer="conv2"][data-frozen="${frozenAfter}"]`).waitFor({ timeout: 30_000 });
      console.log(`      ${key} in the panel: conv2 ${frozenAfter ? 'frozen' : 'unfrozen'} again in the document after ${Date.now() - t0} ms`);
    };
    await press('Control+Z', false);
    await press('Control+Shift+Z', true);
    await press('Control+Z', false);
    // Undo leaves the document unsaved, as in the editor; saved, the file is the original text again
    await runCommand(w.page, 'View: Focus First Editor Group');
    await w.page.keyboard.press('Control+S');
    await until(() => read() === original, 30_000, 'the saved file to be the original text');
    await shot(w.page, 'panel-01b-after-undo-dark');
  });

  test('editing the JSON changes the panel at once, before saving; undo changes it back', async () => {
    const lines = original.split('\n');
    const line = lines.findIndex((l) => l.includes('"cutLayer": "flatten"')) + 1;
    assert.ok(line > 0);
    await runCommand(w.page, 'View: Focus First Editor Group');
    // the cursor inside `flatten`, Ctrl+D selects the word, typing replaces it (no quotes typed: no auto-closing)
    await gotoLine(w.page, line, lines[line - 1].indexOf('flatten') + 3);
    await w.page.keyboard.press('Control+D');
    await w.page.keyboard.insertText('pool2');
    const p = panel(w.page);
    await p.locator('tr[data-layer="pool2"].role-cut').waitFor({ timeout: 15_000 });
    assert.ok(await p.locator('tr[data-layer="flatten"].role-dropped').isVisible());
    assert.strictEqual(read(), original, 'the panel followed the unsaved buffer');
    await shot(w.page, 'panel-02-json-edit-dark');
    await w.page.keyboard.press('Control+Z');
    await p.locator('tr[data-layer="flatten"].role-cut').waitFor({ timeout: 15_000 });
  });

  test('a real run’s points arrive live; hidden and shown mid-run the panel replays it, losing and repeating nothing; Stop stops it', async () => {
    const p = panel(w.page);
    await p.locator('#run-button').click();
    await p.locator('#training[data-status="running"]').waitFor({ timeout: 120_000 });
    // live: the last step shown grows while the run trains
    const seen: number[] = [];
    await until(
      async () => {
        const d = await trainingData(w.page);
        const n = Number(d.lastStep);
        if (d.status === 'running' && n >= 0 && n !== seen[seen.length - 1]) seen.push(n);
        return seen.length >= 4;
      },
      120_000,
      'the last step shown to grow four times during the run',
    );
    console.log(`      live: last step shown ${seen.join(', ')}`);
    assert.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]));
    const before = await trainingData(w.page);
    firstRun = before.runId;
    assert.strictEqual(before.duplicates, '0');
    await scrollPanelTo(w.page, '#training');
    await shot(w.page, 'panel-03-live-dark');

    // hide: the JSON editor moves into the panel's group and covers it; the page is discarded
    await p.locator('body').evaluate(() => ((window as unknown as { marker?: number }).marker = 1));
    await runCommand(w.page, 'View: Focus First Editor Group');
    await runCommand(w.page, 'Move Editor into Next Group');
    assert.strictEqual(await w.page.locator('iframe.webview.ready:visible').count(), 0, 'the panel is hidden');
    // the run goes on while hidden
    const stepsOnDisk = stepCounter(runDirOf(firstRun));
    await until(() => stepsOnDisk() >= Number(before.lastStep) + 30, 120_000, '30 steps more while hidden');
    const stepsWhileHidden = stepsOnDisk();
    console.log(`      hidden at step ${before.lastStep}; ${stepsWhileHidden} steps on disk when shown again`);
    // show again: the JSON editor goes back to a group on the left
    const t0 = Date.now();
    await runCommand(w.page, 'Move Editor into Left Group');
    const t1 = Date.now();
    await p.locator('body[data-state-at]').waitFor({ timeout: 120_000 });
    const timing = await p.locator('body').evaluate((b) => `page script ready at ${b.dataset.readyAt} ms, full state at ${b.dataset.stateAt} ms`);
    console.log(`      show again: command ${t1 - t0} ms, page rebuilt with its history ${Date.now() - t1} ms later (${timing})`);
    assert.strictEqual(await p.locator('body').evaluate(() => (window as unknown as { marker?: number }).marker), undefined, 'the page was rebuilt');
    const after = await trainingData(w.page);
    assert.strictEqual(after.status, 'running', 'the run is still training when the panel is shown again');
    assert.ok(Number(after.lastStep) >= stepsWhileHidden - Number(after.stride), `replayed up to step ${after.lastStep}, ${stepsWhileHidden} were on disk`);
    assert.strictEqual(after.duplicates, '0');
    // and live again: updates arrive on top of the replayed history
    const again = await until(
      async () => {
        const d = await trainingData(w.page);
        return Number(d.updates) >= 2 && Number(d.lastStep) > Number(after.lastStep) ? d : undefined;
      },
      120_000,
      'live updates after showing the panel again',
    );
    console.log(
      `      shown again: replayed steps 0–${after.lastStep} (${after.stepPoints} points, stride ${after.stride}), then ${again.updates} live updates up to step ${again.lastStep}`,
    );

    // Chart lag: how long after a step is in metrics.jsonl the page shows it (to the decimation stride).
    // A figure printed, not a timed assertion (the machine's load decides it).
    const busy = await rendererBusy(w);
    const drawStats = () => p.locator('#training').evaluate((el) => ({ draws: Number(el.dataset.draws ?? 0), ms: Number(el.dataset.drawMs ?? 0) }));
    const [busy0, draw0, wall0] = [await busy(), await drawStats(), Date.now()];
    const { lags, unresolved } = await chartLags(w.page, runDirOf(firstRun), 8_000);
    const [busy1, draw1, wall1] = [await busy(), await drawStats(), Date.now()];
    const sorted = [...lags].sort((x, y) => x - y);
    const median = sorted.length ? `${sorted[Math.floor(sorted.length / 2)]} ms` : 'n/a';
    const max = sorted.length ? `${sorted[sorted.length - 1]} ms` : 'n/a';
    const secs = (wall1 - wall0) / 1000;
    console.log(
      `      CHART LAG: median ${median}, max ${max} over ${lags.length} samples in 8 s (page behind metrics.jsonl); ` +
        `${unresolved.length} sample(s) still not shown after 30 s more${unresolved.length ? ` (oldest ${unresolved[0]} ms)` : ''}; load average ${os.loadavg()[0].toFixed(1)}`,
    );
    console.log(
      `      RENDERER: main thread busy ${((100 * (busy1 - busy0)) / secs).toFixed(0)} % of ${secs.toFixed(1)} s; ` +
        `the panel drew its charts ${draw1.draws - draw0.draws} times (${((draw1.ms - draw0.ms) / Math.max(1, draw1.draws - draw0.draws)).toFixed(0)} ms each)`,
    );

    // Stop: "Stopping…" at once, the run ends as stopped; the panel holds exactly what the run store holds
    // "Stopping…" may last less than a polling interval when the worker stops at once: a MutationObserver
    // on the page (the header is re-rendered, so the button element is replaced) records when the Stop
    // button first showed it, disabled.
    await p.locator('body').evaluate((body) => {
      const w = window as unknown as { stoppingAt?: number };
      delete w.stoppingAt;
      const seen = () => {
        const b = body.ownerDocument.getElementById('stop-button') as HTMLButtonElement | null;
        if (w.stoppingAt === undefined && b?.disabled && /Stopping/.test(b.textContent ?? '')) w.stoppingAt = Date.now();
      };
      new MutationObserver(seen).observe(body, { attributes: true, childList: true, characterData: true, subtree: true });
    });
    const stepsAtClick = stepsOnDisk();
    const tClick = Date.now();
    await p.locator('#stop-button').click();
    await p.locator('#training[data-status="stopped"]').waitFor({ timeout: 120_000 });
    const tStopped = Date.now();
    const tStopping = await p.locator('body').evaluate(() => (window as unknown as { stoppingAt?: number }).stoppingAt);
    assert.ok(tStopping !== undefined, 'the Stop button showed "Stopping…", disabled, before the run ended');
    const stepsAfterClick = stepsOnDisk() - stepsAtClick;
    console.log(
      `      STOP LATENCY: "Stopping…" shown ${tStopping - tClick} ms after the click; the run stopped ${tStopped - tClick} ms after it; ` +
        `${stepsAfterClick} step(s) were written after the click`,
    );
    await p.locator('#run-button:not([disabled])').waitFor({ timeout: 30_000 });
    const done = await trainingData(w.page);
    const ev = events(runDirOf(firstRun));
    const steps = ev.filter((e) => e.kind === 'step').length;
    const epochs = ev.filter((e) => e.kind === 'epoch').length;
    console.log(
      `      stopped: page ${done.stepPoints} points (stride ${done.stride}), ${done.epochs} epochs, ${done.updates} updates; store ${steps} steps, ${epochs} epochs`,
    );
    assert.strictEqual(done.runId, firstRun);
    assert.strictEqual(done.duplicates, '0');
    // a long run is decimated by the host: each point covers `stride` consecutive steps, none missing
    const stride = Number(done.stride);
    assert.strictEqual(Number(done.stepPoints), Math.ceil(steps / stride));
    assert.strictEqual(done.firstStep, '0');
    assert.strictEqual(Number(done.lastStep), Math.floor((steps - 1) / stride) * stride);
    assert.strictEqual(Number(done.epochs), epochs);
    await scrollPanelTo(w.page, '#training');
    await shot(w.page, 'panel-04-stopped-dark');
  });

  test('after a window reload the panel is restored with the whole history', async () => {
    await runCommand(w.page, 'Developer: Reload Window');
    await w.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const p = panel(w.page);
    await p.locator(`#training[data-run-id="${firstRun}"][data-status="stopped"]`).waitFor({ timeout: 90_000 });
    const d = await trainingData(w.page);
    const steps = events(runDirOf(firstRun)).filter((e) => e.kind === 'step').length;
    assert.strictEqual(Number(d.stepPoints), Math.ceil(steps / Number(d.stride)));
    assert.strictEqual(Number(d.lastStep), Math.floor((steps - 1) / Number(d.stride)) * Number(d.stride));
    assert.strictEqual(d.duplicates, '0');
  });

  test('a second, shorter run; the comparison lists only the settings that differ, and the best epochs', async () => {
    const p = panel(w.page);
    const epochsField = p.locator('input[data-key="stage-epochs:1"]');
    await epochsField.fill('3');
    await epochsField.press('Enter');
    const shorter = original.replace('"epochs": 100,', '"epochs": 3,');
    await until(() => read() === shorter, 30_000, 'stage 2 with 3 epochs in the file');
    await p.locator('#run-button:not([disabled])').waitFor({ timeout: 15_000 });
    await p.locator('#run-button').click();
    await until(
      async () => {
        const d = await trainingData(w.page);
        return d.runId && d.runId !== firstRun && d.status === 'completed';
      },
      300_000,
      'the second run to complete',
    );
    await p.locator('#run-table tr[data-run] input[type="checkbox"]').first().check();
    await p.locator('#run-table tr[data-run] input[type="checkbox"]').nth(1).check();
    await p.locator('#compare-button').click();
    await p.locator('#compare-table').waitFor({ timeout: 30_000 });
    const settings = await p.locator('#compare-table tr[data-setting]').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.setting ?? ''));
    console.log(`      differing settings: ${settings.join(', ')}`);
    assert.deepStrictEqual(settings, ['training.epochs', 'transfer.stages[1].epochs']);
    assert.match(await p.locator('#compare-table').innerText(), /best epoch/);
    await scrollPanelTo(w.page, '#comparison');
    await shot(w.page, 'panel-05-compare-dark');
    // restore the fixture
    await epochsField.fill('100');
    await epochsField.press('Enter');
    await until(() => read() === original, 30_000, 'the original file');
  });

  test('light and high-contrast themes', async () => {
    await scrollPanelTo(w.page, '#app');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shot(w.page, 'panel-06-light-layers');
    await scrollPanelTo(w.page, '#training');
    await shot(w.page, 'panel-07-light-training');
    await setTheme(w.page, 'Dark High Contrast', 'vscode-high-contrast');
    await shot(w.page, 'panel-08-high-contrast-training');
    await scrollPanelTo(w.page, '#app');
    await shot(w.page, 'panel-09-high-contrast-layers');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
  });

  test('no Content-Security-Policy violation in the panel', async () => {
    const inPage = await panel(w.page)
      .locator('body')
      .evaluate((b) => b.dataset.cspViolations ?? '');
    const lines = w.console.filter((l) => /Content.Security.Policy|Refused to (apply|load|execute|connect|frame)/i.test(l));
    console.log(`      CSP: page counter ${inPage}; console lines ${lines.length}${lines.length ? `:\n        ${lines.join('\n        ')}` : ''}`);
    assert.strictEqual(inPage, '0');
    assert.deepStrictEqual(lines, []);
  });
});
