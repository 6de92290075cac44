// Bundles every runtime entry point of Transfer Lab:
//   dist/extension.js  VS Code extension host (CommonJS, `vscode` external, never loads tfjs)
//   dist/worker.js     training child process (tfjs + wasm backend; tfjs-node optional)
//   dist/feature-thread.js  a frozen-pass thread of the training process (another core for the preparation)
//   dist/cli.js        headless `transfer-lab` CLI
//   media/panel.js     experiment panel webview (browser IIFE, Chart.js bundled in)
//   media/predictions.js  "Classify with Run…" result page (browser IIFE)
// Usage: node esbuild.config.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Resolved at run time from node_modules: native code (sharp), wasm files and the optional tfjs-node.
 *  All of @tensorflow/* stays external so that the backends register on one tfjs-core engine. */
const nodeExternals = ['vscode', '@tensorflow/*', 'sharp'];

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/worker/main.ts', out: 'worker' },
  { in: 'src/worker/feature-thread.ts', out: 'feature-thread' },
  { in: 'src/cli/main.ts', out: 'cli' },
].filter((e) => existsSync(e.in));

const builds = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Prefer ES module builds: jsonc-parser's UMD main has dynamic requires esbuild cannot follow.
    mainFields: ['module', 'main'],
    external: nodeExternals,
  },
];
if (existsSync('webview/panel/main.ts')) {
  builds.push({
    ...common,
    entryPoints: [
      { in: 'webview/panel/main.ts', out: 'panel' },
      { in: 'webview/predictions/main.ts', out: 'predictions' },
    ],
    outdir: 'media',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
