/**
 * The `metadata.json` a Teachable Machine image-model export (and similar exporters) writes beside
 * `model.json`: the old head's class labels and the image size the model was trained at. Read
 * without tfjs, so the extension host, the semantic checks and the worker can all use it.
 *
 * Format (Teachable Machine `@teachablemachine/image`, tmVersion 2.x):
 * `{"tfjsVersion": "1.3.1", "tmVersion": "2.4.7", "packageName": "@teachablemachine/image",
 *   "modelName": "…", "labels": ["…", …], "imageSize": 224, …}`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What Transfer Lab reads from a model's `metadata.json`; every field is optional. */
export interface ModelMetadata {
  /** Absolute path of the `metadata.json` read. */
  file: string;
  /** Class labels of the exported (old) head, in output order. */
  labels?: string[];
  /** Side of the square input image the model was trained at, pixels (Teachable Machine: 224). */
  imageSize?: number;
  /** Exporting package, e.g. `@teachablemachine/image`. */
  packageName?: string;
  /** Model name given in the exporter. */
  modelName?: string;
  /** tfjs version that wrote the model. */
  tfjsVersion?: string;
}

/** Package name of Teachable Machine image-model exports. */
export const TEACHABLE_IMAGE_PACKAGE = '@teachablemachine/image';

/**
 * True when the metadata says the model is a Teachable Machine image model, whose MobileNet base
 * expects pixels scaled to [−1, 1] (`data.image.scale: "symmetric"`).
 */
export function isTeachableImageModel(m: ModelMetadata | undefined): boolean {
  return m?.packageName === TEACHABLE_IMAGE_PACKAGE;
}

/**
 * Parses the JSON of a `metadata.json`, keeping the fields of {@link ModelMetadata} that have the
 * right type (a wrong-typed field is left out rather than failing: the file is informative only).
 * @throws Error when `json` is not a JSON object.
 */
export function parseModelMetadata(json: unknown, file: string): ModelMetadata {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: metadata.json must be a JSON object`);
  const o = json as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const labels = Array.isArray(o.labels) && o.labels.every((l) => typeof l === 'string') ? (o.labels as string[]) : undefined;
  const size = typeof o.imageSize === 'number' && Number.isInteger(o.imageSize) && o.imageSize > 0 ? o.imageSize : undefined;
  const out: ModelMetadata = { file };
  if (labels) out.labels = [...labels];
  if (size !== undefined) out.imageSize = size;
  for (const key of ['packageName', 'modelName', 'tfjsVersion'] as const) {
    const v = str(o[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Reads `metadata.json` from the folder of `modelJsonPath`, when present.
 * @returns undefined when there is no such file.
 * @throws Error naming the file when it exists but is not valid JSON or not an object.
 */
export function readModelMetadata(modelJsonPath: string): ModelMetadata | undefined {
  const file = path.join(path.dirname(path.resolve(modelJsonPath)), 'metadata.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read: ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`, { cause: e });
  }
  return parseModelMetadata(json, file);
}

/** One line describing the metadata for logs, e.g. `Teachable Machine image model, 224×224, old labels: a, b`. */
export function describeMetadata(m: ModelMetadata): string {
  const parts = [
    isTeachableImageModel(m) ? 'Teachable Machine image model' : (m.packageName ?? 'model metadata'),
    ...(m.modelName ? [`"${m.modelName}"`] : []),
    ...(m.imageSize ? [`${m.imageSize}×${m.imageSize}`] : []),
    ...(m.labels ? [`old head labels: ${m.labels.join(', ')} (replaced by the new head)`] : []),
  ];
  return parts.join(', ');
}
