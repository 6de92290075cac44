// The CLI and the worker as real child processes on real digits: a run's record, exit codes for bad
// input, stop, a worker killed mid-run, and a worker whose parent dies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startWorker } from '../../src/worker/client.js';
import { readMetrics, readSummary } from '../../src/core/runs/store.js';
import { writeRunMeta } from '../../src/core/runs/meta.js';
import type { WorkerToHost } from '../../src/protocol/worker.js';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const WORKER = path.join(ROOT, 'dist', 'worker.js');

function workspace(experiments: Record<string, unknown>): { dir: string; runs: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-worker-'));
  for (const [name, body] of Object.entries(experiments))
    fs.writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return { dir, runs: path.join(dir, '.transfer-lab', 'runs') };
}

const tiny = (epochs = 1, perClass = 40) => ({
  base: { kind: 'builtin', architecture: 'smallCnn' },
  data: { train: { kind: 'mnist', classes: [3, 8], perClass }, split: { validation: 0.2, test: 0.2 } },
  transfer: { strategy: 'scratch' },
  learningRate: { base: 0.003 },
  training: { epochs, batchSize: 8 },
});

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
}

test('run: a tiny real run leaves a complete, valid record and exits 0', () => {
  const ws = workspace({ 'tiny.transfer.json': tiny(2, 60) });
  const r = cli(['run', 'tiny.transfer.json', '--json'], ws.dir);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, 'completed');
  assert.equal(s.backend.name, 'wasm');
  assert.match(s.backend.reason, /tfjs-node/);
  assert.ok(s.test.accuracy > 0.5, `test accuracy ${s.test.accuracy}`);
  const runDir = path.join(ws.runs, 'tiny', s.runId);
  for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'labels.json', 'worker.log', 'checkpoints/best/model.json', 'checkpoints/last/model.json']) {
    assert.ok(fs.existsSync(path.join(runDir, f)), `${f} missing`);
  }
  for (const which of ['best', 'last']) {
    // Saves alternate between two weight file names (atomic saves): the one model.json names is there, alone.
    const named = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', which, 'model.json'), 'utf8')).weightsManifest[0].paths;
    assert.deepEqual(
      fs.readdirSync(path.join(runDir, 'checkpoints', which)).filter((f) => f.endsWith('.bin')),
      named,
    );
  }
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'labels.json'), 'utf8')).classNames, ['3', '8']);
  const events = readMetrics(runDir);
  assert.ok(events.some((e) => e.kind === 'step') && events.some((e) => e.kind === 'epoch') && events.some((e) => e.kind === 'test'));
  const list = cli(['runs', '--json'], ws.dir);
  assert.equal(JSON.parse(list.stdout)[0].summary.runId, s.runId);
  assert.deepEqual(JSON.parse(list.stdout)[0].meta, {}, 'no meta.json: no name or tags');
  // Name and tags (meta.json) in the table and the JSON; a bad meta.json is named and the listing goes on.
  writeRunMeta(runDir, { name: 'first try', tags: ['baseline', 'digits'] });
  const named = cli(['runs', 'tiny.transfer.json'], ws.dir);
  assert.match(named.stdout, /^experiment +run +name +tags +status/m);
  assert.match(named.stdout, new RegExp(`${s.runId} +first try +baseline, digits +completed`));
  assert.deepEqual(JSON.parse(cli(['runs', '--json'], ws.dir).stdout)[0].meta, { name: 'first try', tags: ['baseline', 'digits'] });
  fs.writeFileSync(path.join(runDir, 'meta.json'), '{"name": ');
  const bad = cli(['runs', '--json'], ws.dir);
  assert.equal(bad.status, 0);
  assert.match(bad.stderr, /meta\.json: not valid JSON/);
  assert.match(JSON.parse(bad.stdout)[0].metaError, /meta\.json: not valid JSON/);
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('run --seed replaces training.seed (recorded in config.json); a bad --seed exits 2', () => {
  const ws = workspace({ 'tiny.transfer.json': tiny(1, 30) });
  const runs = [undefined, 5].map((seed) => {
    const r = cli(['run', 'tiny.transfer.json', '--json', ...(seed === undefined ? [] : ['--seed', String(seed)])], ws.dir);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    return JSON.parse(fs.readFileSync(path.join(ws.runs, 'tiny', s.runId, 'config.json'), 'utf8'));
  });
  assert.equal(runs[0].training.seed, 42, 'the schema default when no --seed');
  assert.equal(runs[1].training.seed, 5);
  const listed = JSON.parse(cli(['runs', '--json'], ws.dir).stdout) as { summary: { seed?: number } }[];
  assert.deepEqual(listed.map((r) => r.summary.seed).sort(), [42, 5].sort(), 'the seed is in each summary');
  const bad = cli(['run', 'tiny.transfer.json', '--seed', '1.5'], ws.dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /option '--seed <n>' argument '1\.5' is invalid\. expected an integer/);
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test("a run base's layers are checked before training: a stage freezing an unknown layer exits 2 in validate and run", () => {
  const target = {
    base: { kind: 'run', experiment: 'tiny.transfer.json' },
    data: { train: { kind: 'mnist', classes: [3, 8], perClass: 30 }, split: { validation: 0.2 } },
    transfer: {
      strategy: 'fineTune',
      stages: [
        { epochs: 1, freeze: { all: true } },
        { epochs: 1, freeze: { names: ['conv9'] } },
      ],
    },
    training: { epochs: 2, batchSize: 8 },
  };
  const ws = workspace({ 'tiny.transfer.json': tiny(1, 30), 'target.transfer.json': target });
  assert.equal(cli(['run', 'tiny.transfer.json'], ws.dir).status, 0);
  const v = cli(['validate', 'target.transfer.json'], ws.dir);
  assert.equal(v.status, 2, v.stdout + v.stderr);
  assert.match(v.stderr, /target\.transfer\.json:\d+:\d+ error \/transfer\/stages\/1\/freeze\/names\/0: no layer "conv9" in the base; did you mean "conv1"\?/);
  const r = cli(['run', 'target.transfer.json'], ws.dir);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /\/transfer\/stages\/1\/freeze\/names\/0/);
  assert.ok(!fs.existsSync(path.join(ws.runs, 'target')), 'no run folder: nothing trained');
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('bad input exits 2 and names the file, the JSON path and line:column', () => {
  const bad =
    '{\n  "base": { "kind": "builtin", "architecture": "smallCnn" },\n  "data": { "train": { "kind": "mnist" } },\n  "training": { "epochs": "three" }\n}\n';
  const ws = workspace({ 'bad.transfer.json': bad, 'nodata.transfer.json': { ...tiny(), data: { train: { kind: 'imageFolder', path: 'photos' } } } });
  const v = cli(['validate', 'bad.transfer.json'], ws.dir);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /bad\.transfer\.json:4:\d+ .*\/training\/epochs/);
  const r = cli(['run', 'bad.transfer.json'], ws.dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\/training\/epochs/);
  const d = cli(['run', 'nodata.transfer.json'], ws.dir);
  assert.equal(d.status, 2, d.stderr);
  assert.match(d.stderr, /photos/);
  assert.ok(!fs.existsSync(ws.runs) || fs.readdirSync(ws.runs).length === 0, 'no run folder for bad input');
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('a fatal error of ~600 KB reaches the CLI whole: exit 2, every problem printed (it was "worker exited (2) without a result", exit 1)', () => {
  // 60 unknown keys of 10,000 characters: each is named twice in its problem line, so the worker's fatal message is ~1.2 MB.
  const exp: Record<string, unknown> = { ...tiny() };
  for (let i = 0; i < 60; i++) exp[`k${String(i).padStart(2, '0')}_${'x'.repeat(10_000)}`] = i;
  const ws = workspace({ 'big.transfer.json': exp });
  const r = cli(['run', 'big.transfer.json'], ws.dir);
  assert.equal(r.status, 2, r.stderr.slice(-500));
  assert.ok(r.stderr.length > 600_000, `stderr has ${r.stderr.length} characters`);
  for (const i of [0, 59]) assert.match(r.stderr, new RegExp(`/k${String(i).padStart(2, '0')}_x{10000}: unknown property`));
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('pathological experiment files: validate and run exit 2 with one clear error (nesting 100,000 deep was a stack overflow, exit 1)', () => {
  const ws = workspace({ 'deep.transfer.json': `{ "base": ${'['.repeat(100_000)}${']'.repeat(100_000)} }`, 'huge.transfer.json': `{${' '.repeat(2 << 20)}}` });
  for (const cmd of ['validate', 'run']) {
    const deep = cli([cmd, 'deep.transfer.json'], ws.dir);
    assert.equal(deep.status, 2, deep.stderr);
    assert.match(deep.stderr, /deep\.transfer\.json:1:74 .*objects and arrays are nested more than 64 levels deep/);
    const huge = cli([cmd, 'huge.transfer.json'], ws.dir);
    assert.equal(huge.status, 2, huge.stderr);
    assert.match(huge.stderr, /huge\.transfer\.json is 2\.1 MB: an experiment file may be at most 1\.0 MB/);
  }
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('advise without --source on a base that is not a run: usage error, exit 2, no run recorded (was exit 1 and a failed run)', () => {
  const ws = workspace({ 'target.transfer.json': tiny() });
  const r = cli(['advise', 'target.transfer.json'], ws.dir);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /target\.transfer\.json:\d+:\d+ \/base\/kind: advice compares the target with the data the base was trained on: the base is "builtin".*--source/,
  );
  assert.ok(!fs.existsSync(ws.runs) || fs.readdirSync(ws.runs).length === 0, 'no run folder');
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

function steps(messages: WorkerToHost[]): number {
  return messages.filter((m) => m.type === 'event' && m.event.kind === 'step').length;
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('stop: the worker ends the step, checkpoints, and records status stopped', async () => {
  const ws = workspace({ 'long.transfer.json': tiny(50, 60) });
  const messages: WorkerToHost[] = [];
  const w = startWorker({
    workerPath: WORKER,
    experimentFile: path.join(ws.dir, 'long.transfer.json'),
    runsDir: ws.runs,
    backend: 'auto',
    onMessage: (m) => messages.push(m),
  });
  await until(() => steps(messages) >= 3);
  const code = await w.stop();
  assert.equal(code, 0);
  const started = messages.find((m) => m.type === 'runStarted') as Extract<WorkerToHost, { type: 'runStarted' }>;
  const s = readSummary(started.runDir)!;
  assert.equal(s.status, 'stopped');
  assert.ok(fs.existsSync(path.join(started.runDir, 'checkpoints', 'last', 'model.json')));
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('a worker killed mid-run leaves a readable record that reads as interrupted', async () => {
  const ws = workspace({ 'long.transfer.json': tiny(50, 60) });
  const messages: WorkerToHost[] = [];
  const w = startWorker({
    workerPath: WORKER,
    experimentFile: path.join(ws.dir, 'long.transfer.json'),
    runsDir: ws.runs,
    backend: 'auto',
    onMessage: (m) => messages.push(m),
  });
  await until(() => steps(messages) >= 5);
  w.kill();
  assert.equal(await w.exited, 'SIGKILL');
  const started = messages.find((m) => m.type === 'runStarted') as Extract<WorkerToHost, { type: 'runStarted' }>;
  const s = readSummary(started.runDir)!;
  assert.equal(s.status, 'interrupted');
  assert.ok(readMetrics(started.runDir).filter((e) => e.kind === 'step').length >= 5);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(started.runDir, 'config.json'), 'utf8')).name, 'long');
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('transfer-lab run whose worker is killed says so: exit 1, status interrupted, the cause', async () => {
  const ws = workspace({ 'long.transfer.json': tiny(50, 60) });
  const child = spawn(process.execPath, [CLI, 'run', 'long.transfer.json', '--json'], { cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The worker's pid is in the run's summary.json once it trains.
  const summaryOf = () => {
    const dir = path.join(ws.runs, 'long');
    const id = fs.existsSync(dir) ? fs.readdirSync(dir)[0] : undefined;
    return id ? readSummary(path.join(dir, id)) : undefined;
  };
  await until(() => (summaryOf()?.epochsDone ?? 0) >= 1);
  process.kill(summaryOf()!.pid!, 'SIGKILL');
  assert.equal(await exited, 1);
  const s = JSON.parse(out);
  assert.equal(s.status, 'interrupted');
  assert.match(s.error, /the worker ended \(SIGKILL\) before the run finished/);
  assert.equal(summaryOf()!.status, 'interrupted');
  // The best epoch so far is recorded, and its checkpoint loads (saves are atomic).
  assert.equal(typeof s.bestEpoch, 'number');
  assert.ok(s.best.valAccuracy > 0, JSON.stringify(s.best));
  const best = JSON.parse(fs.readFileSync(path.join(ws.runs, 'long', s.runId, 'checkpoints', 'best', 'model.json'), 'utf8'));
  assert.equal(best.weightsManifest[0].weights.length > 0, true);
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

test('the worker exits when its parent dies', async () => {
  const ws = workspace({ 'long.transfer.json': tiny(50, 60) });
  // A parent that forks the worker, prints its pid once training runs, then waits forever.
  const parentSrc = `
    const { fork } = require('child_process');
    const c = fork(${JSON.stringify(WORKER)}, [], { stdio: 'ignore', serialization: 'advanced' } );
    c.on('message', (m) => {
      if (m.type === 'ready') c.send({ type: 'start', experimentFile: ${JSON.stringify(path.join(ws.dir, 'long.transfer.json'))}, runsDir: ${JSON.stringify(ws.runs)}, backend: 'auto' });
      if (m.type === 'event' && m.event.kind === 'step' && !globalThis.said) { globalThis.said = 1; console.log(c.pid); }
    });
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentSrc], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  assert.ok(pid > 0);
  parent.kill('SIGKILL');
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  await until(() => !alive(), 15_000);
  fs.rmSync(ws.dir, { recursive: true, force: true });
});
