/**
 * Diagnostics of experiment files: every schema and semantic problem is ours (source transfer-lab), an
 * Error with the words of `transfer-lab validate` / Run ("did you mean"); VS Code's JSON service, which
 * reads the hints-only schema, adds none of its own (only syntax: duplicate keys) but still completes
 * fields and enum values and shows descriptions on hover. Validate Experiment; Run refuses bad files.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/extension/diagnostics/checkExperiment.js';
import { api, waitFor, workspaceDir, wsUri } from './helpers.js';
import * as path from 'node:path';

const messages = (uri: vscode.Uri, source?: string) =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => source === undefined || d.source === source)
    .map((d) => d.message);

suite('diagnostics', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test("schema errors of a bad file are transfer-lab Errors in validate's words, and Validate reports them", async () => {
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
    const result = await vscode.commands.executeCommand<CheckResult>('transferLab.validateExperiment', uri);
    assert.ok(
      result.schema.some((p) => p.path === '/base/architecture'),
      JSON.stringify(result.schema),
    );
    assert.ok(
      result.schema.some((p) => p.path === '/training/batchSize'),
      JSON.stringify(result.schema),
    );
    // the Problems panel says what validate says, as errors, once each
    assert.deepStrictEqual(
      diags.map((d) => [d.source, d.severity, d.message]).sort(),
      result.schema.map((p) => ['transfer-lab', vscode.DiagnosticSeverity.Error, p.message]).sort(),
    );
  });

  test('a misspelt field and a wrong enum value: exactly one Error each, the validate message with "did you mean"; completion and hover still work', async () => {
    const file = path.join(workspaceDir(), 'misspelt.transfer.json');
    // "name" twice: a duplicate key the JSON service reports itself (proves it has checked this text)
    const text = `{
  "name": "misspelt",
  "name": "misspelt",
  "base": { "kind": "builtin", "architecture": "smalCnn" },
  "data": { "train": { "kind": "mnist", "perClass": 30 } },
  "trainig": { "epochs": 1 },
  "transfer": { "strategy": "scratch" }
}
`;
    fs.writeFileSync(file, text);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      // what Validate Experiment (the core checks `transfer-lab validate` and Run use) reports
      const checked = await vscode.commands.executeCommand<CheckResult>('transferLab.validateExperiment', doc.uri);
      const expected = checked.schema.filter((p) => p.severity === 'error');
      assert.deepStrictEqual(
        expected.map((p) => p.path),
        ['/base/architecture', '/trainig'],
      );
      const diags = await waitFor(
        () => {
          const d = vscode.languages.getDiagnostics(doc.uri);
          return d.some((x) => x.source === 'transfer-lab') && d.some((x) => /duplicate/i.test(x.message) && x.source !== 'transfer-lab') ? d : undefined;
        },
        60_000,
        "our diagnostics and the JSON service's duplicate-key warning",
      );
      await new Promise((r) => setTimeout(r, 1500)); // the JSON service has had its say on this text
      const all = vscode.languages.getDiagnostics(doc.uri);
      console.log(`    diagnostics: ${all.map((d) => `${d.source} ${vscode.DiagnosticSeverity[d.severity]}: ${d.message}`).join(' | ')}`);
      for (const p of expected) {
        const at = all.filter((d) => d.range.contains(doc.positionAt(p.offset)) && !/duplicate/i.test(d.message));
        assert.strictEqual(at.length, 1, `${p.path}: ${at.map((d) => d.message).join(' | ')}`);
        assert.strictEqual(at[0]!.severity, vscode.DiagnosticSeverity.Error, p.path);
        assert.strictEqual(at[0]!.message, p.message);
        assert.match(at[0]!.message, /did you mean "(smallCnn|training)"\?/);
      }
      // nothing else but the duplicate key (the JSON service's, not repeated by us)
      const others = all.filter((d) => !expected.some((p) => p.message === d.message));
      assert.deepStrictEqual(
        others.map((d) => d.message),
        diags.filter((d) => /duplicate/i.test(d.message) && d.source !== 'transfer-lab').map((d) => d.message),
      );
      assert.ok(!others.some((d) => d.source === 'transfer-lab'), 'the duplicate key reported twice');

      // completion: enum values of base.architecture, and the fields of "data.train" for its kind
      const labelsAt = async (offset: number) => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(offset));
        return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      };
      const values = await labelsAt(text.indexOf('"smalCnn"') + 1);
      console.log(`    completion at "smalCnn": ${values.join(', ')}`);
      assert.ok(values.includes('"smallCnn"') && values.includes('"mobileNetLike"'), values.join(', '));
      const fields = await labelsAt(text.indexOf('"perClass": 30') + '"perClass": 30'.length + 1);
      console.log(`    completion in data.train (mnist): ${fields.join(', ')}`);
      assert.ok(fields.includes('classes') && fields.includes('transform'), fields.join(', '));
      assert.ok(!fields.includes('path'), `imageFolder's "path" offered for an mnist source: ${fields.join(', ')}`);
      const kinds = await labelsAt(text.indexOf('"mnist"') + 1);
      assert.ok(kinds.includes('"imageFolder"') && kinds.includes('"csv"'), kinds.join(', '));
      // hover: the field's description (from the hints schema)
      const perClass = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        doc.positionAt(text.indexOf('"perClass"') + 2),
      );
      const perClassText = perClass
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      console.log(`    hover on "perClass": ${JSON.stringify(perClassText.slice(0, 160))}`);
      assert.match(perClassText, /examples of each class/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(file, { force: true });
    }
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
