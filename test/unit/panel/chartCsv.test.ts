// Chart series as CSV, read back by Python's csv module (an independent RFC 4180 reader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { seriesCsv } from '../../../webview/panel/chart/csv.js';

test('seriesCsv: one row per x, a column per series, gaps empty, awkward labels quoted — as Python reads it', () => {
  const text = seriesCsv('step', [
    {
      label: 'train loss',
      points: [
        { x: 0, y: 2.302585 },
        { x: 1, y: 1.5 },
        { x: 3, y: null },
      ],
    },
    {
      label: 'smoothed, "w=0.6"',
      points: [
        { x: 1, y: 0.1 + 0.2 },
        { x: 2, y: 1e-7 },
      ],
    },
  ]);
  const rows = JSON.parse(
    execFileSync('python3', ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], {
      input: text,
    }).toString(),
  ) as string[][];
  assert.deepEqual(rows, [
    ['step', 'train loss', 'smoothed, "w=0.6"'],
    ['0', '2.302585', ''],
    ['1', '1.5', '0.30000000000000004'],
    ['2', '', '1e-7'],
    ['3', '', ''],
  ]);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(Number(rows[2]![2]), 0.1 + 0.2, 'numbers round-trip exactly');
});
