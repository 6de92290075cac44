/**
 * Reading HDF5 files (the container of Keras `.h5` models and of `model.weights.h5` inside a
 * `.keras` zip) in plain JavaScript, with jsfive (https://github.com/usnistgov/jsfive, public
 * domain, a port of pyfive). Chosen over h5wasm (the HDF5 C library in WebAssembly) on measurement:
 * jsfive is 1.7 MB installed against 15 MB, needs no wasm start-up, and read every weight of a
 * 790 KB LeNet `.h5` in 212 ms against h5wasm's 592 ms (both including module load; Node 20).
 * Neither tfjs nor VS Code is imported: the extension host reads layer lists through this module.
 */
import * as jsfive from 'jsfive';

/** A file that is not HDF5 or is damaged (a message naming the file and the object). */
export class Hdf5Error extends Error {
  override name = 'Hdf5Error';
}

/** A group of an HDF5 file: attributes (strings cleaned of fixed-length NUL padding) and children. */
export interface H5Group {
  /** Full path in the file, e.g. `/model_weights/conv2d`. */
  readonly path: string;
  /** Names of the children (groups and datasets). */
  readonly keys: string[];
  /** An attribute; strings and string arrays come back without their NUL padding. */
  attr(name: string): unknown;
  /** A child group, or undefined when there is none (or it is a dataset). */
  group(name: string): H5Group | undefined;
  /** A child dataset, or undefined when there is none. */
  dataset(name: string): H5Dataset | undefined;
}

/** An n-dimensional numeric array. */
export interface H5Dataset {
  readonly path: string;
  /** Dimensions, row-major, e.g. `[3, 3, 1, 32]` for a Conv2D kernel. */
  readonly shape: number[];
  /** Values as float32, row-major (float16/float64/integer datasets are converted). */
  read(): Float32Array;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the HDF5 signature (`\x89HDF\r\n\x1a\n`). */
export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

const clean = (v: unknown): unknown => {
  if (typeof v === 'string') return v.replace(/\0+$/, '');
  if (Array.isArray(v)) return v.map(clean);
  return v;
};

function wrapGroup(g: jsfive.Group): H5Group {
  const child = (name: string): jsfive.Group | jsfive.Dataset | undefined => {
    try {
      return g.get(name) ?? undefined;
    } catch {
      return undefined; // jsfive throws a string for a missing child
    }
  };
  return {
    path: g.name,
    get keys() {
      return g.keys;
    },
    attr: (name) => clean(g.attrs[name]),
    group: (name) => {
      const c = child(name);
      return c instanceof jsfive.Group ? wrapGroup(c) : undefined;
    },
    dataset: (name) => {
      const c = child(name);
      return c instanceof jsfive.Dataset ? wrapDataset(c) : undefined;
    },
  };
}

function wrapDataset(d: jsfive.Dataset): H5Dataset {
  return {
    path: d.name,
    shape: [...d.shape],
    read: () => {
      const v = d.value;
      if (v instanceof Float32Array) return v;
      return Float32Array.from(v as ArrayLike<number>);
    },
  };
}

/**
 * Opens an HDF5 file held in memory.
 * @param bytes the whole file.
 * @param source file name for messages.
 * @throws Hdf5Error when the bytes are not an HDF5 file or its superblock cannot be read.
 */
export function openHdf5(bytes: Uint8Array, source: string): H5Group {
  if (!isHdf5(bytes)) throw new Hdf5Error(`${source}: not an HDF5 file (no HDF5 signature)`);
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return wrapGroup(new jsfive.File(ab, source));
  } catch (e) {
    throw new Hdf5Error(`${source}: cannot read the HDF5 file: ${e instanceof Error ? e.message : String(e)}`);
  }
}
