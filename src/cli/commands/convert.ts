/** `transfer-lab convert <file> <dir>`: a Keras `.h5` / `.keras` model file written as a tfjs Layers folder. */
import * as path from 'node:path';
import { EXIT_BAD_INPUT, EXIT_OK, exitCodeOf } from '../../worker/exit-codes.js';

/**
 * Reads the Keras file, builds the tfjs model (every weight checked) and saves `<dir>/model.json` +
 * `<dir>/weights.bin`. Runs on tfjs's CPU backend in this process (no training).
 * @returns 0 when written; 2 when the file cannot be converted (the message names the file and the
 *   layer or weight); 1 for an unexpected failure.
 */
export async function convertCommand(file: string, dir: string): Promise<number> {
  const abs = path.resolve(file);
  const { loadKerasModel } = await import('../../core/models/keras/load.js');
  const { isKerasPath } = await import('../../core/models/keras/read.js');
  const { saveModel } = await import('../../core/models/io.js');
  (await import('@tensorflow/tfjs')).enableProdMode(); // no "install tfjs-node" banner: nothing trains here
  if (!isKerasPath(abs)) {
    process.stderr.write(`${file}: not a Keras model file (expected .h5, .hdf5 or .keras)\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const model = await loadKerasModel(abs);
    const out = path.resolve(dir);
    await saveModel(model, out);
    process.stdout.write(`${path.join(out, 'model.json')}: ${model.layers.length} top-level layers, ${model.countParams()} parameters (from ${file})\n`);
    model.dispose();
    return EXIT_OK;
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return exitCodeOf(e);
  }
}
