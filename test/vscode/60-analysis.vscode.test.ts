/**
 * The analysis commands in the real worker on real MNIST digits: Sweep Cut Layers, Recommend Strategy
 * and Compare First-Layer Filters with Gabor each run their task as a run of the experiment, return
 * its result, put it in the experiment panel's views, and (when asked) write the suggested edit into
 * the JSON with its comments kept; an unsupervised run's clusters reach the panel too. Also: experiment
 * files are JSON with comments, and the schema still checks them.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AdvisorReport } from '../../src/core/advisor/advise.js';
import type { GaborMatchFile, LayerSweepFile } from '../../src/core/runs/artifacts.js';
import type { RunSummary } from '../../src/core/runs/events.js';
import type { AnalysisOutcome } from '../../src/extension/commands/analysisCommands.js';
import type { StartedRun } from '../../src/extension/commands/runCommands.js';
import { api, runNodes, setSetting, waitFor, workerChildren, wsUri } from './helpers.js';

const ANALYSIS = 'analysis-digits.transfer.json';
const read = () => fs.readFileSync(wsUri(ANALYSIS).fsPath, 'utf8');

/** Runs an experiment through Run Experiment and waits for its worker to finish. */
async function train(file: string): Promise<StartedRun> {
  const started = await vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri(file));
  assert.ok(started?.runId, `${file}: no run started`);
  const outcome = await (await api()).runs.find(started.runId)!.done;
  assert.strictEqual(outcome.status, 'completed', `${file}: ${outcome.message}`);
  return started;
}

