// The run recorder on a real temp folder: what each step writes (summary.json, metrics.jsonl,
// worker.log, result files), what reaches the callbacks, and the record of a failing analysis.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveExperiment } from '../../../src/core/experiment/resolve.js';
import type { RunEvent, RunSummary } from '../../../src/core/runs/events.js';
import { readMetrics, readSummary } from '../../../src/core/runs/store.js';
import { runAnalysis } from '../../../src/core/tasks/analysis.js';
import { RunRecorder } from '../../../src/core/tasks/recorder.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-recorder-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const runsDir = path.join(root, 'runs');
const exp = resolveExperiment({ base: { kind: 'builtin' }, data: { train: { kind: 'mnist' } } }, path.join(root, 'digits.transfer.json'));
const backend = { name: 'wasm', reason: 'test' };

test('a record: running summary with pid, events in metrics.jsonl and the callbacks, artifact, finish', () => {
  const events: RunEvent[] = [];
  const summaries: RunSummary[] = [];
  const started: string[] = [];
  const rec = RunRecorder.open(
    exp,
    runsDir,
    backend,
    {
      started: (id, dir) => started.push(`${id} ${dir}`),
      event: (_id, e) => events.push(e),
      summary: (_id, s) => summaries.push(structuredClone(s)),
    },
    { strategy: 'fineTune', epochsPlanned: 3, summary: { stepsPerEpoch: 7 } },
  );
  assert.equal(readSummary(rec.dir), undefined, 'nothing but config.json before start');
  rec.start();
  assert.deepEqual(started, [`${rec.id} ${rec.dir}`]);
  const first = readSummary(rec.dir)!;
  assert.equal(first.status, 'running');
  assert.equal(first.pid, process.pid);
  assert.equal(first.strategy, 'fineTune');
  assert.equal(first.epochsPlanned, 3);
  assert.equal(first.stepsPerEpoch, 7);
  assert.equal(first.experiment, exp.name);
  rec.emit({ kind: 'log', level: 'warn', message: 'hello' });
  assert.equal(rec.writeArtifact('gaborMatch', { version: 1 }), 'gabor-match.json');
  rec.result('mean correlation', 0.5);
  const s = rec.finish('completed');
  assert.equal(s.status, 'completed');
  assert.equal(s.pid, undefined);
  assert.ok(s.endedAt && s.cpuSeconds! > 0 && s.memory!.rssPeakBytes > 0);
  assert.deepEqual(readSummary(rec.dir), s);
  assert.deepEqual(s.results, [{ name: 'mean correlation', value: 0.5 }]);
  assert.deepEqual(s.artifacts, { gaborMatch: 'gabor-match.json' });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(rec.dir, 'gabor-match.json'), 'utf8')), { version: 1 });
  const written = readMetrics(rec.dir);
  assert.deepEqual(written, events);
  assert.deepEqual(
    written.map((e) => e.kind),
    ['log', 'log', 'artifact'],
  );
  assert.match(fs.readFileSync(path.join(rec.dir, 'worker.log'), 'utf8'), /\[info\] backend wasm: test\n.*\[warn\] hello\n/);
  assert.equal(summaries.at(-1)!.status, 'completed');
  assert.ok(summaries.length >= 3, 'start, artifact and finish each report the summary');
});

test('runAnalysis: a throwing analysis is a failed run with its message; a stop request makes it stopped', async () => {
  const failed = await runAnalysis(exp, runsDir, backend, {}, 'gaborMatch', 'gaborMatch', async () => {
    throw new Error('no Conv2D here');
  });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error, 'no Conv2D here');
  assert.equal(failed.task, 'gaborMatch');
  const dir = path.join(runsDir, exp.name, failed.runId);
  assert.deepEqual(readSummary(dir), failed);
  assert.ok(readMetrics(dir).some((e) => e.kind === 'log' && e.level === 'error' && e.message.includes('no Conv2D here')));
  const stopped = await runAnalysis(exp, runsDir, backend, { shouldStop: () => true }, 'layerSweep', 'layerSweep', async () => {});
  assert.equal(stopped.status, 'stopped');
});
