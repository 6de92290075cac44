/**
 * Writes src/core/models/tfjs-layer-classes.json: the layer class names TensorFlow.js Layers can
 * deserialise (its serialization registry, with Transfer Lab's own registered layers). `validate` and the extension host check a base's layer
 * classes against it without loading tfjs. A unit test fails when it is stale.
 * Run: npx tsx scripts/gen-layer-classes.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../src/core/models/text-layers.js'; // Transfer Lab's own layers (MaskedPooling1D, PrePad1D) load too

/** Registered class names, sorted, models and non-layer classes (initialisers, constraints…) included. */
export function tfjsLayerClasses(): string[] {
  return Object.keys(tf.serialization.SerializationMap.getMap().classNameMap).sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const out = path.join(__dirname, '..', 'src', 'core', 'models', 'tfjs-layer-classes.json');
  fs.writeFileSync(out, `${JSON.stringify(tfjsLayerClasses(), null, 1)}\n`);
  console.log(`wrote ${out}`);
}
