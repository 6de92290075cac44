/**
 * A text experiment's panel in the extension host: the layer table of a wordVectors base (read without
 * tfjs) with the vocabulary size and the coverage of the real Brown-corpus documents on the embedding
 * row, and a freeze toggle from the page becoming an edit of the file that the table follows.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { LayerRow } from '../../src/protocol/webview.js';
import { api, waitFor, wsUri } from './helpers.js';

suite('text experiment panel (extension host)', () => {
  suiteSetup(() => api());
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('layer table: embedding with vocabulary and coverage, pool as the cut; a freeze toggle edits the file', async () => {
    const a = await api();
    const uri = wsUri('text-brown.transfer.json');
    await vscode.commands.executeCommand('vscode.open', uri);
    await vscode.commands.executeCommand('transferLab.openPanel', uri);
    const layers = await waitFor(async () => await a.panelLayers(uri.fsPath), 60_000, 'the panel’s layer table');
    assert.deepStrictEqual(
      layers.map((l: LayerRow) => [l.name, l.className, l.role, l.params, l.frozen]),
      [
        ['embedding', 'Embedding', 'base', 40_002 * 100, [true, false]],
        ['pool', 'MaskedPooling1D', 'cut', 0, [true, false]],
      ],
    );
    const note = layers[0]!.note ?? '';
    assert.match(
      note,
      /^vocabulary 40,000 words \+ padding \+ OOV = 40,002 rows; coverage: train (\d+\.\d)% of tokens, (\d+\.\d)% of types \([\d,]+ OOV types\)$/,
    );
    const [, tokens, types] = /train (\d+\.\d)% of tokens, (\d+\.\d)% of types/.exec(note)!;
    // Brown news + romance against 40k GloVe words: most running tokens are common words, fewer distinct ones.
    assert.ok(Number(tokens) > 80 && Number(types) < Number(tokens), note);

    // The page's checkbox: freeze the embedding in stage 2 ("embedding").
    assert.ok(await a.panelReceive(uri.fsPath, { type: 'toggleFreeze', payload: { stage: 1, layer: 'embedding', frozen: true } }));
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor(() => /"name": "embedding", "epochs": 1, "freeze": \{\s*"upTo": "embedding"\s*\}/.test(doc.getText()), 10_000, 'the freeze edit in the file');
    await waitFor(
      async () =>
        JSON.stringify((await a.panelLayers(uri.fsPath))?.map((l) => l.frozen)) ===
        JSON.stringify([
          [true, true],
          [true, false],
        ]),
      10_000,
      'the table to follow the edit',
    );
  });
});
