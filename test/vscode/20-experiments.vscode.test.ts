/** New Experiment templates, the experiment level of the tree, Open Experiment, Validate on good files. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/extension/diagnostics/checkExperiment.js';
import { TEMPLATES } from '../../src/extension/templates/templates.js';
import { CATALOG } from '../../src/core/models/catalog.js';
import { api, EXTENSION_ID, experimentNodes, waitFor, workspaceDir, wsUri } from './helpers.js';

suite('experiments', () => {
  const created: string[] = [];
  suiteTeardown(() => {
    for (const f of created) fs.rmSync(f, { force: true });
  });

  test('New Experiment writes every template, and each validates against schemas/transfer.schema.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const schema = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'schemas', 'transfer.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const dir = path.join(workspaceDir(), 'templates-out');
    fs.mkdirSync(dir, { recursive: true });
    for (const t of TEMPLATES) {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('transferLab.newExperiment', vscode.Uri.file(dir), {
        template: t.id,
        name: `t-${t.id.replace(/[^A-Za-z0-9._-]/g, '-')}`,
        noOpen: true,
      });
      assert.ok(uri, `${t.id}: no file created`);
      created.push(uri.fsPath);
      const files = [uri.fsPath, ...Object.keys(t.companions ?? {}).map((f) => path.join(dir, f))];
      for (const f of files) {
        assert.ok(fs.existsSync(f), `${f} missing`);
        const ok = validate(JSON.parse(fs.readFileSync(f, 'utf8')));
        assert.ok(ok, `${path.basename(f)} does not validate: ${ajv.errorsText(validate.errors)}`);
      }
      const result = await vscode.commands.executeCommand<CheckResult>('transferLab.validateExperiment', uri);
      assert.deepStrictEqual(
        result.schema.map((p) => p.message),
        [],
        `${t.id}: core validator schema problems`,
      );
    }
    // The catalogue is offered: one template per catalogued model, its base named.
    for (const e of CATALOG) {
      const t = TEMPLATES.find((x) => x.id === `catalog:${e.name}`);
      assert.ok(t, `no template for ${e.name}`);
      assert.deepStrictEqual(t.experiment.base, { kind: 'catalog', name: e.name });
    }
    created.push(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('New Experiment refuses to overwrite an existing file', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('transferLab.newExperiment', vscode.Uri.file(workspaceDir()), {
      template: 'scratch',
      name: 'tiny-digits',
      noOpen: true,
    });
    assert.strictEqual(uri, undefined);
    assert.match(fs.readFileSync(wsUri('tiny-digits.transfer.json').fsPath, 'utf8'), /300 real MNIST digits/);
  });

  test('the tree lists the workspace experiments by name, and a new file appears via the watcher', async () => {
    await api();
    const names = (await experimentNodes()).map((n) => n.entry.name);
    for (const n of ['bad-schema', 'bad-semantic', 'slow-digits', 'tiny-digits']) assert.ok(names.includes(n), `${n} missing from ${names}`);
    const file = wsUri('watched.transfer.json').fsPath;
    const before = (await api()).tree;
    let fired = 0;
    const sub = before.onDidChangeTreeData(() => fired++);
    fs.writeFileSync(file, fs.readFileSync(wsUri('tiny-digits.transfer.json').fsPath, 'utf8').replace('"tiny-digits"', '"watched"'));
    try {
      await waitFor(() => fired > 0, 20_000, 'a tree refresh from the file watcher');
      await waitFor(async () => (await experimentNodes()).some((n) => n.entry.name === 'watched'), 10_000, 'the new experiment in the tree');
    } finally {
      sub.dispose();
      fs.rmSync(file);
    }
    await waitFor(async () => !(await experimentNodes()).some((n) => n.entry.name === 'watched'), 20_000, 'the deleted experiment to leave the tree');
  });

  test('the experiment tree item opens its file and carries the experiment context value', async () => {
    const a = await api();
    const node = (await experimentNodes()).find((n) => n.entry.name === 'tiny-digits')!;
    const item = a.tree.getTreeItem(node);
    assert.strictEqual(item.contextValue, 'experiment');
    assert.strictEqual(item.command?.command, 'transferLab.openExperiment');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, node.entry.uri.fsPath);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
