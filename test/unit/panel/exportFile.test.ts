// Chart exports from the panel: a real PNG (encoded by sharp) and CSV text pass; a name that is a
// path, the wrong extension, or data that is not a PNG are refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { exportBytes } from '../../../src/extension/panel/export/exportFile.js';

test('exportBytes: a real PNG and CSV text become the bytes written', async () => {
  const png = await sharp({ create: { width: 3, height: 2, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 1 } } })
    .png()
    .toBuffer();
  const bytes = exportBytes({ name: 'loss-per-step.png', format: 'png', data: png.toString('base64') });
  assert.ok(bytes.equals(png));
  const meta = await sharp(bytes).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 3, 2]);
  assert.equal(exportBytes({ name: 'accuracy.csv', format: 'csv', data: 'epoch,train\r\n1,0.5\r\n' }).toString('utf8'), 'epoch,train\r\n1,0.5\r\n');
});

test('exportBytes: names that are paths, the wrong extension, and non-PNG data are refused', () => {
  const png =
    (name: string, data = 'iVBORw0KGgo=') =>
    () =>
      exportBytes({ name, format: 'png', data });
  assert.throws(png('../../etc/x.png'), /"\.\.\/\.\.\/etc\/x\.png" is not a plain \.png file name/);
  assert.throws(png('a\\b.png'), /is not a plain \.png file name/);
  assert.throws(png('chart.csv'), /is not a plain \.png file name/);
  assert.throws(png('.png'), /is not a plain \.png file name/);
  assert.throws(png('chart.png', Buffer.from('GIF89a').toString('base64')), /chart\.png is not PNG data/);
  assert.throws(() => exportBytes({ name: 'x.exe', format: 'exe' as 'csv', data: '' }), /unknown format "exe"/);
});
