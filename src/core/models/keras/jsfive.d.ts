/** The part of jsfive's API (a pure-JavaScript HDF5 reader, public domain) that Transfer Lab uses. */
declare module 'jsfive' {
  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    /** @throws a string "<name> not found in group" for a missing child. */
    get(path: string): Group | Dataset | null;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    /** A numpy-style type string: `<f4`, `<f8`, `<f2`, `<i4`… */
    readonly dtype: string | unknown;
    readonly attrs: Record<string, unknown>;
    /** Row-major values (a typed or plain array of numbers). */
    readonly value: ArrayLike<number>;
  }
}
