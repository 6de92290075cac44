/**
 * UI end-to-end of the run view's note on skipped files in the real VS Code (code-server + Chromium,
 * the packaged .vsix): a real run from the palette on a copy of the fixture photos plus one corrupt
 * JPEG (its first 600 bytes); the run's summary.json records it and the panel's training status line
 * says "1 file skipped (…)" with the file in its tooltip. Screenshot: test-results/e2e/skipped-01-dark.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closePanelWorkbench, env, openFile, openPanelWorkbench, panel, runCommand, shot, summaries, until, type Workbench } from './workbench.js';

const FILE = 'skip-photos.transfer.json';
const EXPERIMENT = 'skip-photos';
const DATA = 'skip-photos-data';

suite('skipped files in the experiment panel (webview in code-server + Chromium, packaged .vsix)', () => {
  let w: Workbench;

  suiteSetup(async () => {
    // Four photos of each class from the fixture workspace, and a truncated copy of one among the ants.
    for (const cls of ['ants', 'bees']) {
      const from = path.join(env.workspace, 'photos', cls);
      const to = path.join(env.workspace, DATA, cls);
      fs.mkdirSync(to, { recursive: true });
      for (const f of fs.readdirSync(from).sort().slice(0, 4)) fs.copyFileSync(path.join(from, f), path.join(to, f));
    }
    const ant = fs.readdirSync(path.join(env.workspace, DATA, 'ants')).sort()[0]!;
    fs.writeFileSync(path.join(env.workspace, DATA, 'ants', 'cut-short.jpg'), fs.readFileSync(path.join(env.workspace, DATA, 'ants', ant)).subarray(0, 600));
    fs.writeFileSync(
      path.join(env.workspace, FILE),
      JSON.stringify(
        {
          name: EXPERIMENT,
          base: { kind: 'builtin', architecture: 'smallCnn', inputShape: [32, 32, 3] },
          data: { train: { kind: 'imageFolder', path: DATA }, split: { validation: 0.25, test: 0 } },
          transfer: { strategy: 'scratch' },
          training: { epochs: 1, batchSize: 4, seed: 3 },
        },
        null,
        2,
      ),
    );
    w = await openPanelWorkbench();
  });
  suiteTeardown(async () => {
    await closePanelWorkbench(w);
    for (const p of [FILE, DATA, path.join('.transfer-lab', 'runs', EXPERIMENT)]) fs.rmSync(path.join(env.workspace, p), { recursive: true, force: true });
  });

  test('a run that skipped a corrupt photo says so in the run view, the file in the tooltip', async () => {
    await openFile(w.page, FILE);
    await runCommand(w.page, 'Transfer Lab: Run Experiment');
    const run = await until(() => summaries(EXPERIMENT).find((s) => s.status === 'completed'), 180_000, 'a completed run of skip-photos');
    assert.strictEqual(run.skipped?.count, 1);
    await runCommand(w.page, 'Transfer Lab: Open Experiment Panel');
    const note = panel(w.page).locator('#training-skipped');
    await note.waitFor({ timeout: 90_000 });
    assert.match(await note.innerText(), /1 file skipped \(.+ 1\)/);
    assert.match((await note.getAttribute('title')) ?? '', /cut-short\.jpg/);
    await runCommand(w.page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await shot(w.page, 'skipped-01-dark');
  });
});
