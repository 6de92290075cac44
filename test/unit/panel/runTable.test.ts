// The run table's sort and filter, the split of analysis runs from training runs, and the
// comparison's axis for a setting against best validation accuracy. Pure functions of the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunItem } from '../../../src/protocol/webview.js';
import { allTags, filterRuns, isSortKey, nextSort, sortRuns, splitRuns } from '../../../webview/panel/runTable.js';
import { defaultSetting, paddedRange, runLabels, settingAxis } from '../../../webview/panel/compareModel.js';

const run = (runId: string, x: Partial<RunItem> = {}): RunItem => ({
  runId,
  status: 'completed',
  startedAt: '',
  epochsDone: 3,
  epochsPlanned: 3,
  seconds: 10,
  ...x,
});

// Newest first, as the host sends them.
const runs: RunItem[] = [
  run('20260101-120500-0000', { name: 'beta', tags: ['photos'], bestValAccuracy: 0.91, seconds: 30, status: 'stopped' }),
  run('20260101-120400-0000', { task: 'advise', seconds: 2 }),
  run('20260101-120300-0000', { name: 'Alpha', tags: ['baseline', 'photos'], bestValAccuracy: 0.95, seconds: 12 }),
  run('20260101-120200-0000', { bestValAccuracy: 0.8, seconds: 12 }),
  run('20260101-120100-0000', { name: 'gamma 10', status: 'failed' }),
  run('20260101-120000-0000', { name: 'gamma 9', tags: ['baseline'], bestValAccuracy: 0.95, seconds: 5 }),
];
const ids = (list: RunItem[]) => list.map((r) => r.name ?? r.runId.slice(9, 13));

test('analysis runs are split from training runs, each in the order given', () => {
  const { training, analyses } = splitRuns(runs);
  assert.deepEqual(ids(training), ['beta', 'Alpha', '1202', 'gamma 10', 'gamma 9']);
  assert.deepEqual(ids(analyses), ['1204']);
});

test('sorting by a number: descending, ties keep the given order, runs without a value last in both directions', () => {
  const { training } = splitRuns(runs);
  assert.deepEqual(ids(sortRuns(training, { key: 'bestValAccuracy', dir: 'desc' })), ['Alpha', 'gamma 9', 'beta', '1202', 'gamma 10']);
  assert.deepEqual(ids(sortRuns(training, { key: 'bestValAccuracy', dir: 'asc' })), ['1202', 'beta', 'Alpha', 'gamma 9', 'gamma 10']);
  assert.deepEqual(ids(sortRuns(training, { key: 'seconds', dir: 'asc' })), ['gamma 9', 'gamma 10', 'Alpha', '1202', 'beta']);
});

test('sorting by text: case-insensitive names, digits compared as numbers, unnamed runs last', () => {
  const { training } = splitRuns(runs);
  assert.deepEqual(ids(sortRuns(training, { key: 'name', dir: 'asc' })), ['Alpha', 'beta', 'gamma 9', 'gamma 10', '1202']);
  assert.deepEqual(ids(sortRuns(training, { key: 'name', dir: 'desc' })), ['gamma 10', 'gamma 9', 'beta', 'Alpha', '1202']);
  assert.deepEqual(ids(sortRuns(training, { key: 'started', dir: 'asc' })), ['gamma 9', 'gamma 10', '1202', 'Alpha', 'beta']);
  assert.deepEqual(ids(sortRuns(training, { key: 'status', dir: 'asc' })), ['Alpha', '1202', 'gamma 9', 'gamma 10', 'beta']);
});

test('a click on the sorted column flips it; another column starts in its natural direction', () => {
  assert.deepEqual(nextSort({ key: 'started', dir: 'desc' }, 'started'), { key: 'started', dir: 'asc' });
  assert.deepEqual(nextSort({ key: 'started', dir: 'asc' }, 'name'), { key: 'name', dir: 'asc' });
  assert.deepEqual(nextSort({ key: 'name', dir: 'asc' }, 'testAccuracy'), { key: 'testAccuracy', dir: 'desc' });
  assert.ok(isSortKey('bestEpoch') && !isSortKey('nope') && !isSortKey(3));
});