/** Runs an analysis command on the analysis fixture and checks that its run completed. */
async function analyse<T>(command: string, opts: object = {}): Promise<AnalysisOutcome<T>> {
  const t0 = Date.now();
  const out = await vscode.commands.executeCommand<AnalysisOutcome<T> | undefined>(command, wsUri(ANALYSIS), opts);
  assert.ok(out, `${command} started no run`);
  console.log(`    ${command}: ${out.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.strictEqual(out.status, 'completed');
  assert.ok(out.result, 'no result file');
  const summary = JSON.parse(fs.readFileSync(path.join(out.runDir, 'summary.json'), 'utf8')) as RunSummary;
  assert.strictEqual(summary.experiment, 'analysis-digits');
  assert.deepStrictEqual(workerChildren(), [], 'the analysis worker is still running');
  return out;
}

/** What the open panel of the analysis fixture shows, once `pick` finds it. */
async function panelShows<T>(
  pick: (v: NonNullable<ReturnType<Awaited<ReturnType<typeof api>>['panelAnalyses']>>) => T | undefined,
  what: string,
): Promise<NonNullable<T>> {
  const a = await api();
  return waitFor(
    () => {
      const v = a.panelAnalyses(wsUri(ANALYSIS).fsPath);
      return v ? pick(v) : undefined;
    },
    20_000,
    what,
  );
}

/** The Experiments-view description of a run, once it reads `expected` (the tree refreshes after the summary is written); the last one seen otherwise. */
async function treeDescription(experiment: string, runId: string, expected: string): Promise<string> {
  const a = await api();
  let last = '';
  try {
    await waitFor(
      async () => {
        const node = (await runNodes(experiment)).find((n) => n.record.runId === runId);
        last = node ? String(a.tree.getTreeItem(node).description) : '(not in the tree)';
        return last === expected;
      },
      20_000,
      `the tree description of ${runId}`,
    );
  } catch {
    // fall through: the caller's assertion shows what the tree said
  }
  return last;
}

suite('analyses (real worker, real MNIST digits)', () => {
  let original = '';

  suiteSetup(async () => {
    await api();
    original = read();
    await train('analysis-source.transfer.json'); // the base of the analysis fixtures
  });
  teardown(async () => {
    await (await api()).runs.stopAll(2_000);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(wsUri(ANALYSIS).fsPath, original);
  });

  test('*.transfer.json opens as JSON with comments: comments are not flagged, the schema still checks', async () => {
    const file = wsUri('comment-check.transfer.json');
    fs.writeFileSync(
      file.fsPath,
      '{\n  // a line comment\n  "name": "comment-check", /* a block comment */\n  "base": { "kind": "builtin", "architecture": "smallCnn" },\n' +
        '  "data": { "train": { "kind": "mnist", "perClass": 10 } },\n  "training": { "batchSize": "eight" }\n}\n',
    );
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      assert.strictEqual(doc.languageId, 'jsonc');
      // The schema still checks: our checker reports the wrong type as an Error in validate's words
      // (VS Code's JSON service gets a hints-only schema and reports no schema problems itself).
      const ours = await waitFor(
        () => vscode.languages.getDiagnostics(file).find((x) => x.source === 'transfer-lab' && /must be an integer \(found "eight"\)/.test(x.message)),
        60_000,
        'the schema diagnostic of "batchSize"',
      );
      assert.strictEqual(ours.severity, vscode.DiagnosticSeverity.Error);
      // VS Code's JSON service has parsed the file (its outline lists the fields) and flags no comment.
      const symbols = await waitFor(
        async () => {
          const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', file);
          return s?.some((x) => x.name === 'training') ? s : undefined;
        },
        60_000,
        'the JSON outline of the file',
      );
      await new Promise((r) => setTimeout(r, 1000));
      const diags = vscode.languages.getDiagnostics(file);
      console.log(`    outline: ${symbols.map((x) => x.name).join(', ')}; diagnostics: ${diags.map((d) => `${d.source}: ${d.message}`).join(' | ')}`);
      assert.ok(!diags.some((d) => /comment/i.test(d.message)), 'a comment was flagged');
      assert.strictEqual((await vscode.workspace.openTextDocument(wsUri(ANALYSIS))).languageId, 'jsonc');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file.fsPath, { force: true });
    }
  });

  test('Sweep Cut Layers: a linear head per cut layer, shown in the panel; applying sets transfer.cutLayer', async () => {
    const out = await analyse<LayerSweepFile>('transferLab.sweepCutLayers', { apply: true });
    const f = out.result!;
    assert.deepStrictEqual(
      f.layers.map((l) => l.layer),
      ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1'],
    );
    for (const l of f.layers) assert.ok(l.valAccuracy! >= 0 && l.valAccuracy! <= 1 && l.trainAccuracy >= 0, JSON.stringify(l));
    assert.strictEqual(f.examples.validation, 50);
    assert.ok(f.best, 'no best layer');
    console.log(`    sweep: ${f.layers.map((l) => `${l.layer} ${(100 * l.valAccuracy!).toFixed(0)}%`).join(', ')}; best ${f.best}`);
    const text = read();
    if (f.best !== f.currentCutLayer) {
      assert.deepStrictEqual(out.edits, [{ pointer: '/transfer/cutLayer', value: f.best }]);
      assert.ok(out.applied);
      assert.ok(text.includes(`"cutLayer": "${f.best}"`), text);
    }
    assert.ok(text.includes('// the advisor will have an opinion on this') && text.includes('// Recommend Strategy, Sweep Cut Layers'), 'comments lost');
    const shown = await panelShows((v) => (v.layerSweep?.runId === out.runId ? v.layerSweep : undefined), 'the sweep in the panel');
    assert.strictEqual(shown.value.best, f.best);
    // The Experiments view names the sweep's best cut, not its first result (the raw input).
    const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
    const bestAcc = f.layers.find((l) => l.layer === f.best)!.valAccuracy!;
    const input = f.layers.find((l) => l.layer === 'input')!.valAccuracy!;
    const expected =
      f.best === 'input' ? `layer sweep · best: raw input ${pc(bestAcc)}` : `layer sweep · best cut ${f.best} ${pc(bestAcc)} (input ${pc(input)})`;
    assert.strictEqual(await treeDescription('analysis-digits', out.runId, expected), expected);
  });

  test('Recommend Strategy: the verdict with its numbers in the panel; Apply writes the matching edit, comments kept', async () => {
    const first = await analyse<AdvisorReport>('transferLab.recommendStrategy');
    const r = first.result!;
    assert.deepStrictEqual(r.target.labelledPerClass, [30, 30, 30, 30, 30]);
    assert.strictEqual(r.target.medianPerClass, 30);
    assert.strictEqual(r.verdict.small, true, '30 per class is below the default 100');
    assert.ok(r.similarity.domainAccuracy >= 0 && r.similarity.domainAccuracy <= 1);
    assert.strictEqual(r.layer, 'fc1');
    assert.match(r.verdict.rule, /^small(Similar|Different)$/);
    assert.strictEqual(r.edits[0]?.pointer, '/transfer/strategy');
    assert.strictEqual(r.edits[0]?.value, 'featureExtraction');
    assert.strictEqual(first.applied, false);
    assert.match(read(), /"strategy": "fineTune"/, 'the file changed without Apply');
    console.log(`    advice: ${r.verdict.rule}, domain acc ${r.similarity.domainAccuracy}, gap ${r.specificityGap}; edits ${JSON.stringify(r.edits)}`);
    const shown = await panelShows((v) => (v.advice?.runId === first.runId ? v.advice : undefined), 'the advice in the panel');
    assert.strictEqual(shown.inEffect, false);

    const second = await analyse<AdvisorReport>('transferLab.recommendStrategy', { apply: true });
    assert.strictEqual(second.applied, true);
    const text = read();
    assert.match(text, /"strategy": "featureExtraction", \/\/ the advisor will have an opinion on this/);
    assert.ok(text.includes('// Recommend Strategy, Sweep Cut Layers'), 'the header comment was lost');
    const cut = second.result!.edits.find((e) => e.pointer === '/transfer/cutLayer');
    if (cut?.value !== undefined) assert.ok(text.includes(`"cutLayer": "${String(cut.value)}"`), text);
    else assert.ok(!text.includes('"cutLayer"'), text);
    const applied = await panelShows(
      (v) => (v.advice?.runId === second.runId && v.advice.inEffect ? v.advice : undefined),
      'the panel to see the advice in effect',
    );
    assert.strictEqual(applied.value.verdict.rule, second.result!.verdict.rule);
  });

  test('Recommend Strategy on a base that is not a run: the source experiment given, the advice measured against its data', async () => {
    const out = await vscode.commands.executeCommand<AnalysisOutcome<AdvisorReport> | undefined>(
      'transferLab.recommendStrategy',
      wsUri('tiny-digits.transfer.json'),
      {
        sourceExperiment: 'analysis-source.transfer.json',
        noPanel: true,
      },
    );
    assert.ok(out, 'no run started');
    assert.strictEqual(out.status, 'completed');
    const r = out.result!;
    assert.strictEqual(path.basename(r.sourceExperiment), 'analysis-source.transfer.json');
    assert.strictEqual(r.sourceExamples, 150);
    assert.strictEqual(r.target.classes.length, 10);
    assert.ok(fs.existsSync(path.join(out.runDir, 'advice.json')));
    console.log(`    tiny-digits vs analysis-source: ${r.verdict.rule}, domain acc ${r.similarity.domainAccuracy}`);
  });

  test('Compare First-Layer Filters with Gabor: every conv1 filter with its best Gabor kernel and correlation', async () => {
    const out = await analyse<GaborMatchFile>('transferLab.compareFilters');
    const f = out.result!;
    assert.strictEqual(f.layer, 'conv1');
    assert.deepStrictEqual(f.kernelSize, [3, 3]);
    assert.strictEqual(f.filters.length, 32);
    for (const m of f.filters) {
      assert.strictEqual(m.weights.length, 9);
      assert.strictEqual(m.gabor.length, 9);
      assert.ok(m.correlation >= -1 && m.correlation <= 1);
    }
    assert.ok(f.chance.meanCorrelation > 0 && f.chance.meanCorrelation < 1);
    assert.deepStrictEqual(out.edits, []);
    console.log(`    Gabor: mean r ${f.meanCorrelation.toFixed(3)} (chance ${f.chance.meanCorrelation.toFixed(3)})`);
    await panelShows((v) => (v.gaborMatch?.runId === out.runId ? v.gaborMatch : undefined), 'the filters in the panel');
  });

  test('the Training view follows the newest training run: analysis runs feed only the analysis views, a picked run is shown', async () => {
    const file = wsUri(ANALYSIS).fsPath;
    const a = await api();
    await vscode.commands.executeCommand('transferLab.openPanel', wsUri(ANALYSIS));
    const shown = () => a.panelShownRun(file);
    // The earlier tests left only analysis runs of this experiment: nothing to show in Training.
    await panelShows((v) => v.gaborMatch, 'the earlier analyses in the panel');
    assert.strictEqual(shown(), null, 'an analysis run was shown as the training run');
    const trained = await train(ANALYSIS);
    await waitFor(() => shown() === trained.runId, 20_000, 'the panel to show the new training run');
    // A newer analysis run: its result reaches the analyses, the Training view stays on the training run.
    const filters = await analyse<GaborMatchFile>('transferLab.compareFilters');
    await panelShows((v) => (v.gaborMatch?.runId === filters.runId ? v.gaborMatch : undefined), 'the new filters in the panel');
    assert.strictEqual(shown(), trained.runId, 'the Training view followed the analysis run');
    // A run picked explicitly (here the analysis run, from the tree) is shown.
    const node = await waitFor(
      async () => (await runNodes('analysis-digits')).find((n) => n.record.runId === filters.runId),
      20_000,
      'the analysis run in the tree',
    );
    // Analysis runs are kept apart from training runs: under the experiment's "Analysis runs" node.
    const group = a.tree.getParent(node)!;
    assert.strictEqual(group.kind, 'analyses');
    assert.strictEqual(a.tree.getTreeItem(group).label, 'Analysis runs');
    const top = await a.tree.getChildren(a.tree.getParent(group)!);
    assert.ok(
      top.some((n) => n.kind === 'run' && n.record.runId === trained.runId),
      'the training run directly under the experiment',
    );
    assert.ok(!top.some((n) => n.kind === 'run' && n.record.runId === filters.runId), 'the analysis run not among the training runs');
    await vscode.commands.executeCommand('transferLab.openPanel', node);
    await waitFor(() => shown() === filters.runId, 20_000, 'the picked analysis run');
  });

  test('the panel header names the kind of transfer: unsupervised and transductive instead of a strategy', async () => {
    const a = await api();
    const transfer = async (name: string) => {
      await vscode.commands.executeCommand('transferLab.openPanel', wsUri(name));
      return waitFor(() => a.panelTransfer(wsUri(name).fsPath), 30_000, `the panel of ${name}`);
    };
    assert.deepStrictEqual(await transfer('cluster-digits.transfer.json'), {
      kind: 'unsupervised',
      method: 'PCA + k-means on fc1 features',
      strategy: 'fineTune',
    });
    assert.deepStrictEqual(await transfer('shift-digits.transfer.json'), { kind: 'transductive', method: 'AdaBN + self-training', strategy: 'scratch' });
    assert.deepStrictEqual(await transfer('tiny-digits.transfer.json'), { kind: 'inductive', strategy: 'scratch' });
  });

  test('an unsupervised run’s clusters and 2-D embedding reach its panel, with NMI/ARI against raw pixels', async () => {
    const run = await train('cluster-digits.transfer.json');
    const file = wsUri('cluster-digits.transfer.json').fsPath;
    await vscode.commands.executeCommand('transferLab.openPanel', wsUri('cluster-digits.transfer.json'));
    const a = await api();
    const c = await waitFor(() => a.panelAnalyses(file)?.clusters, 20_000, 'the clusters in the panel');
    assert.strictEqual(c.runId, run.runId);
    assert.strictEqual(c.value.examples, 150);
    assert.strictEqual(c.value.features.k, 3);
    assert.ok(c.value.raw, 'no raw-pixel clustering');
    for (const x of [c.value.features.scores, c.value.raw.scores]) assert.ok(x.nmi! >= 0 && x.nmi! <= 1 && x.ari! <= 1);
    assert.ok(c.embedding, 'no embedding');
    assert.strictEqual(c.embedding.x.length, 150);
    assert.strictEqual(c.embedding.total, 150);
    assert.deepStrictEqual(new Set(c.embedding.cluster), new Set([0, 1, 2]));
    assert.ok(!('ids' in c.embedding), 'example ids are not sent to the page');
    // The Experiments view: k and NMI beside raw pixels, not "k 3".
    const two = (x: number) => x.toFixed(2);
    const expected = `clusters k=3 · NMI ${two(c.value.features.scores.nmi!)} vs ${two(c.value.raw.scores.nmi!)} pixels`;
    assert.strictEqual(await treeDescription('cluster-digits', run.runId, expected), expected);
  });
  test('the frozen-feature cache: a second run reads every feature from the folder the settings name; Clear Frozen-Feature Cache empties it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-vscode-cache-'));
    await setSetting('featureCache.directory', dir);
    try {
      const use = (run: StartedRun) => {
        const metrics = fs.readFileSync(path.join(run.runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
        const line = metrics
          .map((l) => JSON.parse(l) as { kind: string; message?: string })
          .find((e) => e.kind === 'log' && e.message?.startsWith('frozen features:'));
        assert.ok(line, 'no feature-cache line in the run log');
        return line.message!;
      };
      const first = use(await train('cluster-digits.transfer.json'));
      const second = use(await train('cluster-digits.transfer.json'));
      console.log(`    ${first}\n    ${second}`);
      assert.match(first, /^frozen features: 0 from the feature cache, 150 computed/);
      assert.match(second, /^frozen features: 150 from the feature cache, 0 computed/);
      assert.ok(second.includes(dir), second);
      const bytes = await vscode.commands.executeCommand<number>('transferLab.clearFeatureCache', { confirm: true });
      assert.ok(bytes && bytes > 150 * 128 * 4, `cleared ${bytes} bytes`);
      assert.deepStrictEqual(fs.readdirSync(dir), []);
    } finally {
      await setSetting('featureCache.directory', undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
