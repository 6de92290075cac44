/** Helpers shared by the extension-host tests: the extension's API, waiting, fixture paths, worker processes. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TransferLabApi } from '../../src/extension/api.js';
import type { ExperimentNode, RunNode, TreeNode } from '../../src/extension/tree/experimentsTree.js';

/** The extension's id (`publisher.name`). */
export const EXTENSION_ID = 'transfer-lab.transfer-lab';

/** Activates the extension (if needed) and returns its exports. */
export async function api(): Promise<TransferLabApi> {
  const ext = vscode.extensions.getExtension<TransferLabApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** The first workspace folder (the copied fixture workspace). */
export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests need a workspace folder');
  return f.uri.fsPath;
}

/** Uri of a file in the fixture workspace. */
export function wsUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...segments));
}

/** Resolves when `fn` returns a truthy value; fails after `ms` with `what` (the same polling as the e2e tests). */
export { until as waitFor } from '../shared/until.js';

/** True when a process with this pid exists (zombies excluded on Linux). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Pids of `dist/worker.js` processes whose parent is this extension host (Linux; [] elsewhere). */
export function workerChildren(): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (cmd.includes('dist/worker.js') && ppid === process.pid && alive(Number(d))) out.push(Number(d));
    } catch {
      // process ended while reading
    }
  }
  return out;
}

/** The experiment nodes of the tree. */
export async function experimentNodes(): Promise<ExperimentNode[]> {
  const a = await api();
  const top = await a.tree.getChildren();
  const nested = await Promise.all(top.map(async (n) => (n.kind === 'folder' ? a.tree.getChildren(n) : [n])));
  return nested.flat() as ExperimentNode[];
}

/** The tree's experiment node named `name`. */
export async function experimentNode(name: string): Promise<ExperimentNode> {
  const nodes = await experimentNodes();
  const n = nodes.find((e) => e.entry.name === name);
  assert.ok(n, `no experiment "${name}" in the tree (have: ${nodes.map((e) => e.entry.name).join(', ')})`);
  return n;
}

/** The run nodes under an experiment: its training runs, then those of its "Analysis runs" node. */
export async function runNodes(name: string): Promise<RunNode[]> {
  const a = await api();
  const children = await a.tree.getChildren((await experimentNode(name)) as TreeNode);
  const nested = await Promise.all(children.map(async (n) => (n.kind === 'analyses' ? a.tree.getChildren(n) : [n])));
  return nested.flat() as RunNode[];
}

/** Restores a `transferLab` setting after a test changed it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('transferLab').update(key, value, vscode.ConfigurationTarget.Workspace);
}
