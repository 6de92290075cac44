// @vscode/test-cli configuration: the same extension-host suite as `npm run test:vscode`, run in a VS Code
// that @vscode/test-electron downloads (a developer machine or a CI with internet): `npx vscode-test`.
// Loading this file builds the tests and copies the fixture workspace (test/harness/build-tests.mjs);
// build the product first (`npm run build`).
import { defineConfig } from '@vscode/test-cli';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(fileURLToPath(import.meta.url));
execFileSync(process.execPath, [join(repo, 'test/harness/build-tests.mjs')], { stdio: 'inherit' });
const mocha = JSON.parse(readFileSync(join(repo, 'test/vscode/mocha-options.json'), 'utf8'));
// Files in name order, as the code-server entry (test/vscode/index.ts) runs them: 90-deactivate last.
const files = readdirSync(join(repo, 'dist-test/vscode'))
  .filter((f) => f.endsWith('.test.js'))
  .sort()
  .map((f) => `dist-test/vscode/${f}`);

export default defineConfig({
  label: 'extension-host',
  files,
  workspaceFolder: join(repo, 'dist-test/workspace'),
  mocha,
  // No --disable-extensions: the diagnostics tests need the built-in JSON language features.
  launchArgs: ['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
});