test('filtering by tag and by status, together', () => {
  assert.deepEqual(ids(filterRuns(runs, { tag: 'baseline' })), ['Alpha', 'gamma 9']);
  assert.deepEqual(ids(filterRuns(runs, { tag: 'photos', status: 'completed' })), ['Alpha']);
  assert.deepEqual(ids(filterRuns(runs, { status: 'failed' })), ['gamma 10']);
  assert.equal(filterRuns(runs, {}).length, runs.length);
  assert.deepEqual(allTags(runs), ['baseline', 'photos']);
});

test('a numeric setting gets a numeric axis (log when positive over a factor of 10); others a category axis', () => {
  assert.deepEqual(settingAxis(['0.01', '0.001', '0.0001']), { kind: 'numeric', log: true, x: [0.01, 0.001, 0.0001] });
  assert.deepEqual(settingAxis(['8', '16', '32']), { kind: 'numeric', log: false, x: [8, 16, 32] });
  assert.deepEqual(settingAxis(['0', '1e-3']), { kind: 'numeric', log: false, x: [0, 0.001] });
  assert.deepEqual(settingAxis(['"cosine"', '"constant"', '"cosine"']), { kind: 'category', labels: ['constant', 'cosine'], x: [1, 0, 1] });
  // A run without the setting is a category of its own (listed last), so every run stays on the chart.
  assert.deepEqual(settingAxis(['0.5', '—', '"x"']), { kind: 'category', labels: ['0.5', 'x', '—'], x: [0, 2, 1] });
  assert.deepEqual(settingAxis(['true', 'false']), { kind: 'category', labels: ['false', 'true'], x: [1, 0] });
});

test('run labels: the name, else the start time; the experiment when several; unique', () => {
  assert.deepEqual(
    runLabels([
      { runId: '20260101-120000-aaaa', experiment: 'a' },
      { runId: '20260101-120500-bbbb', experiment: 'a', name: 'best' },
    ]),
    ['2026-01-01 12:00:00', 'best'],
  );
  assert.deepEqual(
    runLabels([
      { runId: '20260101-120000-aaaa', experiment: 'a', name: 'x' },
      { runId: '20260101-120500-bbbb', experiment: 'b', name: 'x' },
      { runId: '20260101-120600-cccc', experiment: 'b', name: 'x' },
    ]),
    ['a · x', 'b · x (bbbb)', 'b · x (cccc)'],
  );
  assert.equal(
    defaultSetting(
      [
        { key: 'name', values: [] },
        { key: 'training.epochs', values: [] },
      ],
      undefined,
    ),
    'training.epochs',
  );
  assert.equal(
    defaultSetting(
      [
        { key: 'name', values: [] },
        { key: 'training.epochs', values: [] },
      ],
      'name',
    ),
    'name',
  );
  assert.equal(defaultSetting([], 'name'), undefined);
});

test('one decade of learning rates (3e-4 vs 3e-3) is a log axis; a factor under 10 is linear', () => {
  assert.deepEqual(settingAxis(['0.0003', '0.003']), { kind: 'numeric', log: true, x: [0.0003, 0.003] });
  assert.deepEqual(settingAxis(['16', '128']), { kind: 'numeric', log: false, x: [16, 128] });
});

test('numeric axes get room around the points: 10 % of the span, in decades on a log axis', () => {
  assert.deepEqual(paddedRange([10, 20], false), { min: 9, max: 21 });
  assert.deepEqual(paddedRange([5, 5], false), { min: 4.5, max: 5.5 });
  const log = paddedRange([0.0002, 0.002], true);
  assert.ok(Math.abs(Math.log10(log.min) - Math.log10(0.0002) + 0.1) < 1e-12 && Math.abs(Math.log10(log.max) - Math.log10(0.002) - 0.1) < 1e-12);
});
