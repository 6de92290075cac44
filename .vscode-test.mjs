// @vscode/test-cli configuration: the same extension-host suite as `npm run test:vscode`, run in a VS Code
// that @vscode/test-electron downloads (a developer machine or a CI with internet): `npx vscode-test`.
// Loading this file builds the tests and copies the fixture workspace (test/harness/build-tests.mjs);
// build the product first (`npm run build`).
import { defineConfig } from '@vscode/test-cli';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(fileURLToPath(import.meta.url));
execFileSync(process.execPath, [join(repo, 'test/harness/build-tests.mjs')], { stdio: 'inherit' });
const mocha = JSON.parse(readFileSync(join(repo, 'test/vscode/mocha-options.json'), 'utf8'));

export default defineConfig({
  label: 'extension-host',
  files: 'dist-test/vscode/*.test.js',
  workspaceFolder: join(repo, 'dist-test/workspace'),
  mocha,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
});
