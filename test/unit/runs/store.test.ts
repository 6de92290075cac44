// The run store on a real temp folder: layout, append/read round trip, a truncated last line, atomic
// summaries, a dead worker's `running` summary read as `interrupted`, listing, latest, delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { ResolvedExperiment } from '../../../src/core/experiment/types.js';
import type { EpochEvent, RunEvent, RunSummary } from '../../../src/core/runs/events.js';
import {
  createRun,
  deleteRun,
  experimentDirName,
  latestRun,
  listRuns,
  newRunId,
  readConfig,
  readLabels,
  readMetrics,
  readMetricsFrom,
  readSummary,
  RUN_ID_PATTERN,
  runIdDate,
  writeSummaryFile,
} from '../../../src/core/runs/store.js';

let root: string;
let runsDir: string;
let exp: ResolvedExperiment;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-store-'));
  runsDir = path.join(root, '.transfer-lab', 'runs');
  exp = resolveExperiment({ base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } } }, path.join(root, 'digits.transfer.json'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const epoch = (n: number): EpochEvent => ({
  kind: 'epoch',
  epoch: n,
  stage: 0,
  trainLoss: 1 / (n + 1),
  trainAccuracy: 0.5,
  valLoss: 0.9,
  valAccuracy: 0.6,
  seconds: 1.5,
  samplesPerSecond: 100,
  numTensors: 12,
});

function summary(runId: string, status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId,
    experiment: 'digits',
    experimentFile: exp.file,
    status,
    startedAt: new Date().toISOString(),
    seconds: 1,
    strategy: 'fineTune',
    epochsPlanned: 5,
    epochsDone: 1,
    ...extra,
  };
}

test('run ids sort by time (to the millisecond) and parse back', () => {
  const a = newRunId(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 998)));
  const b = newRunId(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 999)));
  const c = newRunId(new Date(Date.UTC(2026, 0, 2, 3, 4, 6, 0)));
  assert.match(a, RUN_ID_PATTERN);
  assert.ok(a.startsWith('20260102-030405-'));
  assert.ok(a < b && b < c, `${a} < ${b} < ${c}`);
  assert.equal(runIdDate(a)?.toISOString(), '2026-01-02T03:04:05.998Z');
  assert.equal(runIdDate('not-a-run'), undefined);
  assert.equal(experimentDirName('a/b:c'), 'a_b_c');
  assert.equal(experimentDirName('..'), '_');
  assert.equal(experimentDirName('digits-5-9'), 'digits-5-9');
});

test('createRun lays out the folder and writes the config snapshot', () => {
  const run = createRun(runsDir, exp);
  try {
    assert.equal(path.dirname(run.dir), path.join(runsDir, 'digits'));
    assert.equal(path.basename(run.dir), run.id);
    assert.deepEqual(readConfig(run.dir), JSON.parse(JSON.stringify(exp)));
    assert.equal(run.logPath, path.join(run.dir, 'worker.log'));
    const best = run.checkpointDir('best');
    assert.equal(best, path.join(run.dir, 'checkpoints', 'best'));
    assert.ok(fs.statSync(best).isDirectory());
    run.writeLabels(['zero', 'one']);
    assert.deepEqual(readLabels(run.dir), ['zero', 'one']);
    run.log('hello');
    assert.match(fs.readFileSync(run.logPath, 'utf8'), /^\d{4}-\d\d-\d\dT.* hello\n$/);
  } finally {
    run.close();
  }
});

test('append/read round trip, one line per event; NaN becomes null', () => {
  const run = createRun(runsDir, exp);
  const events: RunEvent[] = [
    { kind: 'stage', stage: 0, name: 'head', epochs: 2, frozen: ['conv1'], trainable: [] },
    { kind: 'step', step: 0, epoch: 0, stage: 0, loss: 2.3, lr: { head: 0.001, base: 0.0001 } },
    epoch(0),
    { kind: 'log', level: 'warn', message: 'multi\nline "message"' },
    { kind: 'test', loss: 0.3, accuracy: 0.9, checkpoint: 'best', examples: 100 },
  ];
  for (const e of events) run.append(e);
  run.append({ kind: 'step', step: 1, epoch: 0, stage: 0, loss: NaN, lr: { head: 0.001 } });
  run.close();
  const lines = fs.readFileSync(run.metricsPath, 'utf8').split('\n');
  assert.equal(lines.length, events.length + 2, 'one line per event plus the final newline');
  const back = readMetrics(run.dir);
  assert.deepEqual(back.slice(0, events.length), events);
  assert.equal((back[events.length] as { loss: unknown }).loss, null);
  // appending after close reopens
  run.append(epoch(1));
  run.close();
  assert.equal(readMetrics(run.dir).length, events.length + 2);
});

