/**
 * Maps JSON pointers to places in the experiment text (offset, length, 1-based line and column), so
 * schema errors and semantic checks point at the offending value. Shared by validate.ts and semantic.ts.
 */
import { parseTree, type Node } from 'jsonc-parser';
import type { Problem, Severity } from './problem.js';

/** The same options everywhere the experiment text is parsed: comments and trailing commas allowed. */
export const JSONC_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } as const;

/** Splits a JSON pointer (`/a/b/0`) into segments, unescaping `~1` and `~0`; `''` is the root. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins segments into a JSON pointer, escaping `~` and `/`. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Where a range starts in the text. `line` and `column` are 1-based. */
export interface TextRange {
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** What part of a property to point at: its value (default), or its name (unknown properties). */
export interface LocateOptions {
  key?: boolean;
}

/**
 * Locates JSON pointers in one text. Parses the text once (with jsonc-parser, tolerant of comments,
 * trailing commas and syntax errors).
 */
export class JsonLocator {
  /** The parse tree, or undefined for an empty text. */
  readonly root: Node | undefined;
  private readonly lineStarts: number[];

  constructor(
    readonly text: string,
    root?: Node,
  ) {
    this.root = root ?? parseTree(text, [], JSONC_OPTIONS);
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */ || (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** A range from an offset and a length. */
  range(offset: number, length: number): TextRange {
    return { offset, length, ...this.position(offset) };
  }

  /**
   * The range of the value at `pointer`. A missing path falls back to its deepest existing ancestor.
   * Primitive values are covered whole; an object or array that is a property value is located at
   * its property name (so a diagnostic does not cover a whole section), the root at its first character.
   */
  locate(pointer: string, options: LocateOptions = {}): TextRange {
    if (!this.root) return this.range(0, Math.min(1, this.text.length));
    const segments = parsePointer(pointer);
    let node: Node = this.root;
    let exact = true;
    for (const segment of segments) {
      const child = childAt(node, segment);
      if (!child) {
        exact = false;
        break;
      }
      node = child;
    }
    const property = node.parent?.type === 'property' ? node.parent : undefined;
    const keyNode = property?.children?.[0];
    if (keyNode && (options.key || !exact || node.type === 'object' || node.type === 'array')) {
      return this.range(keyNode.offset, keyNode.length);
    }
    if (node.type === 'object' || node.type === 'array') return this.range(node.offset, 1);
    return this.range(node.offset, Math.max(1, node.length));
  }

  /** A located problem. */
  problem(pointer: string, message: string, severity: Severity = 'error', options: LocateOptions = {}): Problem {
    return { path: pointer, message, severity, ...this.locate(pointer, options) };
  }
}

/** The value node of property `segment` of an object (the last one when the name is duplicated), or of an array element. */
/** Property name → value node of each object node located in so far. */
const propertyIndex = new WeakMap<Node, Map<string, Node>>();

function childAt(node: Node, segment: string): Node | undefined {
  if (node.type === 'object') {
    let index = propertyIndex.get(node);
    if (!index) {
      // One map per object, built on first use: locating many properties of a huge object stays linear.
      index = new Map();
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (key && value) index.set(String(key.value), value); // the last of duplicate names wins, as in JSON.parse
      }
      propertyIndex.set(node, index);
    }
    return index.get(segment);
  }
  if (node.type === 'array' && /^(0|[1-9][0-9]*)$/.test(segment)) return node.children?.[Number(segment)];
  return undefined;
}
