/** The shape of a Keras model file once read (`read.ts`, `keras3.ts`), and its error. No tfjs import. */

/** A Keras file that cannot be used: names the file and what is wrong (a layer, a weight, an attribute). */
export class KerasFileError extends Error {
  override name = 'KerasFileError';
  constructor(
    /** The `.h5` / `.keras` path. */
    readonly file: string,
    message: string,
    /** Node's error code when the file could not be read (`ENOENT`, `EISDIR`…). */
    readonly code?: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** One weight of a layer as stored in the file. */
export interface KerasWeight {
  /** Name as saved, without the `:0` suffix, e.g. `conv2d/kernel` or (inside a nested model) `Conv1/kernel`. */
  name: string;
  /** Dimensions, e.g. `[3, 3, 1, 32]`. */
  shape: number[];
  /** Reads the values (float32, row-major; the layout Keras and tfjs share). */
  read(): Float32Array;
}

/** The weights saved for one top-level layer (a nested model counts as one layer). */
export interface KerasLayerWeights {
  /** Top-level layer name (the group name under `model_weights`). */
  layer: string;
  weights: KerasWeight[];
}

/** A Keras model file's architecture and weights. */
export interface KerasModelFile {
  /** `h5`: Keras 2 HDF5 (`model.save("x.h5")`); `keras`: a Keras 3 `.keras` zip. */
  format: 'h5' | 'keras';
  /** The `keras_version` attribute (e.g. `2.4.0`, `2.2.4-tf`), when present. */
  kerasVersion?: string;
  /** The `backend` attribute (`tensorflow`, `theano`…), when present. */
  backend?: string;
  /** The model's `{class_name, config}` (Keras `model.to_json()`), as tfjs reads it. */
  topology: { class_name: string; config: unknown };
  /** Weights per top-level layer, in the file's `layer_names` order. */
  layers: KerasLayerWeights[];
}
