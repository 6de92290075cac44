/**
 * The one error type of the data layer. Anything wrong with the data itself (a missing folder, a
 * corrupt IDX header, a label out of range, an empty class) is thrown as a {@link DataError} before
 * any training starts, so a front end can print `message` and exit with status 2 (CLI) or show it as
 * a diagnostic (extension) instead of a stack trace.
 *
 * Single unreadable image files are *not* errors: they are reported in `LoadedData.skipped`.
 */
export class DataError extends Error {
  override readonly name = 'DataError';

  /**
   * @param message Complete, human-readable message; it already names the file, row or value at fault.
   * @param source  What the error is about: an absolute file or folder path, or a source kind such as
   *                `"mnist"` when there is no file.
   * @param options `cause`: the underlying error (zlib, sharp, fs), kept for debugging.
   */
  constructor(
    message: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a {@link DataError} (also across module copies, by name and `source` field). */
export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError || (e instanceof Error && e.name === 'DataError' && typeof (e as { source?: unknown }).source === 'string');
}

/** The message of any thrown value (`Error.message`, else `String(value)`), for wrapping and `skipped` reasons. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
