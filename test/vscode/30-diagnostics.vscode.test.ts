/** Schema diagnostics (VS Code's JSON service via jsonValidation), semantic diagnostics (ours), Validate Experiment. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/extension/diagnostics/checkExperiment.js';
import { api, waitFor, wsUri } from './helpers.js';

const messages = (uri: vscode.Uri, source?: string) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => source === undefined || d.source === source)
    .map((d) => d.message);

suite('diagnostics', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('schema errors of a bad file show as diagnostics from the JSON schema, and Validate reports them', async () => {
    await api();
    const uri = wsUri('bad-schema.transfer.json');
    await vscode.window.showTextDocument(uri);
    const diags = await waitFor(
      () => (vscode.languages.getDiagnostics(uri).length >= 2 ? vscode.languages.getDiagnostics(uri) : undefined),
      60_000,
      'schema diagnostics',
    );
    const text = diags.map((d) => `${d.source}: ${d.message}`).join(' | ');
    console.log(`    schema diagnostics: ${text}`);
    assert.ok(
      diags.some((d) => /resnet18|Value is not accepted|smallCnn/i.test(d.message)),
      `no enum diagnostic: ${text}`,
    );
    assert.ok(
      diags.some((d) => /Incorrect type|integer/i.test(d.message)),
      `no type diagnostic: ${text}`,
    );
    const result = await vscode.commands.executeCommand<CheckResult>('transferLab.validateExperiment', uri);
    assert.ok(result.schema.length >= 2, `core validator found ${result.schema.length} schema problems`);
    assert.ok(
      result.schema.some((p) => p.path === '/base/architecture' || p.path.startsWith('/base')),
      JSON.stringify(result.schema),
    );
    assert.ok(
      result.schema.some((p) => p.path === '/training/batchSize'),
      JSON.stringify(result.schema),
    );
  });

  test('semantic errors (unknown layer, missing data folder) become transfer-lab diagnostics on open', async () => {
    const uri = wsUri('bad-semantic.transfer.json');
    await vscode.window.showTextDocument(uri);
    const own = await waitFor(() => (messages(uri, 'transfer-lab').length >= 2 ? messages(uri, 'transfer-lab') : undefined), 30_000, 'semantic diagnostics');
    console.log(`    semantic diagnostics: ${own.join(' | ')}`);
    assert.ok(
      own.some((m) => /conv9/.test(m)),
      `no diagnostic for the unknown frozen layer: ${own}`,
    );
    assert.ok(
      own.some((m) => /no-such-folder|not found|does not exist/i.test(m)),
      `no diagnostic for the missing folder: ${own}`,
    );
    const json = messages(uri).filter((m) => !own.includes(m));
    assert.deepStrictEqual(json, [], 'the file is schema-valid: no other diagnostics expected');
  });

  test('diagnostics follow saves: fixing the file clears them', async () => {
    const uri = wsUri('bad-semantic.transfer.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    try {
      await editor.edit((e) =>
        e.replace(
          new vscode.Range(0, 0, doc.lineCount, 0),
          fs.readFileSync(wsUri('tiny-digits.transfer.json').fsPath, 'utf8').replace('"tiny-digits"', '"bad-semantic"'),
        ),
      );
      await doc.save();
      await waitFor(() => messages(uri, 'transfer-lab').length === 0, 30_000, 'diagnostics cleared after save');
    } finally {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await doc.save();
    }
    await waitFor(() => messages(uri, 'transfer-lab').length >= 2, 30_000, 'diagnostics back after save');
  });

  test('other JSON files get nothing from Transfer Lab', async () => {
    const uri = wsUri('.vscode', 'settings.json');
    await vscode.window.showTextDocument(uri);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(messages(uri, 'transfer-lab'), []);
    assert.deepStrictEqual((await api()).diagnostics.get(uri), []);
  });

  test('Run Experiment refuses a file with errors and starts no worker', async () => {
    const a = await api();
    const started = await vscode.commands.executeCommand('transferLab.runExperiment', wsUri('bad-schema.transfer.json'));
    assert.strictEqual(started, undefined);
    assert.strictEqual(a.runs.active().length, 0);
  });
});