test('a truncated last line (killed writer) is skipped; tailing waits for the newline', () => {
  const run = createRun(runsDir, exp);
  run.append(epoch(0));
  run.append(epoch(1));
  run.close();
  const full = JSON.stringify(epoch(2));
  fs.appendFileSync(run.metricsPath, full.slice(0, 25));
  assert.deepEqual(readMetrics(run.dir), [epoch(0), epoch(1)]);

  const first = readMetricsFrom(run.dir, 0);
  assert.deepEqual(first.events, [epoch(0), epoch(1)]);
  assert.equal(readMetricsFrom(run.dir, first.nextOffset).events.length, 0, 'partial line not consumed');
  fs.appendFileSync(run.metricsPath, full.slice(25) + '\n');
  const next = readMetricsFrom(run.dir, first.nextOffset);
  assert.deepEqual(next.events, [epoch(2)]);
  assert.equal(next.nextOffset, fs.statSync(run.metricsPath).size);
  assert.deepEqual(readMetrics(path.join(root, 'no-such-run')), []);
});

test('summaries are replaced atomically (temp + rename), leaving no temp files', () => {
  const run = createRun(runsDir, exp);
  run.writeSummary(summary(run.id, 'completed', { epochsDone: 1 }));
  // A stray temp file from a writer killed mid-write does not affect readers.
  fs.writeFileSync(path.join(run.dir, 'summary.json.99999.0.tmp'), '{"runId": "half');
  assert.equal(readSummary(run.dir)?.epochsDone, 1);
  // Many rewrites: every read in between sees a whole summary.
  for (let i = 2; i <= 30; i++) {
    run.writeSummary(summary(run.id, 'completed', { epochsDone: i }));
    const s = readSummary(run.dir);
    assert.equal(s?.epochsDone, i);
  }
  const tmp = fs.readdirSync(run.dir).filter((f) => f.endsWith('.tmp') && !f.includes('99999'));
  assert.deepEqual(tmp, []);
  writeSummaryFile(run.dir, summary(run.id, 'failed', { error: 'boom' }));
  assert.equal(readSummary(run.dir)?.status, 'failed');
});

test('a running summary whose worker is dead reads as interrupted', async () => {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  const run = createRun(runsDir, exp);
  run.writeSummary(summary(run.id, 'running', { pid }));
  assert.equal(readSummary(run.dir)?.status, 'interrupted');
  assert.equal(JSON.parse(fs.readFileSync(run.summaryPath, 'utf8')).status, 'running', 'the file is not rewritten');
  run.writeSummary(summary(run.id, 'running', { pid: process.pid }));
  assert.equal(readSummary(run.dir)?.status, 'running', 'a live pid stays running');
});

test('listRuns (newest first), latestRun by status, summary-less runs, deleteRun', () => {
  const dir = path.join(root, 'list');
  const other = resolveExperiment({ name: 'other', base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } } }, path.join(root, 'o.transfer.json'));
  const ids: string[] = [];
  for (const status of ['completed', 'failed', 'completed', 'stopped'] as const) {
    const run = createRun(dir, exp);
    run.writeSummary(summary(run.id, status));
    ids.push(run.id);
  }
  const crashed = createRun(dir, exp); // died before its first summary
  createRun(dir, other).writeSummary(summary('x', 'completed', { experiment: 'other' }));
  fs.mkdirSync(path.join(dir, 'digits', 'not-a-run'));

  const runs = listRuns(dir, 'digits');
  assert.equal(runs.length, 5);
  assert.deepEqual(
    runs.map((r) => r.runId),
    [crashed.id, ...[...ids].reverse()],
    'newest first',
  );
  const fromConfig = runs.find((r) => r.runId === crashed.id)!;
  assert.equal(fromConfig.summary.status, 'interrupted');
  assert.equal(fromConfig.summary.experiment, 'digits');
  assert.equal(listRuns(dir).length, 6);
  assert.deepEqual(listRuns(path.join(root, 'nothing-here')), []);

  const completed = runs.filter((r) => r.summary.status === 'completed').map((r) => r.runId);
  assert.equal(latestRun(dir, 'digits', { status: 'completed' })?.runId, completed[0]);
  assert.equal(latestRun(dir, 'digits')?.runId, runs[0].runId);
  assert.equal(latestRun(dir, 'nobody'), undefined);

  deleteRun(path.join(dir, 'digits', ids[1]));
  assert.equal(fs.existsSync(path.join(dir, 'digits', ids[1])), false);
  assert.throws(() => deleteRun(path.join(dir, 'digits', 'not-a-run')), /not a run folder/);
  assert.throws(() => deleteRun(root), /not a run folder/);
  const live = createRun(dir, exp);
  live.writeSummary(summary(live.id, 'running', { pid: process.pid }));
  assert.throws(() => deleteRun(live.dir), /still running/);
});
