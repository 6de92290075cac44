/**
 * Driving VS Code's web workbench (code-server) with playwright-core: opening it, the command palette,
 * quick open, the Transfer Lab sidebar, the Problems panel, screenshots. Selectors follow VS Code 1.139's
 * DOM (the same classes VS Code's own smoke tests use).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { RunSummary } from '../../src/core/runs/events.js';

export { until } from '../shared/until.js';

/** Harness environment (test/harness/run-suite.sh). */
export const env = {
  url: process.env.CS_URL ?? 'http://127.0.0.1:8080',
  workspace: process.env.WS ?? '',
  out: process.env.OUT ?? path.resolve('test-results/e2e'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
};

/** An open workbench window. */
export interface Workbench {
  context: BrowserContext;
  page: Page;
  console: string[];
  profile: string;
}

/** Launches Chromium and opens the workbench on the test workspace; waits for the Transfer Lab activity-bar entry. */
export async function openWorkbench(): Promise<Workbench> {
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
  await page.goto(`${env.url}/?folder=${encodeURIComponent(env.workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await activityBarItem(page).waitFor({ timeout: 90_000 });
  return { context, page, console: lines, profile };
}

/** Closes the browser, keeps its console in test-results. */
export async function closeWorkbench(w: Workbench | undefined): Promise<void> {
  if (!w) return;
  fs.mkdirSync(env.out, { recursive: true });
  fs.writeFileSync(path.join(env.out, 'browser-console.log'), w.console.join('\n') + '\n');
  await w.context.close();
  fs.rmSync(w.profile, { recursive: true, force: true });
}

/** Opens the workbench for the panel suites: no side bars, so the JSON and the panel sit side by side. */
export async function openPanelWorkbench(): Promise<Workbench> {
  const w = await openWorkbench();
  await runCommand(w.page, 'Close Primary Side Bar').catch(() => undefined);
  await runCommand(w.page, 'Hide Secondary Side Bar').catch(() => undefined);
  await w.page.keyboard.press('Escape');
  return w;
}

/** Closes every editor (the panels with them), then the workbench. */
export async function closePanelWorkbench(w: Workbench | undefined): Promise<void> {
  if (w) {
    await runCommand(w.page, 'View: Close All Editors').catch(() => undefined);
    await w.page.waitForTimeout(500);
  }
  await closeWorkbench(w);
}

/** Picks a colour theme through "Preferences: Color Theme" and waits for the experiment panel to take it (its body gets `bodyClass`). */
export async function setTheme(page: Page, name: string, bodyClass: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await panel(page).locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(700); // charts re-coloured
}

/** Saves a screenshot as test-results/e2e/<name>.png and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(env.out, { recursive: true });
  const file = path.join(env.out, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The experiment panel's page: the visible webview's inner frame. */
export function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
}

/** Closes the notification toasts (they would cover the panel in screenshots) and any open quick input. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await page.keyboard.press('Escape');
}

/**
 * Scrolls the experiment panel so that `selector` is just below its sticky header, waits for the
 * scroll to settle (500 ms) and saves a screenshot as test-results/e2e/<name>.png.
 */
export async function panelShot(page: Page, selector: string, name: string): Promise<void> {
  await panel(page)
    .locator(selector)
    .evaluate((el) => {
      const header = el.ownerDocument.getElementById('top')?.getBoundingClientRect().height ?? 0;
      const win = el.ownerDocument.defaultView!;
      win.scrollTo(0, Math.max(0, el.getBoundingClientRect().top + win.scrollY - header - 8));
    });
  await page.waitForTimeout(500);
  await shot(page, name);
}

/** Summaries of an experiment's runs in the test workspace's run store (`.transfer-lab/runs/<experiment>`). */
export function summaries(experiment: string): RunSummary[] {
  const dir = path.join(env.workspace, '.transfer-lab', 'runs', experiment);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((id) => path.join(dir, id, 'summary.json'))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as RunSummary);
}

/** The Transfer Lab entry of the activity bar. */
export function activityBarItem(page: Page): Locator {
  return page.locator('.activitybar [aria-label^="Transfer Lab"]').first();
}

/** Rows of the sidebar (the Experiments view once {@link showSidebar} has run). */
export function treeRows(page: Page): Locator {
  return page.locator('.part.sidebar .monaco-list-row');
}

/**
 * The Experiments-view row of a run of `experiment` in `status` (rows carry
 * `Run <id> of <experiment>, <status>, <description>` as aria-label): other experiments' runs —
 * analysis runs, other suites' runs — never match.
 */
export function runRow(page: Page, experiment: string, status: string, extra = ''): Locator {
  return page.locator(`.part.sidebar .monaco-list-row[aria-label*=" of ${experiment}, ${status},"]${extra}`).first();
}

/** Opens the Transfer Lab sidebar (no-op when it is showing). */
export async function showSidebar(page: Page): Promise<void> {
  const title = page.locator('.part.sidebar .composite.title').filter({ hasText: 'Transfer Lab' }).first();
  if (!(await title.isVisible())) await activityBarItem(page).click();
  await title.waitFor({ timeout: 20_000 });
}

/** Drags the sidebar's right edge so that it is `width` pixels wide (room for run descriptions). */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').first().boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

async function quickInput(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text, { timeout: 10_000 });
}

/**
 * Opens the quick input with `text` and clicks the row labelled `label`. VS Code hides the quick input
 * when focus leaves it: an editor that takes focus as it finishes opening (the Welcome walkthrough
 * focuses its step once its slide has rendered; a just-opened file's editor) can close it under the
 * test, before the row is clicked — then the command never ran, and the gesture is repeated (logged).
 * A row missing from a quick input that stays open is retried too (see below), at most 3 attempts.
 */
async function quickPick(page: Page, text: string, label: string, rowTimeout: number): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  const widget = page.locator('.quick-input-widget');
  for (let i = 1; ; i++) {
    try {
      await quickInput(page, text);
      await row.waitFor({ timeout: rowTimeout });
      await row.click({ timeout: 10_000 });
      return;
    } catch (e) {
      if (i >= 3) throw e;
      // Still open without the row: the palette lists commands as they stood when it opened, and right
      // after a workbench starts, commands shown only in a trusted workspace (`isWorkspaceTrusted`) are
      // missing until workspace trust has initialised. Reopen it.
      if (await widget.isVisible()) console.log(`      ("${label}" was not listed when the quick input opened; reopening it)`);
      else console.log(`      (the quick input closed before "${label}" was clicked: focus moved away; again)`);
      await page.waitForTimeout(1000);
    }
  }
}

/** Runs a command from the palette by its full title (`Category: Title`). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickPick(page, `>${title}`, title, 15_000);
}

/** Opens a workspace file with Quick Open and waits for its tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await quickPick(page, name, name, 20_000);
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: 15_000 });
}

/** Picks an entry of an open quick pick by its label. */
export async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Types into an open input box and accepts it. */
export async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/**
 * Clicks an item of an open context menu. VS Code's menu items listen for mouse-up only from 100 ms
 * after they render (a RunOnceScheduler, `runOnceToEnableMouseUp` in base/browser/ui/menu/menu.ts, so
 * that releasing the right button that opened the menu does not trigger the item under it); a click
 * sooner — Playwright clicks as soon as the item is visible and stable, and on a busy machine the timer
 * fires late — is swallowed and the menu stays open. So: click, and click again while the menu is still
 * there (a swallowed click left it open; a taken one closes it). Returns the clicks it took.
 */
export async function clickMenuItem(page: Page, item: Locator): Promise<number> {
  const menu = page.locator('.monaco-menu').first();
  for (let clicks = 1; ; clicks++) {
    try {
      await item.click({ timeout: 5_000 });
    } catch (e) {
      if (!(await menu.isVisible())) return clicks - 1; // the previous click closed it after all
      throw e;
    }
    try {
      await menu.waitFor({ state: 'hidden', timeout: 1_500 });
      return clicks;
    } catch (e) {
      if (clicks >= 10) throw e;
    }
  }
}
