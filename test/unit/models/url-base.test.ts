// URL bases against servers on 127.0.0.1 only: downloaded once into the content-addressed cache and
// reused without network; a 404 says 404 and the URL; a server that accepts and never answers, or
// trickles a byte every 0.5 s, fails within the limits; size limit; SHA-256 pin; shard paths that
// leave the model's folder; a Keras `.h5` by URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/core/backend/index.js';
import { saveModel } from '../../../src/core/models/io.js';
import { loadKerasModel } from '../../../src/core/models/keras/load.js';
import { loadUrlModel } from '../../../src/core/models/url-base.js';
import { cachedDownload, fetchBytes, type DownloadLimits } from '../../../src/core/models/download.js';

const CNN = path.join(__dirname, '..', '..', 'fixtures', 'keras', 'mnist-cnn.h5');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tl-url-'));

let modelDir: string;
let server: http.Server;
let base: string;
const hits = new Map<string, number>();
const sockets = new Set<import('node:net').Socket>();

before(async () => {
  await initBackend('wasm');
  modelDir = tmp();
  const m = await loadKerasModel(CNN);
  await saveModel(m, modelDir);
  m.dispose();
  const modelJson = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
  const escaping = { ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: ['../../etc/passwd'] }] };
  const missingWeights = { ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: ['gone.bin'] }] };
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const send = (body: Buffer | string) => {
      res.writeHead(200, { 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (url === '/m/model.json') send(fs.readFileSync(path.join(modelDir, 'model.json')));
    else if (url === '/m/weights.bin') send(fs.readFileSync(path.join(modelDir, 'weights.bin')));
    else if (url === '/escape/model.json') send(JSON.stringify(escaping));
    else if (url === '/noweights/model.json') send(JSON.stringify(missingWeights));
    else if (url === '/k/mnist-cnn.h5') send(fs.readFileSync(CNN));
    else if (url === '/silent/model.json') {
      // accepts and never answers
    } else if (url === '/trickle/model.json') {
      res.writeHead(200, { 'content-length': 100000 });
      const t = setInterval(() => res.write('{'), 500);
      res.on('close', () => clearInterval(t));
    } else if (url === '/big/model.json') send(Buffer.alloc(5000, 32));
    else {
      res.writeHead(404, 'Not Found');
      res.end('not here');
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

const fast: DownloadLimits = { connectTimeoutMs: 2000, idleTimeoutMs: 1500, lowSpeedBytesPerSecond: 100, lowSpeedWindowMs: 2000, maxBytes: 1 << 24 };

test('a model.json URL is downloaded once into the cache and then loaded without network', async () => {
  const cache = tmp();
  const progress: number[] = [];
  const first = await loadUrlModel(`${base}/m/model.json`, { cache, onDownload: (p) => p.done && progress.push(p.received) });
  assert.equal(first.fromCache, false);
  assert.deepEqual(progress, [fs.statSync(path.join(modelDir, 'model.json')).size, fs.statSync(path.join(modelDir, 'weights.bin')).size]);
  const before = hits.get('/m/weights.bin');
  const second = await loadUrlModel(`${base}/m/model.json`, { cache });
  assert.equal(second.fromCache, true);
  assert.equal(hits.get('/m/weights.bin'), before, 'no second request');
  const x = tf.randomUniform([2, 28, 28, 1], 0, 255, 'float32', 3);
  assert.deepEqual(Array.from((first.model.predict(x) as tf.Tensor).dataSync()), Array.from((second.model.predict(x) as tf.Tensor).dataSync()));
  // Content-addressed: the weights file is stored under its own SHA-256.
  const sha = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(modelDir, 'weights.bin')))
    .digest('hex');
  assert.ok(fs.existsSync(path.join(cache, 'sha256', sha)));
  assert.deepEqual(
    fs.readdirSync(path.join(cache, 'sha256')).filter((f) => f.includes('.tmp-')),
    [],
  );
  x.dispose();
  first.model.dispose();
  second.model.dispose();
});

test('a 404 says 404 and the URL, for model.json and for a weight shard', async () => {
  await assert.rejects(loadUrlModel(`${base}/nothing/model.json`, { cache: tmp() }), (e: Error) => {
    assert.equal(e.message, `${base}/nothing/model.json: HTTP 404 Not Found`);
    return true;
  });
  await assert.rejects(loadUrlModel(`${base}/noweights/model.json`, { cache: tmp() }), new RegExp(`${base}/noweights/gone\\.bin: HTTP 404 Not Found`));
});

test('a server that accepts and never answers fails after the idle timeout', async () => {
  const t0 = Date.now();
  await assert.rejects(fetchBytes(`${base}/silent/model.json`, fast), /silent\/model\.json: the server sent nothing for 1\.5 s/);
  const ms = Date.now() - t0;
  assert.ok(ms >= 1400 && ms < 5000, `${ms} ms`);
});

test('a server that trickles a byte every 0.5 s fails on the low-speed limit', async () => {
  const t0 = Date.now();
  await assert.rejects(fetchBytes(`${base}/trickle/model.json`, fast), /trickle\/model\.json: too slow: \d bytes in the last 2 s \(less than 100 bytes\/s\)/);
  assert.ok(Date.now() - t0 < 6000);
});

test('the size limit, by Content-Length', async () => {
  await assert.rejects(
    fetchBytes(`${base}/big/model.json`, { ...fast, maxBytes: 1000 }),
    /big\/model\.json: the file is 5000 bytes, more than the limit of 1000 bytes/,
  );
});

test('a SHA-256 pin: a mismatch is refused and nothing cached; the right hash is served from the cache by hash', async () => {
  const cache = tmp();
  const url = `${base}/m/model.json`;
  const wrong = '0'.repeat(64);
  await assert.rejects(cachedDownload(url, { cache, sha256: wrong }), new RegExp(`SHA-256 mismatch: expected ${wrong}, the download has [0-9a-f]{64}`));
  assert.ok(!fs.existsSync(path.join(cache, 'sha256')));
  const right = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(modelDir, 'model.json')))
    .digest('hex');
  const got = await cachedDownload(url, { cache, sha256: right });
  assert.equal(got.fromCache, false);
  assert.equal((await cachedDownload(url, { cache, sha256: right })).fromCache, true);
});

test('a weight shard path that leaves the model folder is refused before any request', async () => {
  const n = hits.get('/etc/passwd') ?? 0;
  await assert.rejects(loadUrlModel(`${base}/escape/model.json`, { cache: tmp() }), /weight file path "\.\.\/\.\.\/etc\/passwd" leaves the model's folder/);
  assert.equal(hits.get('/etc/passwd') ?? 0, n);
});

test('a Keras .h5 by URL loads as the same model as from disk', async () => {
  const { model } = await loadUrlModel(`${base}/k/mnist-cnn.h5`, { cache: tmp() });
  const local = await loadKerasModel(CNN);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 255, 'float32', 5);
  assert.deepEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()), Array.from((local.predict(x) as tf.Tensor).dataSync()));
  x.dispose();
  model.dispose();
  local.dispose();
});
