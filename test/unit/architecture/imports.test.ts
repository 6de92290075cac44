// Architecture rules read from the source's own import statements (TypeScript's `preProcessFile`,
// type-only imports included): no import cycle anywhere under src/ or webview/, and the layer
// boundaries of the README's layout (core is pure: no `vscode`, no `src/protocol`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..', '..');

/** Every .ts file under `dir` (absolute paths). */
function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name));
}

/** The import graph: file → the project files it imports (relative specifiers resolved) and its bare specifiers. */
function importGraph(files: string[]): Map<string, { local: string[]; bare: string[] }> {
  const graph = new Map<string, { local: string[]; bare: string[] }>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const local: string[] = [];
    const bare: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) {
        bare.push(fileName);
        continue;
      }
      const resolved = path.resolve(path.dirname(file), fileName);
      const base = resolved.replace(/\.js$/, '');
      // A TypeScript module (imported as .js), a folder's index, or a data file imported as it is (JSON).
      const target = [`${base}.ts`, path.join(base, 'index.ts'), resolved].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      assert.ok(target, `${path.relative(root, file)}: cannot resolve import '${fileName}'`);
      local.push(target);
    }
    graph.set(file, { local, bare });
  }
  return graph;
}

/** The cycles of `graph`, one per strongly connected component with more than one file (or a self-import), as relative paths. */
function cycles(graph: Map<string, { local: string[] }>): string[][] {
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(path.relative(root, w));
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.local.includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const graph = importGraph([...tsFiles(path.join(root, 'src')), ...tsFiles(path.join(root, 'webview'))]);

test('no import cycles under src/ and webview/ (type-only imports count)', () => {
  assert.deepEqual(cycles(graph), []);
});

test('the cycle check finds a cycle', () => {
  const a = path.join(root, 'a.ts');
  const b = path.join(root, 'b.ts');
  const c = path.join(root, 'c.ts');
  assert.deepEqual(
    cycles(
      new Map([
        [a, { local: [b] }],
        [b, { local: [c] }],
        [c, { local: [a] }],
      ]),
    ),
    [['a.ts', 'b.ts', 'c.ts']],
  );
  assert.deepEqual(
    cycles(
      new Map([
        [a, { local: [b] }],
        [b, { local: [c] }],
        [c, { local: [] }],
      ]),
    ),
    [],
  );
});

test('src/core imports neither vscode nor src/protocol, src/extension, src/worker, src/cli', () => {
  const core = path.join(root, 'src', 'core') + path.sep;
  const outside = ['protocol', 'extension', 'worker', 'cli'].map((d) => path.join(root, 'src', d) + path.sep);
  const offenders = [...graph]
    .filter(([file]) => file.startsWith(core))
    .flatMap(([file, { local, bare }]) => [
      ...bare.filter((b) => b === 'vscode').map((b) => `${path.relative(root, file)} → ${b}`),
      ...local.filter((l) => outside.some((o) => l.startsWith(o))).map((l) => `${path.relative(root, file)} → ${path.relative(root, l)}`),
    ]);
  assert.deepEqual(offenders, []);
});
