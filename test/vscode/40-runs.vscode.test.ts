/**
 * Real runs in the real worker (300 MNIST digits, one short epoch), the tree after them, every run
 * command, stop, a crashed worker, the concurrency cap and a bad runtime setting — and after each,
 * no worker process left behind.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/runs/events.js';
import type { StartedRun } from '../../src/extension/commands/runCommands.js';
import type { RunOutcome } from '../../src/extension/runs/runManager.js';
import type { ComparisonView } from '../../src/protocol/webview.js';
import type { RunNode } from '../../src/extension/tree/experimentsTree.js';
import { alive, api, runNodes, setSetting, waitFor, workerChildren, wsUri } from './helpers.js';

const run = (file: string) => vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri(file));
const summaryOf = (runDir: string) => JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;

async function itemOf(node: RunNode): Promise<vscode.TreeItem> {
  return (await api()).tree.getTreeItem(node);
}

async function runNode(experiment: string, runId: string): Promise<RunNode> {
  return waitFor(async () => (await runNodes(experiment)).find((n) => n.record.runId === runId), 20_000, `run ${runId} in the tree`);
}

async function assertNoWorkers(pid?: number): Promise<void> {
  if (pid !== undefined) await waitFor(() => !alive(pid), 10_000, `worker ${pid} to be gone`);
  assert.deepStrictEqual(workerChildren(), [], 'worker processes left under the extension host');
}

suite('runs (real worker, real MNIST digits)', () => {
  let completed: StartedRun;
  let stopped: StartedRun;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'transfer-lab-export-'));

  // A failed test must not leave its run behind for the next one (each test starts from no worker).
  teardown(async () => {
    await (await api()).runs.stopAll(2_000);
  });

  suiteTeardown(async () => {
    await setSetting('maxConcurrentRuns', undefined);
    await setSetting('nodePath', undefined);
    await setSetting('runsDirectory', undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Run Experiment trains tiny-digits to completion in the worker', async () => {
    const a = await api();
    const t0 = Date.now();
    const started = await run('tiny-digits.transfer.json');
    assert.ok(started?.runId, 'no run started');
    completed = started;
    assert.ok(alive(started.pid), 'worker not running after start');
    const active = a.runs.find(started.runId);
    assert.ok(active, 'run not tracked');
    const outcome = await active.done;
    console.log(`    tiny-digits: ${outcome.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s, best val acc ${outcome.summary?.best?.valAccuracy}`);
    assert.strictEqual(outcome.status, 'completed', outcome.message);
    assert.strictEqual(outcome.exitCode, 0);
    const s = summaryOf(started.runDir);
    assert.strictEqual(s.status, 'completed');
    assert.strictEqual(s.epochsDone, 1);
    assert.strictEqual(s.examples?.train, 240);
    await assertNoWorkers(started.pid);
  });

  test('the tree shows the completed run with its status icon, best metric and tooltip', async () => {
    const node = await runNode('tiny-digits', completed.runId);
    const item = await itemOf(node);
    assert.strictEqual(item.contextValue, 'run.completed');
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.match(String(item.description), /^val acc \d+\.\d%$/);
    const tip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /tiny-digits/);
    assert.match(tip, /Strategy:\*\* scratch/);
    assert.match(tip, /Backend:\*\* (wasm|tensorflow)/);
    assert.match(tip, /240 train \/ 60 val/);
    assert.strictEqual(item.command?.command, 'transferLab.openPanel');
  });

  test('Open Run Summary, Open Run Folder and Open Experiment Panel act on the run', async () => {
    const node = await runNode('tiny-digits', completed.runId);
    // The readable summary: epochs from 1, seconds rounded, the raw summary.json one link away.
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('transferLab.openRunSummary', node);
    const text = doc?.getText() ?? '';
    const raw = summaryOf(completed.runDir);
    assert.match(text, new RegExp(`^# tiny-digits — run ${completed.runId}$`, 'm'));
    assert.ok(text.includes(`](${vscode.Uri.file(path.join(completed.runDir, 'summary.json')).toString()})`), text);
    if (raw.bestEpoch !== undefined) assert.match(text, new RegExp(`^\\| best epoch \\| ${raw.bestEpoch + 1} `, 'm'));
    assert.match(text, new RegExp(`^\\| time \\| ${Math.round(raw.seconds)} s`, 'm'));
    assert.match(text, /^\| macro avg \| /m);
    const folder = await vscode.commands.executeCommand<vscode.Uri>('transferLab.openRunFolder', completed.runDir);
    assert.strictEqual(folder?.fsPath, completed.runDir);
    // The panel (a webview, or a text editor before it existed) opens as the active tab.
    for (const target of [node, wsUri('tiny-digits.transfer.json')]) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('transferLab.openPanel', target);
      const tab = await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab, 10_000, 'the panel tab');
      assert.match(tab.label, /tiny-digits|summary\.json/, `unexpected tab "${tab.label}"`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Export Model copies the best checkpoint (model.json + weights)', async () => {
    const node = await runNode('tiny-digits', completed.runId);
    const dest = await vscode.commands.executeCommand<vscode.Uri>('transferLab.exportModel', node, { checkpoint: 'best', target: vscode.Uri.file(tmp) });
    assert.ok(dest, 'nothing exported');
    const files = fs.readdirSync(dest.fsPath).sort();
    assert.ok(files.includes('model.json'), `exported ${files}`);
    assert.ok(
      files.some((f) => f.endsWith('.bin')),
      `no weights in ${files}`,
    );
    const model = JSON.parse(fs.readFileSync(path.join(dest.fsPath, 'model.json'), 'utf8')) as { modelTopology?: unknown };
    assert.ok(model.modelTopology, 'model.json has no topology');
  });

  test('Stop Run stops a long run gracefully: status stopped, checkpoint kept, worker gone', async () => {
    const a = await api();
    const started = await run('slow-digits.transfer.json');
    assert.ok(started?.runId);
    stopped = started;
    const active = a.runs.find(started.runId)!;
    await waitFor(() => active.epochsDone >= 1, 120_000, 'the first epoch of slow-digits');
    const node = await runNode('slow-digits', started.runId);
    assert.strictEqual((await itemOf(node)).contextValue, 'run.running');
    assert.strictEqual(((await itemOf(node)).iconPath as vscode.ThemeIcon).id, 'sync~spin');
    const outcome = await vscode.commands.executeCommand<RunOutcome>('transferLab.stopRun', node);
    assert.strictEqual(outcome?.status, 'stopped', outcome?.message);
    assert.strictEqual(summaryOf(started.runDir).status, 'stopped');
    assert.ok(fs.existsSync(path.join(started.runDir, 'checkpoints', 'last', 'model.json')), 'no last checkpoint after stop');
    await assertNoWorkers(started.pid);
    const item = await itemOf(await runNode('slow-digits', started.runId));
    assert.strictEqual(item.contextValue, 'run.stopped');
    assert.match(String(item.description), /^stopped/);
  });

  test("the Experiments view keeps rendering a running run's epochs, also after full refreshes (the items VS Code fetches itself)", async () => {
    const a = await api();
    await vscode.commands.executeCommand('transferLab.experiments.focus');
    // Record what the view itself fetches: the tree's getTreeItem, called by VS Code when it re-renders.
    // The test never calls getChildren here (that would hand the tree nodes the view does not hold).
    let runId: string | undefined;
    let shownEpoch = -1;
    const tree = a.tree;
    const getTreeItem = tree.getTreeItem.bind(tree);
    tree.getTreeItem = (node) => {
      const item = getTreeItem(node);
      const m = node.kind === 'run' && node.record.runId === runId ? /^epoch (\d+)\//.exec(String(item.description)) : null;
      if (m) shownEpoch = Math.max(shownEpoch, Number(m[1]));
      return item;
    };
    try {
      const started = await run('slow-digits.transfer.json');
      assert.ok(started?.runId);
      runId = started.runId;
      const active = a.runs.find(started.runId)!;
      // The run reports every step (~30 ms) while whole-tree refreshes happen (new runs, file events, the
      // Refresh button): the view must still get to re-render. Epochs take 0.5 s; the waits are generous.
      for (let i = 0; i < 3; i++) {
        await vscode.commands.executeCommand('transferLab.refresh');
        const target = active.epochsDone + 2;
        await waitFor(() => active.epochsDone >= target, 120_000, `epoch ${target} of slow-digits`);
        await waitFor(() => shownEpoch >= target, 15_000, `the view to show epoch ${target}`).catch((e: Error) => {
          throw new Error(`${e.message} (it shows epoch ${shownEpoch}; the run is at ${active.epochsDone})`);
        });
      }
      await vscode.commands.executeCommand('transferLab.stopRun', started.runId);
      await assertNoWorkers(started.pid);
    } finally {
      delete (tree as Partial<typeof tree>).getTreeItem;
    }
  });

  test('a crashed worker marks its run failed and the tree shows it', async () => {
    const a = await api();
    const started = await run('slow-digits.transfer.json');
    assert.ok(started?.runId);
    const active = a.runs.find(started.runId)!;
    process.kill(started.pid, 'SIGKILL');
    const outcome = await active.done;
    assert.strictEqual(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /exited unexpectedly/);
    assert.strictEqual(summaryOf(started.runDir).status, 'failed');
    await assertNoWorkers(started.pid);
    const item = await itemOf(await runNode('slow-digits', started.runId));
    assert.strictEqual(item.contextValue, 'run.failed');
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'error');
  });

  test('a diverging run (absurd learning rate) ends diverged with a warning icon', async () => {
    const a = await api();
    const started = await run('diverge-digits.transfer.json');
    assert.ok(started?.runId);
    const outcome = await a.runs.find(started.runId)!.done;
    assert.strictEqual(outcome.status, 'diverged', outcome.message);
    await assertNoWorkers(started.pid);
    const item = await itemOf(await runNode('diverge-digits', started.runId));
    assert.strictEqual(item.contextValue, 'run.diverged');
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(item.description), /^diverged/);
  });

  test('the concurrency cap refuses a run beyond transferLab.maxConcurrentRuns', async () => {
    const a = await api();
    await setSetting('maxConcurrentRuns', 1);
    const first = await run('slow-digits.transfer.json');
    assert.ok(first?.runId);
    try {
      const second = await run('tiny-digits.transfer.json');
      assert.strictEqual(second, undefined, 'a second run started over the cap');
      assert.strictEqual(a.runs.active().length, 1);
    } finally {
      await vscode.commands.executeCommand('transferLab.stopRun', first.runId);
      await setSetting('maxConcurrentRuns', undefined);
    }
    await assertNoWorkers(first.pid);
  });

  test('one status-bar item per run, in the same words as its tree row; the items go when the runs end', async () => {
    const a = await api();
    // a second long experiment: slow-digits under another name
    const twin = wsUri('slow-twin.transfer.json').fsPath;
    fs.writeFileSync(twin, fs.readFileSync(wsUri('slow-digits.transfer.json').fsPath, 'utf8').replace('"slow-digits"', '"slow-twin"'));
    const first = await run('slow-digits.transfer.json');
    const second = await run('slow-twin.transfer.json');
    try {
      assert.ok(first?.runId && second?.runId);
      const runs = [a.runs.find(first.runId)!, a.runs.find(second.runId)!];
      await waitFor(() => runs.every((r) => r.step > 0), 120_000, 'both runs to take a step');
      const nodes = [await runNode('slow-digits', first.runId), await runNode('slow-twin', second.runId)];
      // both surfaces read at the same moment (no event in between)
      const texts = a.statusBarTexts();
      const rows = nodes.map((n) => String(a.tree.getTreeItem(n).description));
      console.log(`    status bar: ${texts.join(' | ')}; tree rows: ${rows.join(' | ')}`);
      assert.strictEqual(texts.length, 2, `one item per run: ${texts.join(' | ')}`);
      assert.match(rows[0], /^epoch \d+\/2000 · step \d+\/\d+$/);
      assert.deepStrictEqual(texts, [`$(sync~spin) slow-digits: ${rows[0]}`, `$(sync~spin) slow-twin: ${rows[1]}`]);
    } finally {
      if (first) await vscode.commands.executeCommand('transferLab.stopRun', first.runId);
      if (second) await vscode.commands.executeCommand('transferLab.stopRun', second.runId);
      fs.rmSync(twin, { force: true });
      fs.rmSync(path.join(path.dirname(twin), '.transfer-lab', 'runs', 'slow-twin'), { recursive: true, force: true });
    }
    await waitFor(() => a.statusBarTexts().length === 0, 10_000, 'the status-bar items to go');
    await assertNoWorkers();
  });

  test('a photo run shows its preparation in the status bar: decoding photos, then frozen features, then epochs', async () => {
    const a = await api();
    // the committed ants/bees photos and the miniature Teachable Machine MobileNetV2 of the repository
    const repo = path.join(__dirname, '..', '..');
    const photos = path.join(repo, 'test', 'fixtures', 'images', 'folder');
    const file = wsUri('photo-prep.transfer.json').fsPath;
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'photo-prep',
        base: { kind: 'model', path: path.join(repo, 'test', 'fixtures', 'models', 'teachable', 'model.json') },
        data: {
          train: { kind: 'imageFolder', path: photos, classes: ['ants', 'bees'] },
          validation: { kind: 'imageFolder', path: photos, classes: ['ants', 'bees'] },
          image: { resize: 'cover', scale: 'symmetric' },
        },
        transfer: { strategy: 'featureExtraction' },
        training: { epochs: 1, batchSize: 2 },
      }),
    );
    const seen: string[] = [];
    const record = () => {
      for (const t of a.statusBarTexts()) if (seen[seen.length - 1] !== t) seen.push(t);
    };
    const sub = a.runs.onDidChange(record);
    try {
      const started = await run('photo-prep.transfer.json');
      assert.ok(started?.runId);
      const outcome = await a.runs.find(started.runId)!.done;
      assert.strictEqual(outcome.status, 'completed', outcome.message);
      console.log(`    status bar: ${seen.join(' | ')}`);
      const at = (re: RegExp) => seen.findIndex((t) => re.test(t));
      assert.ok(at(/^\$\(sync~spin\) photo-prep: decoding photos \d\/6 \(train\)/) >= 0, seen.join('\n'));
      assert.ok(at(/photo-prep: frozen features 6\/6 \(train\)$/) > at(/decoding photos 6\/6 \(validation\)/), seen.join('\n'));
      assert.ok(at(/photo-prep: epoch 1\/1 · step \d+\/3$/) > at(/frozen features 6\/6 \(validation\)$/), seen.join('\n'));
    } finally {
      sub.dispose();
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(path.dirname(file), '.transfer-lab', 'runs', 'photo-prep'), { recursive: true, force: true });
    }
    await assertNoWorkers();
  });

  test('a bad transferLab.nodePath is checked before use and starts nothing', async () => {
    const a = await api();
    await setSetting('nodePath', '/no/such/node');
    try {
      assert.strictEqual(await run('tiny-digits.transfer.json'), undefined);
      assert.strictEqual(a.runs.active().length, 0);
    } finally {
      await setSetting('nodePath', undefined);
    }
  });

  test('Rename Run…, Edit Run Tags… and Edit Run Notes… write meta.json only; the tree and an open panel show them', async () => {
    const a = await api();
    const file = wsUri('tiny-digits.transfer.json').fsPath;
    await vscode.commands.executeCommand('transferLab.openPanel', wsUri('tiny-digits.transfer.json'));
    const untouched = ['summary.json', 'metrics.jsonl', 'config.json'].map((f) => fs.readFileSync(path.join(completed.runDir, f), 'utf8'));
    const node = await runNode('tiny-digits', completed.runId);
    await vscode.commands.executeCommand('transferLab.renameRun', node, { value: '  first try  ' });
    await vscode.commands.executeCommand('transferLab.editRunTags', node, { value: '#Baseline, digits baseline' });
    await vscode.commands.executeCommand('transferLab.editRunNotes', completed.runDir, { value: 'one epoch\\nsmall CNN' });
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(completed.runDir, 'meta.json'), 'utf8')), {
      name: 'first try',
      tags: ['baseline', 'digits'],
      notes: 'one epoch\nsmall CNN',
    });
    assert.deepStrictEqual(
      ['summary.json', 'metrics.jsonl', 'config.json'].map((f) => fs.readFileSync(path.join(completed.runDir, f), 'utf8')),
      untouched,
    );
    // The tree: the name as the label, the start time and tags in the description, the notes in the tooltip.
    const item = await waitFor(
      async () => {
        const it = await itemOf(await runNode('tiny-digits', completed.runId));
        return it.label === 'first try' && /#digits/.test(String(it.description)) ? it : undefined;
      },
      10_000,
      'the name in the tree',
    );
    assert.match(String(item.description), /val acc \d+\.\d% · #baseline #digits$/);
    const tip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /\*\*first try\*\*/);
    assert.match(tip, /Tags: `baseline` `digits`/);
    assert.match(tip, /one epoch {2}\nsmall CNN/);
    // The open panel's run table.
    await waitFor(() => a.panelRuns(file)?.runs.find((r) => r.runId === completed.runId)?.name === 'first try', 10_000, 'the name in the panel');
    const row = a.panelRuns(file)!.runs.find((r) => r.runId === completed.runId)!;
    assert.deepStrictEqual([row.tags, row.notes], [['baseline', 'digits'], 'one epoch\nsmall CNN']);
    // The panel's Rename button runs the same command (here with the run already named: an empty name removes it).
    await vscode.commands.executeCommand('transferLab.renameRun', completed.runDir, { value: '' });
    await waitFor(() => a.panelRuns(file)?.runs.find((r) => r.runId === completed.runId)?.name === undefined, 10_000, 'the name removed');
    await vscode.commands.executeCommand('transferLab.renameRun', completed.runDir, { value: 'first try' });
  });

  test('a bad value or a broken meta.json is refused with the file named; nothing is written', async () => {
    const metaFile = path.join(completed.runDir, 'meta.json');
    const before = fs.readFileSync(metaFile, 'utf8');
    assert.strictEqual(await vscode.commands.executeCommand('transferLab.editRunTags', completed.runDir, { value: 'ok, -bad' }), undefined);
    assert.strictEqual(fs.readFileSync(metaFile, 'utf8'), before);
    fs.writeFileSync(metaFile, '{"name": "half');
    try {
      assert.strictEqual(await vscode.commands.executeCommand('transferLab.renameRun', completed.runDir, { value: 'x' }), undefined);
      assert.strictEqual(fs.readFileSync(metaFile, 'utf8'), '{"name": "half');
      const item = await waitFor(
        async () => {
          const it = await itemOf(await runNode('tiny-digits', completed.runId));
          return /not valid JSON/.test((it.tooltip as vscode.MarkdownString).value) ? it : undefined;
        },
        10_000,
        'the bad meta.json in the tooltip',
      );
      assert.match((item.tooltip as vscode.MarkdownString).value, /meta\.json: not valid JSON/);
    } finally {
      fs.writeFileSync(metaFile, before);
    }
  });

  test('Compare Runs… on runs of two experiments opens the panel comparison: overlaid epochs, only the settings that differ', async () => {
    const a = await api();
    const docsBefore = vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
    const view = await vscode.commands.executeCommand<ComparisonView | undefined>('transferLab.compareRuns', [completed.runDir, stopped.runDir]);
    assert.ok(view, 'no comparison');
    assert.deepStrictEqual(
      view.runs.map((r) => [r.experiment, r.runId, r.status]),
      [
        ['tiny-digits', completed.runId, 'completed'],
        ['slow-digits', stopped.runId, 'stopped'],
      ],
    );
    assert.strictEqual(view.runs[0].name, 'first try');
    // Epoch curves from each run's metrics.jsonl.
    for (const r of view.runs) {
      const epochs = fs
        .readFileSync(path.join(r.runDir, 'metrics.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; valAccuracy?: number })
        .filter((e) => e.kind === 'epoch');
      assert.deepStrictEqual(
        r.epochs.map((e) => e.valAccuracy),
        epochs.map((e) => e.valAccuracy),
      );
    }
    // Only settings whose values differ, read from the two config.json files.
    const configs = view.runs.map((r) => JSON.parse(fs.readFileSync(path.join(r.runDir, 'config.json'), 'utf8')) as Record<string, unknown>);
    assert.ok(view.differences.length > 0);
    for (const d of view.differences) assert.notStrictEqual(d.values[0], d.values[1], d.key);
    assert.deepStrictEqual(
      view.differences.find((d) => d.key === 'name')?.values,
      configs.map((c) => JSON.stringify(c.name)),
    );
    // The panel of the first run's experiment shows it; no untitled Markdown document any more.
    const shown = a.panelComparison(wsUri('tiny-digits.transfer.json').fsPath);
    assert.deepStrictEqual(
      shown?.runs.map((r) => r.runDir),
      [completed.runDir, stopped.runDir],
    );
    assert.strictEqual(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, docsBefore);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('changing transferLab.runsDirectory shows the runs of the new directory', async () => {
    assert.ok((await runNodes('tiny-digits')).length > 0);
    await setSetting('runsDirectory', 'elsewhere/runs');
    try {
      await waitFor(async () => (await runNodes('tiny-digits')).length === 0, 10_000, 'no runs under the new runs directory');
    } finally {
      await setSetting('runsDirectory', undefined);
    }
    await waitFor(async () => (await runNodes('tiny-digits')).some((n) => n.record.runId === completed.runId), 10_000, 'the runs back');
  });

  test('Delete Run removes the run folder and the tree forgets it; a running run is refused', async () => {
    const node = await runNode('slow-digits', stopped.runId);
    const deleted = await vscode.commands.executeCommand<string[]>('transferLab.deleteRun', node, { confirmed: true });
    assert.deepStrictEqual(deleted, [stopped.runDir]);
    assert.ok(!fs.existsSync(stopped.runDir));
    await waitFor(async () => !(await runNodes('slow-digits')).some((n) => n.record.runId === stopped.runId), 10_000, 'the deleted run to leave the tree');
  });

  test('Show Log and Refresh run without error', async () => {
    await vscode.commands.executeCommand('transferLab.showLog');
    await vscode.commands.executeCommand('transferLab.refresh');
    assert.deepStrictEqual(workerChildren(), []);
  });
});
