/** `transfer-lab layers <model|experiment>`: the layer table of a model file or of an experiment's base. */
import * as path from 'node:path';
import { baseLayers, loadExperiment } from '../../core/experiment/load.js';
import { readModelTopology, type LayerInfo } from '../../core/models/topology.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../worker/exit-codes.js';
import { formatTable } from '../table.js';

/** `[null, 7, 7, 1280]` → `7×7×1280` (the batch dimension left out, `?` for an unknown size). */
function shape(s: LayerInfo['outputShape']): string {
  return s
    ? s
        .slice(1)
        .map((d) => (d == null ? '?' : String(d)))
        .join('×') || 'scalar'
    : '–';
}

/**
 * Prints index, name, class, output shape, parameters and trainable flag of each layer (nested
 * models expanded, as `transfer` refers to them) of a `model.json`, a Keras `.h5`, or the base of a
 * `*.transfer.json` (built-in architecture, model file, a run's checkpoint). Reads no weights data.
 * @returns 0, or 2 when the file cannot be read or the experiment's base has no layer list (a URL base).
 */
export async function layersCommand(file: string, o: { json?: boolean; runsDir: string }): Promise<number> {
  const abs = path.resolve(file);
  let layers: LayerInfo[] | undefined;
  try {
    if (/\.transfer\.json$/i.test(abs)) {
      const { experiment } = await loadExperiment(abs, { runsDir: o.runsDir });
      layers = await baseLayers(experiment, { runsDir: o.runsDir });
      if (!layers) throw new Error(`the layers of this ${experiment.base.kind} base cannot be listed without loading it`);
    } else {
      layers = (await readModelTopology(abs)).layers;
    }
  } catch (e) {
    const err = e as Error & { problems?: { line: number; column: number; path: string; message: string }[] };
    if (err.problems) for (const p of err.problems) process.stderr.write(`${file}:${p.line}:${p.column} ${p.path}: ${p.message}\n`);
    else process.stderr.write(`${err.message.startsWith(abs) || err.message.startsWith(file) ? '' : `${file}: `}${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (o.json) {
    process.stdout.write(JSON.stringify(layers, null, 2) + '\n');
    return EXIT_OK;
  }
  const rows = layers.map((l) => [l.index, l.name, l.className, shape(l.outputShape), l.params, l.trainableByDefault ? 'yes' : 'no']);
  process.stdout.write(formatTable(['index', 'name', 'class', 'output shape', 'params', 'trainable'], rows) + '\n');
  const total = layers.reduce((n, l) => n + l.params, 0);
  process.stdout.write(`${layers.length} layers, ${total} parameters\n`);
  return EXIT_OK;
}
