/**
 * A base model at an http(s) URL: a tfjs Layers `model.json` (its weight shards fetched relative to
 * it, only from the same folder or below) or a Keras `.h5`. Every file goes through the download
 * cache of `download.ts` (timeouts, size limit, progress, atomic content-addressed files), so a URL
 * is fetched once and reused offline.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { cachedDownload, DownloadError, type DownloadProgress } from './download.js';
import { loadLayersModelChecked, ModelError } from './io.js';
import { kerasToLayersModel } from './keras/load.js';
import { isKerasPath, KerasFileError, readKerasFile } from './keras/read.js';

/** Options of {@link loadUrlModel}. */
export interface UrlModelOptions {
  /** Expected SHA-256 (hex) of the file the URL names (`model.json` or the `.h5`). */
  sha256?: string;
  onDownload?: (p: DownloadProgress) => void;
  /** Cache root (default: the user-level cache of `download.ts`). */
  cache?: string;
}

/**
 * The URL of weight shard `p` of the `model.json` at `modelUrl`.
 * @throws ModelError when `p` leaves the model's folder (`../x`, another host, an absolute path).
 */
export function shardUrl(modelUrl: string, p: string): string {
  const base = new URL('.', modelUrl);
  const u = new URL(p, base);
  if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) {
    throw new ModelError(`weight file path "${p}" leaves the model's folder (${base.toString()}); shard paths must be relative and stay inside it`, modelUrl);
  }
  return u.toString();
}

/**
 * Downloads (or takes from the cache) the model at `url` and builds it.
 * @throws ModelError naming the URL: HTTP status (404…), timeout, size limit, SHA-256 mismatch,
 *   invalid JSON, a shard outside the model's folder, unknown layer classes, missing weights.
 */
export async function loadUrlModel(url: string, o: UrlModelOptions = {}): Promise<{ model: tf.LayersModel; fromCache: boolean }> {
  const get = (u: string, sha256?: string) =>
    cachedDownload(u, { ...(sha256 ? { sha256 } : {}), ...(o.onDownload ? { onProgress: o.onDownload } : {}), ...(o.cache ? { cache: o.cache } : {}) });
  const pathname = new URL(url).pathname;
  if (isKerasPath(pathname)) {
    const f = await get(url, o.sha256);
    try {
      return { model: await kerasToLayersModel(readKerasFile(f.file), url), fromCache: f.fromCache };
    } catch (e) {
      if (e instanceof KerasFileError) throw new ModelError(e.message.slice(e.file.length + 2), url);
      throw e;
    }
  }
  const main = await get(url, o.sha256);
  let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; format?: string };
  try {
    json = JSON.parse(fs.readFileSync(main.file, 'utf8')) as typeof json;
  } catch (e) {
    throw new ModelError(`not a model.json: ${(e as Error).message}`, url);
  }
  if (!json.modelTopology) throw new ModelError('not a tfjs Layers model (no "modelTopology")', url);
  let fromCache = main.fromCache;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const shard = await get(shardUrl(url, p));
      fromCache &&= shard.fromCache;
      buffers.push(fs.readFileSync(shard.file));
    }
  }
  const all = Buffer.concat(buffers);
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: specs,
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
      ...(json.format ? { format: json.format } : {}),
    }),
  };
  return { model: await loadLayersModelChecked(handler, url), fromCache };
}

export { DownloadError };
