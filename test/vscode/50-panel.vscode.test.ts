/**
 * The experiment panel from the extension host's side: one webview panel per experiment (opened
 * again, it is revealed, not duplicated), beside the experiment's own editor, titled with the
 * experiment's name, and gone when its editors are closed. The page itself is tested in test/e2e.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { api, waitFor, wsUri } from './helpers.js';

/** Tabs of experiment panels, in every group. */
function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('transferLab.experimentPanel'));
}

suite('experiment panel (extension host)', () => {
  suiteSetup(() => api());
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('one panel per experiment: opening it again reveals it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = wsUri('panel-digits.transfer.json');
    await vscode.commands.executeCommand('transferLab.openPanel', uri);
    await vscode.commands.executeCommand('transferLab.openPanel', uri);
    await waitFor(() => panelTabs().length === 1, 10_000, 'one panel tab');
    assert.strictEqual(panelTabs()[0].label, 'panel-digits');
    await vscode.commands.executeCommand('transferLab.openPanel', wsUri('tiny-digits.transfer.json'));
    await waitFor(() => panelTabs().length === 2, 10_000, 'a second panel for another experiment');
    assert.deepStrictEqual(
      panelTabs()
        .map((t) => t.label)
        .sort(),
      ['panel-digits', 'tiny-digits'],
    );
  });

  test('opened from its JSON editor, the panel goes beside it', async () => {
    const uri = wsUri('panel-digits.transfer.json');
    const editor = await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('transferLab.openPanel');
    const tab = await waitFor(() => panelTabs()[0], 10_000, 'the panel tab');
    assert.notStrictEqual(tab.group.viewColumn, editor.viewColumn, 'the panel shares the editor’s group');
    assert.ok(tab.isActive);
  });
});
