/**
 * "Classify with Run…" in the real extension host, on real runs trained by the extension's worker:
 *
 * - photos: the fixture's 16 ant and bee photos (`eval-photos`, a CNN at 32×32). The command on the
 *   photos folder (as the Explorer's context menu passes it) shows a page whose table holds, per photo,
 *   the same classes and probabilities as `transfer-lab predict <run> <photos> --json` run separately
 *   (a second child process): each cell's number to 1e-6, its text as the percentage with one decimal.
 *   Thumbnails come through the webview's resource roots, which are exactly the extension's media and
 *   the photos folder (for chosen files: their folders); a "click" on a row opens that photo; a broken file is listed with its reason.
 * - text: a small two-topic text folder with a 4-d vectors file: `.txt` files get the page's snippets
 *   and the same probabilities as `predict --json`; a non-UTF-8 file is skipped with its line.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PredictionResult } from '../../src/core/prediction/predict.js';
import type { StartedRun } from '../../src/extension/commands/runCommands.js';
import { api, waitFor, workspaceDir, wsUri } from './helpers.js';

const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
const REPO = path.resolve(__dirname, '../..');
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `transfer-lab predict <runDir> <inputs…> --json` in a child process of its own. */
function predictJson(runDir: string, inputs: string[]): PredictionResult {
  const out = execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'predict', runDir, ...inputs, '--json', '--top-k', '3'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as PredictionResult;
}

/** The table rows of a result page: per row, its cells' class, probability attribute and shown text. */
function tableRows(html: string): { index: number; cells: { cls: string; p: number; text: string }[]; img?: string; snippet?: string; title: string }[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr data-index="(\d+)"[^>]*title="([^"]*)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    index: Number(m[1]),
    title: m[2]!,
    cells: [...m[3]!.matchAll(/data-class="([^"]*)" data-probability="([^"]*)"><span class="cls">[^<]*<\/span> <span class="num">([^<]*)<\/span>/g)].map(
      (c) => ({
        cls: c[1]!,
        p: Number(c[2]),
        text: c[3]!,
      }),
    ),
    ...(/<img src="([^"]*)"/.exec(m[3]!) ? { img: /<img src="([^"]*)"/.exec(m[3]!)![1]! } : {}),
    ...(/<span class="snippet">([^<]*)<\/span>/.exec(m[3]!) ? { snippet: /<span class="snippet">([^<]*)<\/span>/.exec(m[3]!)![1]! } : {}),
  }));
}

/** Checks a page's rows against `predict --json` on the same files. */
function assertSameAsCli(html: string, cli: PredictionResult, shown: PredictionResult): void {
  const rows = tableRows(html);
  assert.strictEqual(rows.length, cli.predictions.length, 'one row per classified file');
  assert.deepStrictEqual(
    shown.predictions.map((p) => p.file),
    cli.predictions.map((p) => p.file),
  );
  for (const [i, p] of cli.predictions.entries()) {
    const row = rows[i]!;
    assert.strictEqual(row.index, i);
    assert.strictEqual(row.cells.length, p.top.length, `${p.file}: top-${p.top.length}`);
    for (const [j, t] of p.top.entries()) {
      const c = row.cells[j]!;
      assert.strictEqual(c.cls, t.className, `${p.file} rank ${j + 1}`);
      assert.ok(Math.abs(c.p - t.probability) < 1e-6, `${p.file} rank ${j + 1}: page ${c.p}, predict ${t.probability}`);
      assert.strictEqual(c.text, `${(t.probability * 100).toFixed(1)}%`);
    }
  }
}

