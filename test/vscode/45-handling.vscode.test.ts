/**
 * What a user handles around the experiments, from the extension host: schema hints for an example
 * copied into another folder (no relative `$schema`), ASCII template text, the extension icon, the
 * Experiments view grouped by folder with chevrons only where runs exist, and palette commands acting
 * on the focused panel's experiment.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentNode, FolderNode } from '../../src/extension/tree/experimentsTree.js';
import { TEMPLATES, renderExperiment } from '../../src/extension/templates/templates.js';
import { api, EXTENSION_ID, experimentNodes, waitFor, workspaceDir, wsUri } from './helpers.js';

const extensionPath = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

suite('handling (extension host)', () => {
  const copiedDir = () => path.join(workspaceDir(), 'copied', 'elsewhere');
  suiteSetup(() => api());
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(workspaceDir(), 'copied'), { recursive: true, force: true });
  });

  test('no example carries a relative $schema; one copied into another folder still gets completion and no schema error', async () => {
    const examples = path.join(extensionPath(), 'examples');
    const files = fs.readdirSync(examples).filter((f) => f.endsWith('.transfer.json'));
    assert.ok(files.length >= 10, `only ${files.length} examples`);
    for (const f of files) assert.ok(!fs.readFileSync(path.join(examples, f), 'utf8').includes('"$schema"'), `${f} has a $schema`);

    fs.mkdirSync(copiedDir(), { recursive: true });
    const target = path.join(copiedDir(), 'digits-source.transfer.json');
    fs.copyFileSync(path.join(examples, 'digits-source.transfer.json'), target);
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc);
    // completion of a property name inside "training": the schema's properties, not words of the file
    const text = doc.getText();
    const at = doc.positionAt(text.indexOf('"training": {') + '"training": {'.length);
    const labels = await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
        const got = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return got.some((l) => l.includes('earlyStopping')) ? got : undefined;
      },
      60_000,
      'schema completion in the copied example',
    );
    console.log(`    completion in training: ${labels.slice(0, 12).join(', ')}…`);
    // classWeights appears nowhere in the file: only the schema can propose it
    assert.ok(
      labels.some((l) => l.includes('classWeights')),
      labels.join(', '),
    );
    const diags = vscode.languages.getDiagnostics(doc.uri).map((d) => d.message);
    assert.ok(!diags.some((m) => /schema/i.test(m)), `schema trouble: ${diags.join(' | ')}`);
  });

  test('template text is ASCII (no en dash or arrow shown boxed as an ambiguous character)', () => {
    for (const t of TEMPLATES) {
      const texts = [
        t.label,
        t.detail,
        renderExperiment(t.defaultName, t.experiment),
        ...Object.values(t.companions ?? {}).map((c) => renderExperiment(undefined, c)),
      ];
      for (const s of texts) assert.match(s, /^[\x20-\x7e\n]*$/, `${t.id}: ${s.replace(/[\x20-\x7e\n]/g, '')}`);
    }
  });

  test('the extension has a 128x128 PNG icon', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8')) as { icon?: string };
    assert.ok(pkg.icon, 'package.json has no icon');
    const png = fs.readFileSync(path.join(extensionPath(), pkg.icon));
    assert.strictEqual(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  test('the Experiments view groups experiments by folder; only experiments with runs have a chevron', async () => {
    const a = await api();
    await waitFor(async () => (await a.tree.getChildren()).some((n) => n.kind === 'folder'), 30_000, 'folder nodes (experiments in two folders)');
    const top = (await a.tree.getChildren()) as FolderNode[];
    const labels = top.map((f) => String(a.tree.getTreeItem(f).label));
    console.log(`    folders: ${labels.join(' / ')}`);
    assert.ok(
      top.every((n) => n.kind === 'folder'),
      'every top-level node is a folder',
    );
    assert.ok(labels.includes('copied/elsewhere'), labels.join(', '));
    const nested = (await a.tree.getChildren(top.find((f) => f.label === 'copied/elsewhere'))) as ExperimentNode[];
    assert.deepStrictEqual(
      nested.map((n) => n.entry.name),
      ['digits-source'],
    );
    assert.strictEqual(
      a.tree.getParent(nested[0]),
      top.find((f) => f.label === 'copied/elsewhere'),
    );

    const state = (name: string) => a.tree.getTreeItem(experimentNodesByName.get(name)!).collapsibleState;
    const experimentNodesByName = new Map((await experimentNodes()).map((n) => [n.entry.name, n]));
    // tiny-digits has runs (40-runs trained it); bad-schema never ran
    assert.ok(fs.readdirSync(path.join(workspaceDir(), '.transfer-lab', 'runs', 'tiny-digits')).length > 0);
    assert.strictEqual(state('tiny-digits'), vscode.TreeItemCollapsibleState.Expanded);
    assert.strictEqual(state('bad-schema'), vscode.TreeItemCollapsibleState.None);
    assert.strictEqual(state('digits-source'), vscode.TreeItemCollapsibleState.None);
  });

  test('a command run from the palette while a panel has focus acts on the panel’s experiment', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = wsUri('bad-semantic.transfer.json');
    await vscode.commands.executeCommand('transferLab.openPanel', uri);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview, 10_000, 'the panel to have focus');
    assert.strictEqual(vscode.window.activeTextEditor, undefined, 'no text editor has focus');
    // Open Experiment File with no argument: with several experiments it would ask, unless it takes the panel's
    const opened = vscode.commands.executeCommand('transferLab.openExperiment');
    const asked = new Promise<'asked'>((r) => setTimeout(() => r('asked'), 10_000));
    const outcome = await Promise.race([opened.then(() => 'opened' as const), asked]);
    if (outcome === 'asked') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(outcome, 'opened', 'the command asked to pick an experiment');
    const editor = (): vscode.TextEditor | undefined => vscode.window.activeTextEditor;
    assert.strictEqual(editor()?.document.uri.fsPath, uri.fsPath);
  });
});
