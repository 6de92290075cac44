// The catalogue of well-known models through the CLI, against a server on 127.0.0.1 standing in
// for the catalogue's origin (TRANSFER_LAB_CATALOG_URL): `models` lists it, a catalogued base is
// downloaded on first use and then cached (validate says so), and with no server the run exits 2
// with a message saying what to do; an unknown name is an error of validate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CATALOG } from '../../src/core/models/catalog.js';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** A small Teachable-Machine-shaped tfjs Layers model (nested, fixed input) served in place of the catalogued model. */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'models', 'teachable');
const ENTRY = CATALOG.find((e) => e.name === 'teachable-machine-mobilenet-v2-0.35-224')!;

let server: http.Server;
let origin: string;
const hits: string[] = [];

before(async () => {
  const folder = path.posix.dirname(ENTRY.path);
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const file = req.url?.startsWith(folder + '/') ? path.join(FIXTURE, req.url.slice(folder.length + 1)) : undefined;
    if (file && fs.existsSync(file)) {
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404, 'Not Found');
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => p.kill('SIGKILL'), 240_000);
    p.on('close', (status) => {
      clearTimeout(kill);
      resolve({ status, stdout, stderr });
    });
  });
}

function workspace(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-catalog-'));
  fs.writeFileSync(
    path.join(dir, 'c.transfer.json'),
    JSON.stringify({
      base: { kind: 'catalog', name, inputShape: [28, 28, 3] },
      data: { train: { kind: 'mnist', classes: [3, 8], perClass: 20 }, split: { validation: 0.2, test: 0.2 } },
      transfer: { strategy: 'featureExtraction' },
      training: { epochs: 1, batchSize: 8 },
    }),
  );
  return dir;
}

test('models lists the catalogue (unpinned, not cached) and the Keras Applications', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-catalog-'));
  const r = await cli(['models'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache'), TRANSFER_LAB_CATALOG_URL: origin });
  assert.equal(r.status, 0, r.stderr);
  for (const e of CATALOG) assert.match(r.stdout, new RegExp(`${e.name.replace(/\./g, '\\.')} +224×224 +symmetric +.*unpinned +no`));
  assert.match(r.stdout, new RegExp(`${origin}/tfjs-models/tfjs/mobilenet_v1_0\\.25_224/model\\.json`));
  assert.match(r.stdout, /ResNet50 +224×224 +caffe/);
  const j = JSON.parse((await cli(['models', '--json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache') })).stdout);
  assert.equal(j.catalog[0].url, `https://storage.googleapis.com${CATALOG[0]!.path}`);
  assert.equal(hits.length, 0, 'models made a request');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a catalogued base: downloaded on first use, then cached (validate says so, models too)', async () => {
  const dir = workspace(ENTRY.name);
  const env = { TRANSFER_LAB_CACHE: path.join(dir, 'cache'), TRANSFER_LAB_CATALOG_URL: origin };
  const v = await cli(['validate', 'c.transfer.json'], dir, env);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /not in the download cache/);
  const first = await cli(['run', 'c.transfer.json', '--json'], dir, env);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.equal(JSON.parse(first.stdout).status, 'completed');
  assert.deepEqual(hits.filter((h) => h.includes('teachable')).length, 2, 'model.json and weights.bin once each');
  const again = await cli(['run', 'c.transfer.json', '--json'], dir, env);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(hits.filter((h) => h.includes('teachable')).length, 2, 'the second run downloaded again');
  const after = await cli(['validate', 'c.transfer.json'], dir, env);
  assert.match(after.stdout, /: cached \(\d+ bytes, sha256 [0-9a-f]{64}/);
  const m = await cli(['models'], dir, env);
  assert.match(m.stdout, new RegExp(`${ENTRY.name.replace(/\./g, '\\.')} +.*unpinned +yes`));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('offline: the run exits 2 naming the model and what to do; an unknown name fails validate', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const dir = workspace('mobilenet-v1-0.25-224');
  const r = await cli(['run', 'c.transfer.json'], dir, { TRANSFER_LAB_CACHE: path.join(dir, 'cache'), TRANSFER_LAB_CATALOG_URL: `http://127.0.0.1:${port}` });
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /the catalogued model "mobilenet-v1-0\.25-224" is not in the download cache and could not be downloaded .*Connect to the network once/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  const bad = workspace('mobilenet-v9');
  const v = await cli(['validate', 'c.transfer.json'], bad, { TRANSFER_LAB_CACHE: path.join(bad, 'cache') });
  assert.equal(v.status, 2);
  assert.match(v.stderr, /\/base\/name/);
  fs.rmSync(bad, { recursive: true, force: true });
});
