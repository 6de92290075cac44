// Runs mocha test files (the UI end-to-end suite) with the project's mocha and prints a closing
// "N passed, N failed" line. Usage: node run-mocha.mjs file.test.js ...  Env: TEST_GREP (optional).
import Mocha from 'mocha';

const files = process.argv.slice(2);
const mocha = new Mocha({ ui: 'tdd', timeout: 10 * 60_000, reporter: 'spec', color: false, grep: process.env.TEST_GREP || undefined });
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
  console.log(`${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures || (files.length === 0 ? 1 : 0);
});
