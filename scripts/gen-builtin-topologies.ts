/**
 * Writes src/core/models/builtin-topologies.json: the layer list (name, class, output shape, parameter
 * count) of each built-in architecture, built with tfjs; and application-topologies.json: the same for
 * each Keras Application with its ImageNet top (`src/core/models/keras/applications/`). The extension host and the schema's semantic
 * checks read it without loading tfjs. A unit test fails when it is stale. Run: npm run topologies
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildBuiltin, BUILTIN_INPUT_SHAPES, type BuiltinArchitecture } from '../src/core/models/builtin.js';
import { flattenModel } from '../src/core/models/graph.js';
import { buildApplication } from '../src/core/models/keras/applications/build.js';
import { KERAS_APPLICATIONS } from '../src/core/models/keras/applications/names.js';

/** The layer table of a model, as `builtinTopology` reads it. */
export function layerTable(model: tf.LayersModel): unknown[] {
  return flattenModel(model).ops.map((op, index) => ({
    name: op.layer.name,
    className: op.layer.getClassName(),
    index,
    outputShape: op.layer.outputShape,
    params: op.layer.countParams(),
    trainableByDefault: op.layer.trainableWeights.length > 0,
    isBatchNorm: op.layer.getClassName() === 'BatchNormalization',
  }));
}

/** The layer table of every built-in architecture (10 output classes for the old classifier). */
export function builtinTopologies(): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const arch of Object.keys(BUILTIN_INPUT_SHAPES) as BuiltinArchitecture[]) {
    const model = buildBuiltin(arch, 10, 0);
    out[arch] = layerTable(model);
    model.dispose();
  }
  return out;
}

export const TOPOLOGIES_FILE = path.join(__dirname, '..', 'src', 'core', 'models', 'builtin-topologies.json');
export const APPLICATION_TOPOLOGIES_FILE = path.join(__dirname, '..', 'src', 'core', 'models', 'application-topologies.json');

/** The layer table of every Keras Application with its 1000-class top. */
export function applicationTopologies(): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of KERAS_APPLICATIONS) {
    const model = buildApplication(name);
    out[name] = layerTable(model);
    model.dispose();
  }
  return out;
}

if (require.main === module) {
  void tf.setBackend('cpu').then(() => {
    fs.writeFileSync(TOPOLOGIES_FILE, JSON.stringify(builtinTopologies(), null, 1) + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), TOPOLOGIES_FILE)}\n`);
    fs.writeFileSync(APPLICATION_TOPOLOGIES_FILE, JSON.stringify(applicationTopologies()) + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), APPLICATION_TOPOLOGIES_FILE)}\n`);
  });
}
