/**
 * Writes src/core/models/builtin-topologies.json: the layer list (name, class, output shape, parameter
 * count) of each built-in architecture, built with tfjs. The extension host and the schema's semantic
 * checks read it without loading tfjs. A unit test fails when it is stale. Run: npm run topologies
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildBuiltin, BUILTIN_INPUT_SHAPES, type BuiltinArchitecture } from '../src/core/models/builtin.js';
import { flattenModel } from '../src/core/models/graph.js';

/** The layer table of every built-in architecture (10 output classes for the old classifier). */
export function builtinTopologies(): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const arch of Object.keys(BUILTIN_INPUT_SHAPES) as BuiltinArchitecture[]) {
    const model = buildBuiltin(arch, 10, 0);
    out[arch] = flattenModel(model).ops.map((op, index) => ({
      name: op.layer.name,
      className: op.layer.getClassName(),
      index,
      outputShape: op.layer.outputShape,
      params: op.layer.countParams(),
      trainableByDefault: op.layer.trainableWeights.length > 0,
      isBatchNorm: op.layer.getClassName() === 'BatchNormalization',
    }));
    model.dispose();
  }
  return out;
}

export const TOPOLOGIES_FILE = path.join(__dirname, '..', 'src', 'core', 'models', 'builtin-topologies.json');

if (require.main === module) {
  void tf.setBackend('cpu').then(() => {
    fs.writeFileSync(TOPOLOGIES_FILE, JSON.stringify(builtinTopologies(), null, 1) + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), TOPOLOGIES_FILE)}\n`);
  });
}
