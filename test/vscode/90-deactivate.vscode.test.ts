/** Runs last: deactivating the extension (window close/reload) leaves no worker running. */
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StartedRun } from '../../src/extension/commands/runCommands.js';
import { alive, api, EXTENSION_ID, waitFor, workerChildren, wsUri } from './helpers.js';

suite('deactivate', () => {
  test('deactivate stops every worker (graceful, then forced) before it resolves', async () => {
    const a = await api();
    const started = await vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri('slow-digits.transfer.json'));
    assert.ok(started?.runId);
    await waitFor(() => a.runs.find(started.runId)?.state === 'running', 60_000, 'the run to be running');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The module VS Code loaded (same instance: require cache), as VS Code calls it on shutdown.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(ext.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    const t0 = Date.now();
    await mod.deactivate();
    console.log(`    deactivate took ${Date.now() - t0} ms`);
    assert.ok(!alive(started.pid), `worker ${started.pid} still alive after deactivate`);
    assert.deepStrictEqual(workerChildren(), []);
  });
});
