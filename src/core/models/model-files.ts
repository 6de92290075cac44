/**
 * Checks of a tfjs Layers `model.json` and its weight files that need no tfjs, shared by the loader
 * (`io.ts`) and `validate` (`experiment/load.ts`), so a model `validate` passes is one the run loads:
 * - every layer class is one TensorFlow.js Layers has (`tfjs-layer-classes.json`: the class names
 *   `@tensorflow/tfjs` registers; a unit test keeps it equal to the live registry);
 * - every weight file path stays inside the model's folder (no `../../../etc/passwd`, no absolute path);
 * - every weight file exists, and each weight group's files hold exactly the bytes its weights need
 *   (a short file names the weight it ends in; extra bytes are an error, not silently ignored).
 * Format: https://www.tensorflow.org/js/guide/save_load (weightsManifest: groups of {paths, weights}).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import LAYER_CLASSES from './tfjs-layer-classes.json';

/** Class names that load (TensorFlow.js Layers' registry; `scripts/gen-layer-classes.ts` writes the list). */
export const TFJS_LAYER_CLASSES: ReadonlySet<string> = new Set(LAYER_CLASSES as string[]);

/** One weight of a manifest group (the fields this module reads). */
interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype?: string };
}

/** A weights manifest group. */
export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** Bytes per element of a weight dtype (of its quantized dtype when quantized); undefined for strings. */
function bytesPerElement(w: ManifestWeight): number | undefined {
  const q = w.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : q === 'uint16' || q === 'float16' ? 2 : undefined;
  return w.dtype === 'float32' || w.dtype === 'int32' ? 4 : w.dtype === 'bool' ? 1 : w.dtype === 'complex64' ? 8 : undefined;
}

/** Every `{class_name, config.name}` in a Layers topology, nested models included. */
export function* topologyLayers(node: unknown): Generator<{ className: string; name: string }> {
  if (Array.isArray(node)) {
    for (const n of node) yield* topologyLayers(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as { class_name?: unknown; config?: { name?: unknown; layers?: unknown } };
  if (typeof o.class_name === 'string' && o.config && typeof o.config === 'object') {
    yield { className: o.class_name, name: typeof o.config.name === 'string' ? o.config.name : '?' };
    if (o.config.layers) yield* topologyLayers(o.config.layers);
    return;
  }
  for (const v of Object.values(o)) yield* topologyLayers(v);
}

/**
 * The first layer whose class TensorFlow.js Layers cannot build, as a message, or undefined.
 * @param modelTopology the `modelTopology` of a model.json.
 * @param known class names that load (default: {@link TFJS_LAYER_CLASSES}).
 */
export function unknownLayerClass(modelTopology: unknown, known: ReadonlySet<string> = TFJS_LAYER_CLASSES): string | undefined {
  const topo = modelTopology as { model_config?: unknown } | undefined;
  for (const l of topologyLayers(topo?.model_config ?? topo)) {
    if (!known.has(l.className) && l.className !== 'Model') {
      return `unknown layer class "${l.className}" (layer "${l.name}"); TensorFlow.js Layers has no such layer`;
    }
  }
  return undefined;
}

/**
 * Absolute paths of a manifest's weight files, each checked to stay inside `dir`.
 * @throws Error naming the path that leaves the folder.
 */
export function weightFilePaths(dir: string, groups: readonly ManifestGroup[]): string[][] {
  return groups.map((g) =>
    g.paths.map((p) => {
      const file = path.resolve(dir, p);
      const rel = path.relative(dir, file);
      if (typeof p !== 'string' || path.isAbsolute(p) || rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new Error(`weight file path ${JSON.stringify(p)} leaves the model's folder ${dir}: weight files must be beside model.json`);
      }
      return file;
    }),
  );
}

/**
 * Checks the weight files of `groups` on disk: inside the folder, present, and of exactly the size
 * their weights need. @returns the first problem as a message, or undefined.
 */
export function weightFileProblem(modelJsonPath: string, groups: readonly ManifestGroup[]): string | undefined {
  const dir = path.dirname(modelJsonPath);
  let files: string[][];
  try {
    files = weightFilePaths(dir, groups);
  } catch (e) {
    return (e as Error).message;
  }
  for (let g = 0; g < groups.length; g++) {
    const sizes: number[] = [];
    for (let k = 0; k < files[g]!.length; k++) {
      try {
        const st = fs.statSync(files[g]![k]!);
        if (!st.isFile()) return `weight file "${groups[g]!.paths[k]}" is not a regular file (${files[g]![k]})`;
        sizes.push(st.size);
      } catch {
        return `weight file "${groups[g]!.paths[k]}" not found (looked at ${files[g]![k]})`;
      }
    }
    const problem = groupSizeProblem(groups[g]!, files[g]!, sizes);
    if (problem) return problem;
  }
  return undefined;
}

/** A weight group's files against the bytes its weights need, naming the weight a short file ends in. */
function groupSizeProblem(group: ManifestGroup, files: string[], sizes: number[]): string | undefined {
  let need = 0;
  const ends: number[] = [];
  for (const w of group.weights) {
    const per = bytesPerElement(w);
    if (per === undefined) return undefined; // string weights have no fixed size
    need += w.shape.reduce((a, b) => a * b, 1) * per;
    ends.push(need);
  }
  const have = sizes.reduce((a, b) => a + b, 0);
  const names = files.map((f) => path.basename(f)).join(' + ');
  if (have > need)
    return `weight file ${names} has ${have} bytes but the manifest's ${group.weights.length} weights need ${need}: ${have - need} extra bytes (${files[files.length - 1]})`;
  if (have < need) {
    const i = ends.findIndex((end) => end > have);
    const w = group.weights[i]!;
    const start = i === 0 ? 0 : ends[i - 1]!;
    let fileIndex = 0;
    for (let acc = sizes[0] ?? 0; fileIndex < files.length - 1 && acc <= start; acc += sizes[++fileIndex] ?? 0);
    return (
      `weight file ${names} is truncated: ${have} bytes, but the manifest's weights need ${need}; weight "${w.name}" ` +
      `(shape [${w.shape.join(', ')}], bytes ${start}–${ends[i]! - 1}) ${have > start ? 'is cut short' : 'is missing'} in ${files[fileIndex]}`
    );
  }
  return undefined;
}
