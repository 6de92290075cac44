/**
 * A real Keras `.h5` from a public repository (test/fixtures/keras/SOURCES.md) as the base of a
 * feature-extraction and a fine-tuning run started with Run Experiment in the real worker, and the
 * same file as a `url` base served from 127.0.0.1: the status bar's run shows the download, the run
 * completes, and a second run reuses the cached copy without a request.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/runs/events.js';
import type { StartedRun } from '../../src/extension/commands/runCommands.js';
import { api, workerChildren, waitFor, workspaceDir, wsUri } from './helpers.js';

const FIXTURE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras', 'mnist-cnn.h5');
const run = (file: string) => vscode.commands.executeCommand<StartedRun | undefined>('transferLab.runExperiment', wsUri(file));
const summaryOf = (runDir: string) => JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;

/** Digits 3 vs 8 on the Keras MNIST CNN (trained on raw 0–255 pixels). */
const experiment = (base: unknown, strategy: string, rate: number) => ({
  base,
  data: { train: { kind: 'mnist', classes: [3, 8], perClass: 40 }, image: { scale: 'raw' }, split: { validation: 0.2, test: 0.2 } },
  transfer: { strategy },
  learningRate: { base: rate },
  training: { epochs: 3, batchSize: 8 },
});

suite('Keras .h5 bases (real worker, real digits)', () => {
  const written: string[] = [];
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'transfer-lab-cache-'));
  let server: http.Server | undefined;
  let requests = 0;

  const write = (name: string, body: unknown) => {
    const file = path.join(workspaceDir(), name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof body === 'string') fs.copyFileSync(body, file);
    else fs.writeFileSync(file, JSON.stringify(body, null, 2));
    written.push(file);
  };

  suiteSetup(async () => {
    process.env.TRANSFER_LAB_CACHE = cache; // the worker inherits the extension host's environment
    write('models/mnist-cnn.h5', FIXTURE);
    write('keras-fe.transfer.json', experiment({ kind: 'model', path: 'models/mnist-cnn.h5' }, 'featureExtraction', 0.03));
    write('keras-ft.transfer.json', experiment({ kind: 'model', path: 'models/mnist-cnn.h5' }, 'fineTune', 0.01));
    const body = fs.readFileSync(FIXTURE);
    server = http.createServer((req, res) => {
      requests++;
      // Slowly enough (64 KB every 100 ms) that the status bar can show the download.
      res.writeHead(200, { 'content-length': body.length });
      let at = 0;
      const t = setInterval(() => {
        res.write(body.subarray(at, at + 65536));
        at += 65536;
        if (at >= body.length) {
          clearInterval(t);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist-cnn.h5`;
    write('keras-url.transfer.json', experiment({ kind: 'url', url }, 'featureExtraction', 0.03));
  });

  teardown(async () => {
    await (await api()).runs.stopAll(2_000);
  });

  suiteTeardown(async () => {
    server?.close();
    delete process.env.TRANSFER_LAB_CACHE;
    for (const f of written) fs.rmSync(f, { force: true });
    fs.rmSync(path.join(workspaceDir(), 'models'), { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  for (const [file, strategy] of [
    ['keras-fe.transfer.json', 'featureExtraction'],
    ['keras-ft.transfer.json', 'fineTune'],
  ] as const) {
    test(`Run Experiment: ${strategy} on the Keras mnist-cnn.h5 base completes`, async () => {
      const started = await run(file);
      assert.ok(started?.runId, 'no run started');
      const outcome = await (await api()).runs.find(started.runId)!.done;
      assert.strictEqual(outcome.status, 'completed', outcome.message);
      const s = summaryOf(started.runDir);
      assert.strictEqual(s.strategy, strategy);
      assert.ok((s.test?.accuracy ?? 0) >= 0.75, `test accuracy ${s.test?.accuracy}`);
      const log = fs.readFileSync(path.join(started.runDir, 'metrics.jsonl'), 'utf8');
      assert.match(log, /mnist-cnn\.h5; 8 base layers, cut at \\"dense_2\\"/);
      await waitFor(() => workerChildren().length === 0, 10_000, 'no worker left');
    });
  }

  test('a URL base: the status bar shows the download, the run completes, the next run uses the cache', async () => {
    const a = await api();
    const pending = run('keras-url.transfer.json');
    const seen = await waitFor(() => a.runs.active().find((r) => r.download && r.download.received > 0), 60_000, 'download progress on the active run');
    assert.match(seen.download!.url, /mnist-cnn\.h5$/);
    const started = await pending;
    assert.ok(started?.runId, 'no run started');
    assert.strictEqual((await a.runs.find(started.runId)!.done).status, 'completed');
    assert.strictEqual(requests, 1);
    const again = await run('keras-url.transfer.json');
    assert.ok(again?.runId);
    assert.strictEqual((await a.runs.find(again.runId)!.done).status, 'completed');
    assert.strictEqual(requests, 1, 'the second run downloaded again');
  });
});