suite('Classify with Run (real worker, real photos and documents)', () => {
  let photosRun: StartedRun | undefined;
  let textRun: StartedRun | undefined;
  const scratch = path.join(workspaceDir(), 'classify-scratch');
  const textFiles = ['text-topics.transfer.json', 'topics-vectors.txt', 'topics-docs'];

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(scratch, { recursive: true, force: true });
    for (const f of textFiles) fs.rmSync(path.join(workspaceDir(), f), { recursive: true, force: true });
    for (const r of [photosRun, textRun]) if (r) fs.rmSync(r.runDir, { recursive: true, force: true });
  });

  test('the photos folder: the table equals `predict --json`; thumbnails from exactly the chosen folder; a click opens the photo', async () => {
    photosRun = await vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri('eval-photos.transfer.json'));
    assert.ok(photosRun?.runId, 'no run started');
    const outcome = await (await api()).runs.find(photosRun.runId)!.done;
    assert.strictEqual(outcome.status, 'completed', outcome.message);
    const photos = wsUri('photos');
    const result = await vscode.commands.executeCommand<PredictionResult | undefined>('transferLab.classifyWithRun', photos, [photos], photosRun.runDir);
    assert.ok(result, 'no result');
    assert.strictEqual(result.runId, photosRun.runId);
    assert.strictEqual(result.kind, 'image');
    assert.strictEqual(result.predictions.length, 16);
    assert.deepStrictEqual(result.skipped, []);
    assert.deepStrictEqual(result.classNames, ['ants', 'bees']);

    const cli = predictJson(photosRun.runDir, [photos.fsPath]);
    const page = (await api()).predictionsPages().find((p) => p.runDir === photosRun!.runDir);
    assert.ok(page, 'a result page for the run');
    assertSameAsCli(page.html, cli, page.result);
    // Resource roots: the extension's media folder and the photos folder, nothing wider.
    assert.deepStrictEqual(page.roots.slice(1), [photos.fsPath]);
    assert.ok(page.roots[0]!.endsWith(`${path.sep}media`), page.roots[0]);
    const rows = tableRows(page.html);
    for (const r of rows) assert.ok(r.img?.includes('/photos/'), `a thumbnail for row ${r.index}: ${r.img}`);
    assert.match(page.html, /Content-Security-Policy" content="default-src 'none'; img-src [^;]+; style-src [^;]+; script-src 'nonce-[^']+'"/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.html)![1]!;
    assert.ok(page.html.includes(`<script nonce="${nonce}"`), 'the script carries the nonce');
    assert.match(page.html, /16 files classified: ants \d+ · bees \d+/);
    await waitFor(() => tabs().includes('Predictions · eval-photos'), 15_000, 'a Predictions tab').catch((e: Error) => {
      throw new Error(`${e.message} (tabs: ${tabs().join(', ')})`);
    });

    // A click on row 3 opens that photo.
    await (await api()).predictionsReceive(photosRun.runDir, { type: 'open', payload: { index: 3 } });
    const name = path.basename(result.predictions[3]!.file);
    await waitFor(() => tabs().includes(name), 15_000, `a tab for ${name}`);
  });

  test('a broken file beside a photo: the photo classified, the broken file listed with its reason; roots are the two files’ folders', async () => {
    fs.mkdirSync(scratch, { recursive: true });
    const broken = path.join(scratch, 'broken.png');
    fs.writeFileSync(broken, 'not a PNG at all');
    const ant = path.join(workspaceDir(), 'photos', 'ants', fs.readdirSync(path.join(workspaceDir(), 'photos', 'ants')).sort()[0]!);
    const uris = [vscode.Uri.file(broken), vscode.Uri.file(ant)];
    const result = await vscode.commands.executeCommand<PredictionResult | undefined>('transferLab.classifyWithRun', uris[0], uris, photosRun!.runDir);
    assert.ok(result);
    assert.deepStrictEqual(
      result.predictions.map((p) => p.file),
      [ant],
    );
    assert.strictEqual(result.skipped.length, 1);
    assert.strictEqual(result.skipped[0]!.file, broken);
    const page = (await api()).predictionsPages().find((p) => p.runDir === photosRun!.runDir)!;
    assertSameAsCli(page.html, predictJson(photosRun!.runDir, [broken, ant]), page.result);
    assert.deepStrictEqual(page.roots.slice(1), [scratch, path.dirname(ant)], 'the folders of the chosen files (VS Code serves nothing from a file root)');
    assert.ok(page.html.includes(`<span class="reason">${esc(result.skipped[0]!.reason)}</span>`), `the page lists the reason: ${result.skipped[0]!.reason}`);
    assert.match(page.html, /1 skipped/);
  });

  test('a text run: .txt files get snippets and the probabilities of `predict --json`; a non-UTF-8 file is skipped with its line', async () => {
    const ws = workspaceDir();
    const fruit = ['apple', 'banana', 'cherry', 'grape', 'lemon', 'mango'];
    const vehicle = ['car', 'truck', 'bus', 'train', 'bike', 'plane'];
    const vectors = [...fruit.map((w, i) => `${w} 1 0 ${(i % 3) * 0.1} 0.2`), ...vehicle.map((w, i) => `${w} 0 1 0.2 ${(i % 3) * 0.1}`), 'the 0.1 0.1 0.1 0.1'];
    fs.writeFileSync(path.join(ws, 'topics-vectors.txt'), vectors.join('\n') + '\n');
    for (const [cls, own, other] of [
      ['fruit', fruit, vehicle],
      ['vehicle', vehicle, fruit],
    ] as const) {
      fs.mkdirSync(path.join(ws, 'topics-docs', cls), { recursive: true });
      for (let d = 0; d < 30; d++) {
        const words = Array.from({ length: 3 + (d % 4) }, (_, k) => (d % 2 && k % 3 !== 0 ? other : own)[(d * 7 + k * 5) % 6]!);
        fs.writeFileSync(path.join(ws, 'topics-docs', cls, `${String(d).padStart(2, '0')}.txt`), `The ${words.join(', ')}.\n`);
      }
    }
    fs.writeFileSync(
      path.join(ws, 'text-topics.transfer.json'),
      JSON.stringify({
        base: { kind: 'wordVectors', vectors: 'topics-vectors.txt', encoder: 'mean' },
        data: { train: { kind: 'textFolder', path: 'topics-docs' }, split: { validation: 0.2, test: 0.2 }, text: { maxLength: 12 } },
        transfer: { strategy: 'featureExtraction', head: { units: [] } },
        learningRate: { base: 0.05 },
        training: { epochs: 3, batchSize: 8 },
      }),
    );
    textRun = await vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri('text-topics.transfer.json'));
    assert.ok(textRun?.runId, 'no text run started');
    const outcome = await (await api()).runs.find(textRun.runId)!.done;
    assert.strictEqual(outcome.status, 'completed', outcome.message);
    fs.mkdirSync(scratch, { recursive: true });
    const latin1 = path.join(scratch, 'latin1.txt');
    fs.writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x72, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const folder = wsUri('topics-docs', 'vehicle');
    const uris = [folder, vscode.Uri.file(latin1)];
    const result = await vscode.commands.executeCommand<PredictionResult | undefined>('transferLab.classifyWithRun', uris[0], uris, textRun.runDir);
    assert.ok(result);
    assert.strictEqual(result.kind, 'text');
    assert.strictEqual(result.predictions.length, 30);
    assert.deepStrictEqual(
      result.skipped.map((s) => [s.file, /line 2 is not valid UTF-8/.test(s.reason)]),
      [[latin1, true]],
    );
    const page = (await api()).predictionsPages().find((p) => p.runDir === textRun!.runDir)!;
    const cli = predictJson(textRun.runDir, [folder.fsPath, latin1]);
    assertSameAsCli(page.html, cli, page.result);
    const rows = tableRows(page.html);
    for (const [i, p] of cli.predictions.entries()) {
      assert.strictEqual(rows[i]!.snippet, esc(p.snippet!), `snippet of ${p.file}`);
      assert.ok(!rows[i]!.img, 'no thumbnail for a document');
    }
    assert.deepStrictEqual(page.roots.slice(1), [], 'a text page loads no workspace file');
  });
});
