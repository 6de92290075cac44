/**
 * Applies JSON-pointer edits (the advisor's and the layer sweep's suggestions) to the text of an
 * experiment file with jsonc-parser's `modify`, so comments and formatting elsewhere are kept.
 * Pure text in, text out (the CLI writes the file; the extension turns the same edits into a
 * WorkspaceEdit).
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { parsePointer } from './locate.js';

/** Set `value` at `pointer`, or remove the property when `value` is undefined. */
export interface PointerEdit {
  pointer: string;
  value?: unknown;
}

/** The text with every edit applied in order (2-space indentation for new properties). */
export function applyPointerEdits(text: string, edits: readonly PointerEdit[], formatting: FormattingOptions = { insertSpaces: true, tabSize: 2 }): string {
  let out = text;
  for (const e of edits) {
    const path = parsePointer(e.pointer);
    out = applyEdits(out, modify(out, path, e.value, { formattingOptions: formatting }));
  }
  return out;
}
