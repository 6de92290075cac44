// A `url` base through the CLI and the worker as child processes, against a server on 127.0.0.1:
// progress and one download, then the cached copy (no request) on the next run; a 404 and a server
// that never answers end the run with exit 2 and a message naming the URL, before any training.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CNN = path.join(ROOT, 'test', 'fixtures', 'keras', 'mnist-cnn.h5');

let server: http.Server;
let base: string;
const hits: string[] = [];
const sockets = new Set<import('node:net').Socket>();

before(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/mnist-cnn.h5') {
      const body = fs.readFileSync(CNN);
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/silent/model.json') {
      // accepts and never answers
    } else {
      res.writeHead(404, 'Not Found');
      res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

/** Runs the CLI without blocking this process's event loop (the server above answers meanwhile). */
function cli(args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => p.kill('SIGKILL'), 240_000);
    p.on('close', (status) => {
      clearTimeout(kill);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

function workspace(url: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-urlrun-'));
  fs.writeFileSync(
    path.join(dir, 'u.transfer.json'),
    JSON.stringify({
      base: { kind: 'url', url },
      data: { train: { kind: 'mnist', classes: [3, 8], perClass: 30 }, image: { scale: 'raw' }, split: { validation: 0.2, test: 0.2 } },
      transfer: { strategy: 'featureExtraction' },
      learningRate: { base: 0.03 },
      training: { epochs: 2, batchSize: 8 },
    }),
  );
  return dir;
}

test('run: a URL base is downloaded once with progress, then taken from the cache', async () => {
  const dir = workspace(`${base}/mnist-cnn.h5`);
  const env = { TRANSFER_LAB_CACHE: path.join(dir, 'cache') };
  const before = await cli(['validate', 'u.transfer.json'], dir, env);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, new RegExp(`base ${base}/mnist-cnn\\.h5: not in the download cache \\(.*cache\\); the first run downloads it`));
  assert.equal(hits.filter((h) => h === '/mnist-cnn.h5').length, 0, 'validate downloaded');
  const first = await cli(['run', 'u.transfer.json'], dir, env);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, new RegExp(`downloaded ${base}/mnist-cnn\\.h5 \\(1\\.6 MB\\)`));
  assert.equal(hits.filter((h) => h === '/mnist-cnn.h5').length, 1);
  const second = await cli(['run', 'u.transfer.json', '--json'], dir, env);
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /download/);
  assert.equal(hits.filter((h) => h === '/mnist-cnn.h5').length, 1, 'no second request');
  assert.equal(JSON.parse(second.stdout).status, 'completed');
  const after = await cli(['validate', 'u.transfer.json', '--json'], dir, env);
  assert.equal(after.status, 0, after.stderr);
  const cache = JSON.parse(after.stdout).cache;
  assert.equal(cache.cached, true);
  assert.equal(cache.bytes, fs.statSync(CNN).size);
  assert.equal(cache.sha256, 'a6bfd0ac99e6b9bf06d7da0e3a0828d8b2ad0f7ca3a3d4cb1bbb70bd997c3f0e'); // test/fixtures/keras/SOURCES.md
  assert.equal(hits.filter((h) => h === '/mnist-cnn.h5').length, 1, 'validate downloaded');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('validate: URL and sha256 forms checked without a request (exit 2 naming /base/url or /base/sha256)', async () => {
  const cases: [object, RegExp][] = [
    [{ kind: 'url', url: 'http://' }, /\/base\/url: "http:\/\/" is not a valid URL/],
    [{ kind: 'url', url: 'https://user:secret@example.com/model.json' }, /\/base\/url: .* carries user credentials/],
    [{ kind: 'url', url: `${base}/m.h5`, sha256: 'abc123' }, /\/base\/sha256/],
  ];
  const count = hits.length;
  for (const [b, message] of cases) {
    const dir = workspace('');
    const file = path.join(dir, 'u.transfer.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), base: b }));
    const r = await cli(['validate', 'u.transfer.json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache') });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, message);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A path that names neither a model.json nor a Keras file: a warning, still valid.
  const dir = workspace(`${base}/models/latest`);
  const r = await cli(['validate', 'u.transfer.json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache') });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /warning \/base\/url: .*names neither a model\.json/);
  assert.equal(hits.length, count, 'validate made a request');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('run: a 404 exits 2 saying 404 and the URL', async () => {
  const dir = workspace(`${base}/missing/model.json`);
  const r = await cli(['run', 'u.transfer.json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache') });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${base}/missing/model\\.json: HTTP 404 Not Found`));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('run: a server that accepts and never answers ends the run with exit 2 after the idle timeout', async () => {
  const dir = workspace(`${base}/silent/model.json`);
  const r = await cli(['run', 'u.transfer.json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache'), TRANSFER_LAB_IDLE_TIMEOUT_MS: '2000' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /silent\/model\.json: the server sent nothing for 2 s/);
  assert.ok(r.ms < 60_000, `${r.ms} ms`);
  fs.rmSync(dir, { recursive: true, force: true });
});
