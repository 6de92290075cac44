// Which example images the panel's webview may load: only those inside an image folder of the run's
// data (config.json), never a file beside or above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imageDataFolders, isInside } from '../../../src/extension/panel/analyses/dataFolders.js';

test('image folders of a run come from its config.json; isInside refuses siblings, parents and ..', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-thumbs-'));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      data: { train: { kind: 'imageFolder', path: '/data/train' }, validation: { kind: 'imageFolder', path: '/data/val' }, test: { kind: 'mnist' } },
    }),
  );
  assert.deepEqual(imageDataFolders(dir), ['/data/train', '/data/val']);
  assert.deepEqual(imageDataFolders(path.join(dir, 'missing')), []);
  assert.equal(isInside('/data/train/ants/1.jpg', '/data/train'), true);
  assert.equal(isInside('/data/train', '/data/train'), false);
  assert.equal(isInside('/data/train-other/1.jpg', '/data/train'), false);
  assert.equal(isInside('/data/train/../secret.jpg', '/data/train'), false);
  assert.equal(isInside('/etc/passwd', '/data/train'), false);
  fs.rmSync(dir, { recursive: true, force: true });
});
