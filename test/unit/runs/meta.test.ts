// `meta.json` of a run on a real temp folder: missing file, round trip, atomic replacement (a reader
// in another process never sees a partial file; the inode changes; no temp file left), unknown fields
// kept, bad JSON and bad fields named with the file, nothing else in the run folder written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { META_FILE, parseTags, readRunMeta, readRunMetaSafe, RunMetaError, writeRunMeta } from '../../../src/core/runs/meta.js';

let root: string;
let runDir: string;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-meta-'));
  runDir = path.join(root, 'exp', '20260101-120000-0000');
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'summary.json'), '{"status":"completed"}\n');
  fs.writeFileSync(path.join(runDir, 'metrics.jsonl'), '{"kind":"epoch"}\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a run without meta.json has no name, tags or notes', () => {
  assert.deepEqual(readRunMeta(runDir), {});
});

test('name, tags and notes round-trip; empty values remove the field; summary and metrics untouched', () => {
  const before = [fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'), fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')];
  writeRunMeta(runDir, { name: '  lr 3e-4 ', tags: ['Baseline', '#photos', 'baseline'], notes: 'first try' });
  assert.deepEqual(readRunMeta(runDir), { name: 'lr 3e-4', tags: ['baseline', 'photos'], notes: 'first try' });
  writeRunMeta(runDir, { notes: '' });
  assert.deepEqual(readRunMeta(runDir), { name: 'lr 3e-4', tags: ['baseline', 'photos'] });
  writeRunMeta(runDir, { tags: [] });
  assert.deepEqual(readRunMeta(runDir), { name: 'lr 3e-4' });
  assert.deepEqual([fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'), fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')], before);
});

test('fields this version does not know are kept', () => {
  fs.writeFileSync(path.join(runDir, META_FILE), JSON.stringify({ name: 'a', starred: true, extra: { x: [1, 2] } }));
  writeRunMeta(runDir, { name: 'b' });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, META_FILE), 'utf8')), { name: 'b', starred: true, extra: { x: [1, 2] } });
});

test('the file is replaced atomically: new inode, no temp file left, a concurrent reader never sees a partial file', async () => {
  const file = path.join(runDir, META_FILE);
  writeRunMeta(runDir, { notes: 'x' });
  const inode = fs.statSync(file).ino;
  writeRunMeta(runDir, { notes: 'y' });
  assert.notEqual(fs.statSync(file).ino, inode, 'written in place, not renamed over');
  // A reader in another process parses the file as fast as it can while this one rewrites it with long notes.
  const reader = spawn(
    process.execPath,
    [
      '-e',
      `const fs=require('fs');let n=0,bad=0;const end=Date.now()+1500;while(Date.now()<end){try{JSON.parse(fs.readFileSync(${JSON.stringify(file)},'utf8'));n++}catch(e){bad++}}console.log(JSON.stringify({n,bad}))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<void>((r) => reader.on('exit', () => r()));
  const long = 'n'.repeat(9000);
  const until = Date.now() + 1200;
  let writes = 0;
  while (Date.now() < until) {
    writeRunMeta(runDir, { notes: `${long}${writes++}` });
    await new Promise((r) => setImmediate(r));
  }
  await done;
  const { n, bad } = JSON.parse(out) as { n: number; bad: number };
  assert.ok(n > 10 && writes > 10, `reads ${n}, writes ${writes}`);
  assert.equal(bad, 0, `${bad} of ${n + bad} reads saw a partial file`);
  assert.deepEqual(
    fs.readdirSync(runDir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('bad JSON: a clear error naming the file; writing refuses and leaves the file as it was', () => {
  const file = path.join(runDir, META_FILE);
  fs.writeFileSync(file, '{"name": "half');
  assert.throws(
    () => readRunMeta(runDir),
    (e: unknown) => e instanceof RunMetaError && e.file === file && e.message.startsWith(`${file}: not valid JSON`),
  );
  assert.match(readRunMetaSafe(runDir).error ?? '', /meta\.json: not valid JSON/);
  assert.deepEqual(readRunMetaSafe(runDir).meta, {});
  assert.throws(() => writeRunMeta(runDir, { name: 'x' }), /meta\.json: not valid JSON/);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"name": "half');
  fs.writeFileSync(file, '[1]');
  assert.throws(() => readRunMeta(runDir), /meta\.json: expected a JSON object/);
  fs.writeFileSync(file, '{"tags": "a,b"}');
  assert.throws(() => readRunMeta(runDir), /meta\.json: "tags" must be an array of strings/);
  fs.writeFileSync(file, '{"name": 3}');
  assert.throws(() => readRunMeta(runDir), /meta\.json: "name" must be a string/);
  fs.rmSync(file);
});

test('bad values are refused with the field named; nothing is written', () => {
  assert.throws(() => writeRunMeta(runDir, { name: 'two\nlines' }), /"name": a run name is one line/);
  assert.throws(() => writeRunMeta(runDir, { name: 'x'.repeat(81) }), /"name": a run name has at most 80 characters/);
  assert.throws(() => writeRunMeta(runDir, { tags: ['ok', 'no spaces?'] }), /"tags": tag "no"|"tags": tag "spaces\?"/);
  assert.ok(!fs.existsSync(path.join(runDir, META_FILE)));
  assert.throws(() => writeRunMeta(path.join(root, 'nope'), { name: 'x' }), { code: 'ENOENT' });
});

test('parseTags splits on commas and spaces, lower-cases, drops # and duplicates, and names a bad tag', () => {
  assert.deepEqual(parseTags(' #Baseline, lr-sweep  photos/v2,baseline '), ['baseline', 'lr-sweep', 'photos/v2']);
  assert.deepEqual(parseTags(''), []);
  assert.deepEqual(parseTags('good, -bad'), { error: 'tag "-bad": use letters, digits, "-", "_", "." or "/", starting with a letter or digit' });
  assert.ok('error' in (parseTags('a'.repeat(33)) as object));
});
