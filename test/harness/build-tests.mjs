// Builds the test code (not the product): test/vscode/**/*.vscode.test.ts → dist-test/vscode/*.test.js
// (+ index.js, the extension-host entry), test/e2e/**/*.e2e.test.ts → dist-test/e2e/*.test.js, and copies
// the fixture workspace to dist-test/workspace (or to $TEST_WORKSPACE). Usage: node test/harness/build-tests.mjs
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(repo, 'dist-test');

/** Files under `dir` whose name ends with `suffix`, recursively. */
function find(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith(suffix))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // vscode: provided by the extension host; mocha: the runner's instance; playwright-core: the harness cache.
  external: ['vscode', 'mocha', 'playwright-core', '@tensorflow/*', 'sharp'],
};

rmSync(join(out, 'vscode'), { recursive: true, force: true });
rmSync(join(out, 'e2e'), { recursive: true, force: true });
const entry = (f, suffix) => ({ in: f, out: relative(join(repo, 'test'), f).replace(suffix, '.test') });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [
      ...find(join(repo, 'test/vscode'), '.vscode.test.ts').map((f) => entry(f, '.vscode.test.ts')),
      { in: join(repo, 'test/vscode/index.ts'), out: 'vscode/index' },
    ],
    outdir: out,
  }),
  esbuild.build({ ...common, entryPoints: find(join(repo, 'test/e2e'), '.e2e.test.ts').map((f) => entry(f, '.e2e.test.ts')), outdir: out }),
]);

const workspace = process.env.TEST_WORKSPACE ? resolve(process.env.TEST_WORKSPACE) : join(out, 'workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
cpSync(join(repo, 'test/vscode/fixtures/workspace'), workspace, { recursive: true });
console.log(`[harness] tests built in ${relative(repo, out)}/, workspace ${workspace}`);
