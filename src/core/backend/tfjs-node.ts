/**
 * Loads the optional native backend, `@tensorflow/tfjs-node`, without letting its absence (or a
 * broken install) escape as an exception.
 */
import * as tf from '@tensorflow/tfjs';

/** Package providing the `tensorflow` backend. */
export const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

/** Outcome of trying to load {@link TFJS_NODE_PACKAGE}. */
export type TfjsNodeLoad =
  | { loaded: true }
  | {
      loaded: false;
      /** false: the package is not installed; true: it is, but failed to load or to register. */
      installed: boolean;
      /** Why, in words (first line of the error). */
      detail: string;
    };

/**
 * `require`s {@link TFJS_NODE_PACKAGE} (guarded) and checks that it registered the `tensorflow`
 * backend on the same tfjs-core engine as our `@tensorflow/tfjs` (a copy with another version
 * would register elsewhere and be unusable).
 *
 * @returns whether the backend is available, and if not, why. Never throws.
 */
export function loadTfjsNode(): TfjsNodeLoad {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, loaded synchronously only if installed
    require(TFJS_NODE_PACKAGE);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    const detail = message.split('\n')[0] ?? message;
    const notInstalled = code === 'MODULE_NOT_FOUND' && message.includes(`'${TFJS_NODE_PACKAGE}'`);
    return { loaded: false, installed: !notInstalled, detail };
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    return {
      loaded: false,
      installed: true,
      detail: `it loaded but registered no 'tensorflow' backend with @tensorflow/tfjs ${tf.version_core} ` + '(a different tfjs-core version?)',
    };
  }
  return { loaded: true };
}
