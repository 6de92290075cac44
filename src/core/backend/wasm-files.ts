/**
 * Finds the tfjs wasm binaries on disk. tfjs-backend-wasm looks for them next to the script that
 * loads it, which is wrong once our code is bundled; we resolve the installed package instead and
 * hand tfjs absolute paths.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The binaries tfjs-backend-wasm may load (plain, SIMD, threaded SIMD). */
export const WASM_BINARY_NAMES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/** Name of one tfjs wasm binary. */
export type WasmBinaryName = (typeof WASM_BINARY_NAMES)[number];

/** Absolute locations of the tfjs wasm binaries. */
export interface WasmBinaries {
  /** Directory holding them (`<package>/dist`). */
  dir: string;
  /** Absolute path of each binary, the shape `setWasmPaths` accepts. */
  files: Record<WasmBinaryName, string>;
}

/**
 * Locates the binaries of the installed `@tensorflow/tfjs-backend-wasm` package through
 * `require.resolve('@tensorflow/tfjs-backend-wasm/package.json')` + `dist/`.
 *
 * @throws Error naming the package and the missing file if the package cannot be resolved or a
 *   binary is absent.
 */
export function locateWasmBinaries(): WasmBinaries {
  let packageJson: string;
  try {
    packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  } catch (err) {
    throw new Error(`@tensorflow/tfjs-backend-wasm is not installed (${firstLine(err)}); run \`npm install\` in the extension folder`, { cause: err });
  }
  const dir = path.join(path.dirname(packageJson), 'dist');
  const files = Object.fromEntries(WASM_BINARY_NAMES.map((name) => [name, path.join(dir, name)])) as Record<WasmBinaryName, string>;
  const missing = WASM_BINARY_NAMES.filter((name) => !existsSync(files[name]));
  if (missing.length > 0) {
    throw new Error(`@tensorflow/tfjs-backend-wasm is incomplete: ${missing.join(', ')} not found in ${dir}`);
  }
  return { dir, files };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
