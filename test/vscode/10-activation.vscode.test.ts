/** Activation, manifest ↔ code consistency, and the promise that the extension host never loads tfjs. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXPERIMENTS_VIEW } from '../../src/extension/constants.js';
import { api, EXTENSION_ID } from './helpers.js';

interface Manifest {
  contributes: { commands: { command: string; category: string; title: string }[]; views: Record<string, { id: string }[]> };
  activationEvents: string[];
}

suite('activation', () => {
  test('activates in the workspace with experiment files and reports its activation time', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension not found');
    const t0 = performance.now();
    const a = await api();
    const wall = performance.now() - t0;
    assert.ok(ext.isActive);
    // A duration measured in this extension host: positive, and shorter than the host has been up.
    assert.ok(Number.isFinite(a.activationMs) && a.activationMs > 0 && a.activationMs < performance.now(), `activationMs ${a.activationMs}`);
    console.log(`    activation: activate() ${a.activationMs.toFixed(1)} ms; ext.activate() awaited ${wall.toFixed(1)} ms (VS Code ${vscode.version})`);
  });

  test('every contributed command is registered, in the "Transfer Lab" category, and known to the code', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = ext.packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of manifest.contributes.commands) {
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
      assert.strictEqual(c.category, 'Transfer Lab', `${c.command} category`);
    }
    assert.deepStrictEqual([...contributed].sort(), Object.values(Commands).sort());
    assert.ok(manifest.contributes.views.transferLab.some((v) => v.id === EXPERIMENTS_VIEW));
  });

  test('the extension bundle never loads tfjs', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bundle = fs.readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
    assert.ok(!/require\(["']@tensorflow\//.test(bundle), 'dist/extension.js requires @tensorflow/*');
    const loaded = Object.keys(require.cache).filter((k) => k.includes(`${path.sep}@tensorflow${path.sep}`));
    assert.deepStrictEqual(loaded, [], 'tfjs modules were loaded into the extension host');
  });
});
