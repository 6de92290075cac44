/**
 * Checks a chart export the panel sends (`exportChart`) and turns it into the bytes to write. The page
 * is less trusted than the host: the name must be a plain file name with the format's extension, and
 * PNG data must decode to a PNG.
 */
import * as path from 'node:path';
import type { WebviewToHostMessages } from '../../../protocol/webview.js';

/** The PNG file signature (ISO/IEC 15948 §5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Largest export accepted (bytes after decoding). */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

/**
 * The bytes of an export: base64-decoded for `png`, UTF-8 for `csv`.
 * @throws Error naming the problem when the name is not a plain `*.png` / `*.csv` file name of the
 *   message's format, the PNG data lacks the PNG signature, or the export exceeds {@link MAX_EXPORT_BYTES}.
 */
export function exportBytes(m: WebviewToHostMessages['exportChart']): Buffer {
  const ext = `.${m.format}`;
  if (m.format !== 'png' && m.format !== 'csv') throw new Error(`chart export: unknown format ${JSON.stringify(m.format)}`);
  if (path.basename(m.name) !== m.name || m.name.includes('\\') || !m.name.toLowerCase().endsWith(ext) || m.name.length <= ext.length) {
    throw new Error(`chart export: ${JSON.stringify(m.name)} is not a plain ${ext} file name`);
  }
  const bytes = m.format === 'png' ? Buffer.from(m.data, 'base64') : Buffer.from(m.data, 'utf8');
  if (bytes.length > MAX_EXPORT_BYTES) throw new Error(`chart export: ${m.name} is ${bytes.length} bytes, over the ${MAX_EXPORT_BYTES}-byte limit`);
  if (m.format === 'png' && !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`chart export: ${m.name} is not PNG data`);
  return bytes;
}
