/**
 * Restricted Mode (an untrusted workspace): the extension still activates (`untrustedWorkspaces:
 * limited`), browsing and validation work, running is refused and starts no worker. Runs only when
 * the harness opens the workspace untrusted (`RESTRICTED=1 npm run test:vscode`); skipped otherwise.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/extension/diagnostics/checkExperiment.js';
import { api, EXTENSION_ID, experimentNodes, workerChildren, wsUri } from './helpers.js';

suite('restricted mode (untrusted workspace)', () => {
  suiteSetup(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });

  test('the extension activates with limited support and lists experiments', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const caps = (ext.packageJSON as { capabilities: { untrustedWorkspaces: { supported: string } } }).capabilities;
    assert.strictEqual(caps.untrustedWorkspaces.supported, 'limited');
    await api();
    assert.ok(ext.isActive);
    assert.ok((await experimentNodes()).some((n) => n.entry.name === 'tiny-digits'));
  });

  test('Validate Experiment still works', async () => {
    const result = await vscode.commands.executeCommand<CheckResult>('transferLab.validateExperiment', wsUri('bad-schema.transfer.json'));
    assert.ok(result.schema.length >= 2);
  });

  test('Run Experiment is refused and starts no worker', async () => {
    const a = await api();
    const started = await vscode.commands.executeCommand('transferLab.runExperiment', wsUri('tiny-digits.transfer.json'));
    assert.strictEqual(started, undefined);
    assert.strictEqual(a.runs.active().length, 0);
    assert.deepStrictEqual(workerChildren(), []);
  });

  test('the analysis commands (Recommend Strategy, Sweep Cut Layers, Compare Filters with Gabor) are refused and start no worker', async () => {
    const a = await api();
    for (const id of ['transferLab.recommendStrategy', 'transferLab.sweepCutLayers', 'transferLab.compareFilters']) {
      const out = await vscode.commands.executeCommand(id, wsUri('analysis-digits.transfer.json'));
      assert.strictEqual(out, undefined, id);
    }
    assert.strictEqual(a.runs.active().length, 0);
    assert.deepStrictEqual(workerChildren(), []);
  });
});
