/**
 * The experiment panel at 330 px, in the real VS Code (code-server + Chromium, packaged .vsix), on a
 * MobileNetV2 base (the miniature Teachable Machine export of the repository's fixtures): the layer
 * table scrolls sideways with every column kept, the layer list
 * filters by name, collapses by block and jumps to the cut, a running run's charts are in view
 * without scrolling, the focus ring is 2 px, and Tab past the last control (Shift+Tab past the first)
 * moves the focus to the next (previous) workbench part, as F6 does, instead of cycling back into the panel.
 * Screenshots (dark and light, 330 px) go to test-results/e2e/layout-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closePanelWorkbench, env, openFile, openPanelWorkbench, panel, runCommand, setTheme, shot, until, type Workbench } from './workbench.js';

const FILE = 'layout-mobilenet.transfer.json';
const REPO = path.join(__dirname, '..', '..');
const PHOTOS = path.join(REPO, 'test', 'fixtures', 'images', 'folder');

suite('the experiment panel at 330 px (code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;

  suiteSetup(async () => {
    fs.writeFileSync(
      path.join(env.workspace, FILE),
      JSON.stringify(
        {
          name: 'layout-mobilenet',
          base: { kind: 'model', path: path.join(REPO, 'test', 'fixtures', 'models', 'teachable', 'model.json') },
          data: {
            train: { kind: 'imageFolder', path: PHOTOS, classes: ['ants', 'bees'] },
            validation: { kind: 'imageFolder', path: PHOTOS, classes: ['ants', 'bees'] },
            image: { resize: 'cover', scale: 'symmetric' },
          },
          transfer: { strategy: 'fineTune', cutLayer: 'block_12_add', stages: [{ name: 'head', epochs: 400, freeze: { all: true } }] },
          training: { batchSize: 2 },
        },
        null,
        2,
      ),
    );
    w = await openPanelWorkbench();
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    fs.rmSync(path.join(env.workspace, FILE), { force: true });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && w)
      await shot(w.page, `layout-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  test('at 330 px the layer table keeps every column (scrolled sideways, index and name in view)', async () => {
    await openFile(w.page, FILE);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const p = panel(w.page);
    await p.locator('#layer-table tr[data-layer="block_12_add"].role-cut').waitFor({ timeout: 90_000 });
    // the panel alone in the window, the window 380 px wide: the webview is ~330 px
    await runCommand(w.page, 'View: Close Other Editors in Group').catch(() => undefined);
    await runCommand(w.page, 'View: Join All Editor Groups').catch(() => undefined);
    await w.page.setViewportSize({ width: 380, height: 900 });
    await w.page.waitForTimeout(1000);
    const width = await p.locator('body').evaluate((b) => b.clientWidth);
    console.log(`      panel width ${width} px`);
    assert.ok(width >= 300 && width <= 360, `panel ${width} px wide`);
    const heads = await p.locator('#layer-table thead th').evaluateAll((ths: HTMLElement[]) => ths.map((t) => t.textContent ?? ''));
    assert.deepStrictEqual(heads.slice(0, 8), ['#', 'Layer', 'Type', 'Output', 'Params', 'Frozen', 'Layer group', 'Cut']);
    const scroll = await p.locator('#layer-table').evaluate((t) => ({ wrap: t.parentElement!.clientWidth, table: t.scrollWidth }));
    assert.ok(scroll.table > scroll.wrap, `the table (${scroll.table} px) scrolls inside its ${scroll.wrap} px box`);
    // every column is reachable: scrolled fully right, the last header is in the box
    await p.locator('#layer-table').evaluate((t) => (t.parentElement!.scrollLeft = 10_000));
    await w.page.waitForTimeout(300);
    const lastHead = await p
      .locator('#layer-table thead th:nth-child(8)')
      .evaluate((th) => th.getBoundingClientRect().right - th.closest('.table-wrap')!.getBoundingClientRect().right);
    assert.ok(lastHead <= 1, `the Cut column ends ${lastHead} px past the box`);
    await shot(w.page, 'layout-01-330px-layers-scrolled-dark');
    await p.locator('#layer-table').evaluate((t) => (t.parentElement!.scrollLeft = 0));
  });

  test('the layer list filters by name, collapses by block and jumps to the cut', async () => {
    const p = panel(w.page);
    const visibleRows = () =>
      p.locator('#layer-table tbody tr[data-layer]:not([hidden])').evaluateAll((trs: HTMLElement[]) => trs.map((t) => t.dataset.layer ?? ''));
    const all = await visibleRows();
    assert.ok(all.length > 20, `${all.length} layers`);
    // filter
    await p.locator('#layer-filter').fill('block_14_');
    const filtered = await until(
      async () => {
        const v = await visibleRows();
        return v.length < all.length ? v : undefined;
      },
      10_000,
      'the filter to hide rows',
    );
    assert.ok(filtered.length > 0 && filtered.every((n) => n.includes('block_14_')), filtered.join(', '));
    assert.deepStrictEqual(
      filtered,
      all.filter((n) => n.includes('block_14_')),
    );
    assert.match(await p.locator('#layer-matches').innerText(), new RegExp(`^${filtered.length} of ${all.length} layers$`));
    await shot(w.page, 'layout-02-330px-filtered-dark');
    await p.locator('#layer-filter').fill('');
    // collapse one block with its header button, then all
    const toggle = p.locator('button[data-key="block:block_14"]');
    await toggle.click();
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'false');
    const collapsed = await visibleRows();
    assert.deepStrictEqual(
      collapsed,
      all.filter((n) => !n.startsWith('block_14_')),
    );
    await p.locator('#collapse-blocks').click();
    const none = await visibleRows();
    assert.ok(
      none.every((n) => !/^block_\d+_/.test(n)),
      none.join(', '),
    );
    await shot(w.page, 'layout-03-330px-blocks-collapsed-dark');
    // jump to the cut: its block opens, its row shows, its cut button has the focus
    await p.locator('#jump-to-cut').click();
    await p.locator('tr[data-layer="block_12_add"]:not([hidden])').waitFor({ timeout: 10_000 });
    const focused = () => p.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key ?? '');
    assert.strictEqual(await focused(), 'cut:block_12_add');
    // by keyboard (away and back), the focus ring shows
    await w.page.keyboard.press('Shift+Tab');
    await w.page.keyboard.press('Tab');
    assert.strictEqual(await focused(), 'cut:block_12_add');
    // the focus ring: 2 px in the theme's focus colour
    const ring = await p.locator('input[data-key="cut:block_12_add"]').evaluate((el) => getComputedStyle(el).outlineWidth);
    console.log(`      focus ring ${ring}`);
    assert.strictEqual(ring, '2px');
    await shot(w.page, 'layout-04-330px-jumped-to-cut-dark');
    await p.locator('#collapse-blocks').click(); // expand all again
  });

  test('while a run trains, its charts are in view without scrolling; dark and light at 330 px', async () => {
    const p = panel(w.page);
    await p.locator('#app').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await p.locator('#run-button').click();
    await p.locator('#training[data-status="running"]').waitFor({ timeout: 120_000 });
    await w.page.waitForTimeout(1500);
    const box = await p
      .locator('#chart-step-loss')
      .evaluate((c) => ({ top: c.getBoundingClientRect().top, bottom: c.getBoundingClientRect().bottom, view: window.innerHeight }));
    console.log(`      step-loss chart at ${Math.round(box.top)}-${Math.round(box.bottom)} px of a ${box.view} px panel, without scrolling`);
    assert.ok(box.bottom <= box.view, `the chart ends at ${box.bottom} px, the panel shows ${box.view} px`);
    await shot(w.page, 'layout-05-330px-running-dark');
    await setTheme(w.page, 'Light Modern', 'vscode-light');
    await shot(w.page, 'layout-06-330px-running-light');
    await p.locator('#layer-table').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await w.page.waitForTimeout(300);
    await shot(w.page, 'layout-07-330px-layers-light');
    // The run (MobileNetV2 features on photos) may finish while the screenshots are taken: Stop is then
    // disabled between the check and the click. Only a Stop that stays enabled and cannot be clicked fails.
    const stop = p.locator('#stop-button:not([disabled])');
    if ((await stop.count()) > 0) {
      await stop.click({ timeout: 10_000 }).catch(async (e: unknown) => {
        if ((await stop.count()) > 0) throw e;
        console.log('      the run ended before Stop was clicked');
      });
    }
    await p.locator('#run-button:not([disabled])').waitFor({ timeout: 120_000 });
    // the runs table keeps its columns too (scrolled sideways)
    await p.locator('#run-table').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const runsScroll = await p.locator('#run-table').evaluate((t) => ({
      wrap: t.parentElement!.clientWidth,
      table: t.scrollWidth,
      heads: Array.from(t.querySelectorAll('thead th')).map((x) => x.textContent),
    }));
    console.log(`      runs table ${runsScroll.table} px in a ${runsScroll.wrap} px box: ${runsScroll.heads.join(' | ')}`);
    assert.ok(runsScroll.table <= runsScroll.wrap || (await p.locator('#run-table').evaluate((t) => getComputedStyle(t.parentElement!).overflowX)) === 'auto');
    await shot(w.page, 'layout-08-330px-runs-light');
    await setTheme(w.page, 'Dark Modern', 'vscode-dark');
    await w.page.setViewportSize({ width: 1400, height: 900 });
  });

  test('Tab past the last control leaves the panel for the status bar, Shift+Tab past the first too; the Tab after that is the workbench’s, never the page body', async () => {
    const p = panel(w.page);
    await p.locator('#app').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    /** Focuses the first or last control the keyboard reaches in the panel; returns a name for it. */
    const focusEnd = (which: 'first' | 'last') =>
      p.locator('body').evaluate((_b, end) => {
        const sel =
          'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
        const all = Array.from(document.querySelectorAll<HTMLElement>(sel)).filter((e) => e.getClientRects().length > 0 && !e.closest('[hidden], [inert]'));
        const el = end === 'first' ? all[0]! : all[all.length - 1]!;
        el.focus();
        return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.dataset.key ? `[${el.dataset.key}]` : ''} (${all.length} controls)`;
      }, which);
    /** Where the focus is: in the panel (its element) or out of it (the workbench element that has it). */
    const where = async () => {
      const inner = await p.locator('body').evaluate(() => ({
        has: document.hasFocus(),
        el: document.activeElement?.tagName.toLowerCase() + (document.activeElement?.id ? '#' + document.activeElement.id : ''),
      }));
      const outer = await w.page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a ? `${a.tagName.toLowerCase()}.${String(a.className).split(' ').slice(0, 2).join('.')}` : 'none';
      });
      return { inPanel: inner.has && inner.el !== 'body', inner: inner.el, outer };
    };
    for (const [which, key] of [
      ['last', 'Tab'],
      ['first', 'Shift+Tab'],
    ] as const) {
      const from = await focusEnd(which);
      assert.ok((await where()).inPanel, `${from} did not take the focus`);
      await w.page.keyboard.press(key);
      await w.page.waitForTimeout(300);
      const to = await where();
      console.log(
        `      ${key} from the ${which} control ${from}: focus ${to.inPanel ? 'in the panel on ' + to.inner : 'left the panel; the workbench has ' + to.outer}`,
      );
      assert.ok(!to.inPanel, `${key} from the ${which} control kept the focus in the panel (${to.inner})`);
      // it went to a workbench part (VS Code's Focus Next/Previous Part), not onto the page's body
      assert.ok(!/^(body|iframe)/.test(to.outer), `${key} left the focus on ${to.outer}`);
    }
    // The Tab after that, once the focus has reached the status bar (the first Tab leaves through the
    // extension host, so a user sees it move before pressing again), is the workbench's: it must not
    // fall onto the page's body (the old dead end). From the status bar the browser's order wraps to
    // the panel's first control, so Tab alone cycles panel ↔ status bar; F6 moves between the parts.
    await focusEnd('last');
    await w.page.keyboard.press('Tab');
    for (let i = 0; i < 20 && (await where()).inPanel; i++) await w.page.waitForTimeout(100);
    const out = await where();
    assert.ok(!out.inPanel && /statusbar/.test(out.outer), `the first Tab did not reach the status bar (${out.inPanel ? out.inner : out.outer})`);
    await w.page.keyboard.press('Tab');
    await w.page.waitForTimeout(300);
    const next = await where();
    console.log(`      Tab, then Tab from the status bar: ${next.inPanel ? 'in the panel on ' + next.inner : 'the workbench has ' + next.outer}`);
    assert.ok(next.inPanel ? next.inner !== 'body' : !/^body/.test(next.outer), `the Tab after the status bar left the focus on the body`);
  });
});
