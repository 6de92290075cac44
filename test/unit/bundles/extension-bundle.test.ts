// The extension host must never load tfjs or sharp (heavy, native): only the worker does. `npm test`
// builds the bundles first; this reads what esbuild resolved for dist/extension.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as path from 'node:path';

test('dist/extension.js imports neither @tensorflow/* nor sharp', async () => {
  const root = path.join(__dirname, '..', '..', '..');
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/extension/extension.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', '@tensorflow/*', 'sharp'],
    logLevel: 'silent',
  });
  const offenders = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => i.path.startsWith('@tensorflow/') || i.path === 'sharp').map((i) => `${file} → ${i.path}`),
  );
  assert.deepEqual(offenders, []);
});
