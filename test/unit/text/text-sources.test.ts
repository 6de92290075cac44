import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../src/core/data/errors.js';
import { loadSource } from '../../../src/core/data/index.js';
import type { SourceContext } from '../../../src/core/data/sources/source.js';
import { documentSnippets, TokenStore, vocabularyOf } from '../../../src/core/text/encode.js';
import { evaluationReport } from '../../../src/core/evaluation/evaluate.js';
import { untagBrown } from '../../../src/core/data/sources/brown-corpus.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'text-src-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const put = (rel: string, text: string | Buffer) => {
  const f = path.join(tmp, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
};
const vocabulary = vocabularyOf(['the', 'cat', 'sat', 'dog', 'ran', 'not']);
const ctx: SourceContext = { role: 'train', image: { channels: 1, resize: 'cover', scale: 'unit' }, text: { vocabulary, maxLength: 4 } };
const dataError = (pattern: RegExp, source: string) => (e: unknown) => {
  assert.ok(e instanceof DataError, `not a DataError: ${String(e)}`);
  assert.equal(e.source, source);
  assert.match(e.message, pattern);
  return true;
};
const ids = (store: TokenStore, pos: number) => Array.from(store.ids.slice(pos * 4, pos * 4 + 4));

test('textFolder: classes by folder, BOM and NFC, ids padded/truncated, empty documents skipped and counted, coverage', async () => {
  put('tf/cats/a.txt', '\uFEFFThe cat sat.');
  put('tf/cats/b.txt', 'The cat sat on the mat, did not it?');
  put('tf/cats/c.txt', '...');
  put('tf/dogs/a.txt', 'The dog ran!');
  put('tf/dogs/notes.md', 'ignored');
  const d = await loadSource({ kind: 'textFolder', path: path.join(tmp, 'tf') }, ctx);
  assert.deepEqual(d.classNames, ['cats', 'dogs']);
  assert.deepEqual(Array.from(d.set.labels), [0, 0, 1]);
  const store = (d.set as unknown as { store: TokenStore }).store;
  // the=2 cat=3 sat=4 dog=5 ran=6 not=7, OOV=1, pad=0
  assert.deepEqual(ids(store, 0), [2, 3, 4, 0]);
  assert.deepEqual(ids(store, 1), [2, 3, 4, 1]);
  assert.deepEqual(ids(store, 2), [2, 5, 6, 1]);
  assert.deepEqual(Array.from(d.set.gather([2])), [2, 5, 6, 1]);
  assert.equal(d.text!.documents, 4);
  assert.equal(d.text!.empty, 1);
  assert.equal(d.text!.truncated, 1);
  // tokens: 3 + 10 (the cat sat on the mat did not it ?) + 4 (the dog ran !) = 17; found 3 + 5 + 3 = 11
  assert.equal(d.text!.tokens, 17);
  assert.equal(d.text!.tokensFound, 11);
});

test('textTable: CSV (quoted multi-line text), TSV and JSONL; labels by name', async () => {
  const csv = put('t.csv', 'label,text\nspam,"The cat\nsat"\nham,the dog ran\n');
  const a = await loadSource({ kind: 'textTable', path: csv, textColumn: 'text', labelColumn: 'label' } as never, ctx);
  assert.deepEqual(a.classNames, ['ham', 'spam']);
  assert.deepEqual(Array.from(a.set.labels), [1, 0]);
  assert.equal(a.set.id(1), `${csv} line 4`);
  const tsv = put('t.tsv', 'text\tlabel\nthe cat\t1\nthe dog\t0\n');
  assert.deepEqual((await loadSource({ kind: 'textTable', path: tsv, textColumn: 'text', labelColumn: 'label' } as never, ctx)).classNames, ['0', '1']);
  const jsonl = put('t.jsonl', '{"body":"the cat","y":"a"}\n\n{"body":"the dog","y":"b"}\n');
  const j = await loadSource({ kind: 'textTable', path: jsonl, textColumn: 'body', labelColumn: 'y' } as never, ctx);
  assert.deepEqual(Array.from(j.set.labels), [0, 1]);
  assert.equal(j.set.id(1), `${jsonl} line 3`);
});

test('bad text input: missing column, single class, no documents, non-UTF-8, bad JSON line, no text base', async () => {
  const t = (p: string, extra: Record<string, string> = {}) => ({ kind: 'textTable', path: p, textColumn: 'text', labelColumn: 'label', ...extra }) as never;
  const noCol = put('nocol.csv', 'label,body\na,the cat\n');
  await assert.rejects(loadSource(t(noCol), ctx), dataError(/text column "text" not found; the header has "label", "body"/, noCol));
  const single = put('single.csv', 'label,text\na,the cat\na,the dog\n');
  await assert.rejects(loadSource(t(single), ctx), dataError(/every row has the label "a": a classifier needs at least two classes/, single));
  const none = put('none.csv', 'label,text\n');
  await assert.rejects(loadSource(t(none), ctx), dataError(/has no rows/, none));
  const latin1 = put('latin1.csv', Buffer.concat([Buffer.from('label,text\na,the cat\nb,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  await assert.rejects(loadSource(t(latin1), ctx), dataError(/line 3 is not valid UTF-8/, latin1));
  const badJson = put('bad.jsonl', '{"text":"the cat","label":"a"}\n{"text": "x",\n');
  await assert.rejects(loadSource(t(badJson), ctx), dataError(/line 2: not valid JSON/, badJson));
  const oneFolder = path.join(tmp, 'one');
  put('one/only/a.txt', 'the cat');
  await assert.rejects(loadSource({ kind: 'textFolder', path: oneFolder }, ctx), dataError(/single class \("only"\)/, oneFolder));
  const noBase: SourceContext = { role: 'train', image: ctx.image };
  const ok = put('ok.csv', 'label,text\na,the cat\nb,the dog\n');
  await assert.rejects(loadSource(t(ok), noBase), dataError(/needs a text base/, ok));
});

test('Brown corpus: POS tags removed', () => {
  assert.equal(untagBrown("The/at Fulton/np-tl County's/nn$ ``/`` jury/nn ./."), "The Fulton County's `` jury .");
});

test('misclassified documents: evaluation.json mistakes carry the document text as a snippet', async () => {
  put('ev/a/1.txt', 'The   cat sat.\nOn the mat.');
  put('ev/b/1.txt', 'the dog ran');
  const d = await loadSource({ kind: 'textFolder', path: path.join(tmp, 'ev') }, ctx);
  const text = documentSnippets(d.set, 8)!;
  assert.equal(text(0), 'The cat…');
  // both predicted wrong with confidence
  const report = evaluationReport([-2, 2, 2, -2], d.set, {
    experiment: 'x',
    split: 'test',
    checkpoint: 'best',
    classNames: d.classNames,
    text: documentSnippets(d.set)!,
  });
  assert.deepEqual(report.mistakes.map((m) => m.snippet).sort(), ['The cat sat. On the mat.', 'the dog ran']);
  assert.equal(documentSnippets({ count: 0, shape: [1], labels: new Int32Array(0), id: () => '', gather: () => new Float32Array(0) }), undefined);
});
