/**
 * Extension-host entry of the suite for code-server's extension host (`extensionTestsPath`): runs every
 * `*.test.js` beside it, in name order, with the same mocha (the copy inside @vscode/test-cli) and the
 * same options as `.vscode-test.mjs`, then prints `[transfer-lab-tests] N passed, N failed, N skipped`
 * for the harness driver.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type MochaType from 'mocha';
import MOCHA_OPTIONS from './mocha-options.json';

/** Called by VS Code once the extension under test is loaded; rejects when any test failed. */
export async function run(): Promise<void> {
  const repo = path.resolve(__dirname, '../..');
  const requireFromCli = createRequire(path.join(repo, 'node_modules/@vscode/test-cli/package.json'));
  const Mocha = requireFromCli('mocha') as typeof MochaType;
  // Restricted Mode runs (RESTRICTED=1, the server's environment reaches this host) run only the
  // restricted-mode suite; normal runs leave it out.
  const restricted = process.env.RESTRICTED === '1';
  // TL_TEST_GREP (in the harness's environment) runs only the tests whose titles match it, while iterating.
  const only = process.env.TL_TEST_GREP;
  const mocha = new Mocha({
    ...(MOCHA_OPTIONS as MochaType.MochaOptions),
    color: false,
    reporter: 'spec',
    grep: only ?? 'restricted mode',
    invert: only === undefined && !restricted,
  });
  for (const f of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      console.log(`[transfer-lab-tests] ${s?.passes ?? 0} passed, ${s?.failures ?? failures} failed, ${s?.pending ?? 0} skipped`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
