/**
 * Changes one value of a JSON-with-comments text while leaving everything else byte for byte: the
 * other values, comments, blank lines and the file's own layout. jsonc-parser finds the nodes; the
 * new text is laid out like its surroundings (a one-line object stays on one line, a multi-line
 * object gets the new property on its own line with the same indentation). jsonc-parser's `modify`
 * is the fallback for shapes this module does not lay out itself (a path through a missing array).
 * Pure: no `vscode`, no file system.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath, type Node } from 'jsonc-parser';

/** Parse options for experiment files (comments and trailing commas allowed). */
const PARSE = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } as const;

/** One text replacement: `length` characters at `offset` become `text`. */
export interface TextReplacement {
  offset: number;
  length: number;
  text: string;
}

/** The indentation and line ending a text uses (the first indented line decides; 2 spaces and `\n` by default). */
export function detectFormatting(text: string): FormattingOptions & { unit: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol, unit: '\t' };
  const size = m ? m[1].length : 2;
  return { insertSpaces: true, tabSize: size, eol, unit: ' '.repeat(size) };
}

/** Renders a value on one line, with a space inside braces and after commas and colons: `{ "a": [1, 2] }`. */
export function renderCompact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderCompact).join(', ')}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${renderCompact(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * Renders a value over several lines: one property per line, objects nested the same way; arrays of
 * scalars stay on one line. `indent` is the indentation of the line the value starts on.
 */
export function renderMultiline(value: unknown, indent: string, unit: string, eol: string): string {
  if (Array.isArray(value)) {
    if (!value.some((v) => typeof v === 'object' && v !== null)) return renderCompact(value);
    if (value.length === 0) return '[]';
    const inner = indent + unit;
    return `[${eol}${value.map((v) => inner + renderMultiline(v, inner, unit, eol)).join(`,${eol}`)}${eol}${indent}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + unit;
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${renderMultiline(v, inner, unit, eol)}`);
    return `{${eol}${lines.join(`,${eol}`)}${eol}${indent}}`;
  }
  return JSON.stringify(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The whitespace at the start of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Offset of the end of the line holding `offset` (before its `\r\n` / `\n`). */
function lineEnd(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  const end = n < 0 ? text.length : n;
  return text[end - 1] === '\r' ? end - 1 : end;
}

/** True when only spaces, commas and one comment follow `offset` up to the end of its line. */
function restOfLineIsTrivia(text: string, offset: number): boolean {
  return /^[\s,]*(\/\/.*|\/\*.*\*\/[ \t]*)?$/.test(text.slice(offset, lineEnd(text, offset)));
}

/** True when the node's text spans more than one line. */
function isMultiline(text: string, node: Node): boolean {
  return text.slice(node.offset, node.offset + node.length).includes('\n');
}

/** A value laid out to replace `node` (one line if the node was on one line). */
function renderLike(text: string, node: Node, value: unknown): string {
  if (!isMultiline(text, node)) return renderCompact(value);
  const f = detectFormatting(text);
  return renderMultiline(value, lineIndent(text, node.offset), f.unit, f.eol!);
}

/** Nests `value` under the rest of a path: (['a','b'], 1) → { a: { b: 1 } }. */
function nest(keys: readonly (string | number)[], value: unknown): unknown {
  return keys.reduceRight<unknown>((v, k) => ({ [k]: v }), value);
}

/** Applies jsonc-parser's `modify` with the text's own formatting (fallback). */
function jsoncModify(text: string, path: JSONPath, value: unknown, arrayInsertion = false): string {
  const f = detectFormatting(text);
  const edits = modify(text, path, value, {
    formattingOptions: { insertSpaces: f.insertSpaces, tabSize: f.tabSize, eol: f.eol },
    isArrayInsertion: arrayInsertion,
  });
  return applyEdits(text, edits);
}

/** Inserts a property `key: value` as the last member of the object node `obj`. */
function insertProperty(text: string, obj: Node, key: string, value: unknown): string {
  const props = obj.children ?? [];
  const member = (indent: string) => {
    const f = detectFormatting(text);
    return `${JSON.stringify(key)}: ${isMultiline(text, obj) ? renderMultiline(value, indent, f.unit, f.eol!) : renderCompact(value)}`;
  };
  if (props.length === 0) {
    const inner = text.slice(obj.offset + 1, obj.offset + obj.length - 1);
    if (/\/[/*]/.test(inner)) return jsoncModify(text, pathOf(obj).concat(key), value); // keep comments inside an empty object
    const multiline = inner.includes('\n');
    const f = detectFormatting(text);
    const indent = lineIndent(text, obj.offset);
    const body = multiline
      ? `{${f.eol}${indent}${f.unit}${JSON.stringify(key)}: ${renderMultiline(value, indent + f.unit, f.unit, f.eol!)}${f.eol}${indent}}`
      : `{ ${JSON.stringify(key)}: ${renderCompact(value)} }`;
    return text.slice(0, obj.offset) + body + text.slice(obj.offset + obj.length);
  }
  const last = props[props.length - 1];
  const lastEnd = last.offset + last.length;
  if (!isMultiline(text, obj)) return `${text.slice(0, lastEnd)}, ${member('')}${text.slice(lastEnd)}`;
  const f = detectFormatting(text);
  const indent = lineIndent(text, last.offset);
  // A trailing comma may already be there (JSONC allows it).
  const comma = /^[ \t]*,/.test(text.slice(lastEnd)) ? '' : ',';
  if (restOfLineIsTrivia(text, lastEnd)) {
    // `"a": 1 // note` → `"a": 1, // note` + a new line below it.
    const eolAt = lineEnd(text, lastEnd);
    return text.slice(0, lastEnd) + comma + text.slice(lastEnd, eolAt) + f.eol + indent + member(indent) + text.slice(eolAt);
  }
  return `${text.slice(0, lastEnd)}${comma}${f.eol}${indent}${member(indent)}${text.slice(lastEnd)}`;
}

/** Appends `value` as the last element of the array node `arr`. */
function appendElement(text: string, arr: Node, value: unknown): string {
  const items = arr.children ?? [];
  const multiline = isMultiline(text, arr);
  if (items.length === 0) {
    if (multiline) return jsoncModify(text, pathOf(arr).concat(0), value, true);
    return text.slice(0, arr.offset) + `[${renderCompact(value)}]` + text.slice(arr.offset + arr.length);
  }
  const last = items[items.length - 1];
  const lastEnd = last.offset + last.length;
  const hasComma = /^[ \t]*,/.test(text.slice(lastEnd));
  if (!multiline) return `${text.slice(0, lastEnd)}, ${renderCompact(value)}${text.slice(lastEnd)}`;
  const f = detectFormatting(text);
  const indent = lineIndent(text, last.offset);
  const rendered = renderMultiline(value, indent, f.unit, f.eol!);
  if (restOfLineIsTrivia(text, lastEnd)) {
    const eolAt = lineEnd(text, lastEnd);
    return text.slice(0, lastEnd) + (hasComma ? '' : ',') + text.slice(lastEnd, eolAt) + f.eol + indent + rendered + text.slice(eolAt);
  }
  return `${text.slice(0, lastEnd)},${f.eol}${indent}${rendered}${text.slice(lastEnd)}`;
}

/** Removes the property node `prop` from its object, with its comma and, in a multi-line object, its line(s). */
function removeProperty(text: string, prop: Node): string {
  const obj = prop.parent!;
  const props = obj.children ?? [];
  const i = props.indexOf(prop);
  if (props.length === 1) {
    return text.slice(0, obj.offset) + '{}' + text.slice(obj.offset + obj.length);
  }
  const start = prop.offset;
  const end = prop.offset + prop.length;
  const ownLine = /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start)) && restOfLineIsTrivia(text, end);
  if (ownLine) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const next = text.indexOf('\n', end);
    const lineStop = next < 0 ? text.length : next + 1;
    let out = text.slice(0, lineStart) + text.slice(lineStop);
    if (i === props.length - 1) {
      // The property before becomes the last one: drop its comma.
      const prev = props[i - 1];
      const prevEnd = prev.offset + prev.length;
      const m = /^([ \t]*),/.exec(out.slice(prevEnd));
      if (m) out = out.slice(0, prevEnd + m[1].length) + out.slice(prevEnd + m[1].length + 1);
    }
    return out;
  }
  if (i < props.length - 1) return text.slice(0, start) + text.slice(props[i + 1].offset);
  const prev = props[i - 1];
  return text.slice(0, prev.offset + prev.length) + text.slice(end);
}

/** The JSON path of a node (object keys and array indices from the root). */
function pathOf(node: Node): JSONPath {
  const path: JSONPath = [];
  let n: Node | undefined = node;
  while (n?.parent) {
    const p: Node = n.parent;
    if (p.type === 'property') {
      path.unshift(p.children![0].value as string);
      n = p.parent;
    } else if (p.type === 'array') {
      path.unshift(p.children!.indexOf(n));
      n = p;
    } else {
      n = p;
    }
  }
  return path;
}

/**
 * Sets the value at `path` (creating missing objects on the way) or, with `value` undefined, removes
 * it. Returns the new text (the same string when nothing changes). A path whose parent is not an
 * object or array is left to jsonc-parser's `modify`.
 * @throws Error when the text is not a JSON object at the top.
 */
export function setJsonValue(text: string, path: JSONPath, value: unknown): string {
  const root = parseTree(text, [], PARSE);
  if (!root || root.type !== 'object') throw new Error('the experiment file is not a JSON object');
  const node = findNodeAtLocation(root, path);
  if (value === undefined) {
    if (!node) return text;
    const holder = node.parent;
    if (holder?.type === 'property') return removeProperty(text, holder);
    return jsoncModify(text, path, undefined);
  }
  if (node) {
    const rendered = renderLike(text, node, value);
    if (text.slice(node.offset, node.offset + node.length) === rendered) return text;
    return text.slice(0, node.offset) + rendered + text.slice(node.offset + node.length);
  }
  // Deepest existing ancestor.
  let depth = path.length - 1;
  let parent: Node | undefined;
  while (depth >= 0) {
    parent = depth === 0 ? root : findNodeAtLocation(root, path.slice(0, depth));
    if (parent) break;
    depth--;
  }
  if (!parent) return jsoncModify(text, path, value);
  const key = path[depth];
  const rest = path.slice(depth + 1);
  if (parent.type === 'object' && typeof key === 'string' && rest.every((k) => typeof k === 'string')) {
    return insertProperty(text, parent, key, nest(rest, value));
  }
  if (parent.type === 'array' && typeof key === 'number' && key === (parent.children?.length ?? 0) && rest.every((k) => typeof k === 'string')) {
    return appendElement(text, parent, nest(rest, value));
  }
  return jsoncModify(text, path, value);
}

/** The value at `path` of a JSONC text (undefined when absent or unparsable). */
export function getJsonValue(text: string, path: JSONPath): unknown {
  const root = parseTree(text, [], PARSE);
  const node = root && findNodeAtLocation(root, path);
  if (!node) return undefined;
  return nodeValue(node);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.children ?? []).filter((p) => p.children?.length === 2).map((p) => [p.children![0].value as string, nodeValue(p.children![1])]),
      );
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/**
 * The smallest single replacement turning `before` into `after` (common prefix and suffix kept), so a
 * change of several values is one edit (one undo step) that leaves the rest of the document untouched.
 * Undefined when the texts are equal.
 */
export function minimalReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { offset: start, length: endB - start, text: after.slice(start, endA) };
}
