// Runs the extension-host suite inside code-server's (remote) extension host, the way VS Code's own
// browser integration tests do: open the workbench with
//   ?payload=[["extensionDevelopmentPath", ...], ["extensionTestsPath", ...]]
// (needs --enable-smoke-test-driver on the server). The host's console comes back through
// window.codeAutomationLog and the exit code through window.codeAutomationExit, both exposed with
// Playwright before the page loads. Prints the mocha output live, the host logs on failure, and a
// closing "N passed, N failed" line. Env: CS_URL, WS, EXT_DEV, EXT_TESTS, OUT, USER_DATA (server logs), CHROMIUM.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { chromium } = require('playwright-core');

const { CS_URL, WS, EXT_DEV, EXT_TESTS, OUT, USER_DATA } = process.env;
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 20 * 60_000);
const t0 = Date.now();
const log = (...a) => console.log(`[driver ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const RESULT_RE = /\[transfer-lab-tests\] (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/;
/** Workbench chatter of a closed network (no marketplace, no GitHub, no service worker): kept in the log file only. */
const NOISE_RE =
  /open-vsx|ENOTFOUND|ServiceWorker|authentication provider|Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|Updating additional builtin|AgentHost|AccountPolicyGate|vsda|Extension host with pid|Started local extension host|Lock '|workbench\.js:/;

/** Prints the tail of every log file under `dir` (extension host, remote agent, our output channel). */
function printLogs(dir, lines = 60) {
  if (!dir || !fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, String(f));
    if (!p.endsWith('.log') || !fs.statSync(p).isFile()) continue;
    const text = fs.readFileSync(p, 'utf8').trimEnd().split('\n');
    console.log(`\n----- ${path.relative(dir, p)} (last ${Math.min(lines, text.length)} of ${text.length} lines) -----`);
    console.log(text.slice(-lines).join('\n'));
  }
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const host = new URL(CS_URL).host;
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(EXT_DEV)],
    ['extensionTestsPath', remote(EXT_TESTS)],
    ['skipWelcome', 'true'],
  ];
  const url = `${CS_URL}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const hostConsole = [];
  let result;
  let finish;
  const exited = new Promise((r) => (finish = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = util.format(...(args || []));
    hostConsole.push(`[${type}] ${text}`);
    const m = RESULT_RE.exec(text);
    if (m) {
      result = { passed: +m[1], failed: +m[2], skipped: +(m[3] || 0), ours: true };
      return;
    }
    // A runner without our summary line (@vscode/test-cli's): read mocha's spec reporter totals.
    const totals = /^\s*(\d+) (passing|failing|pending)\b/.exec(text);
    if (totals && !(result && result.ours)) {
      result = result || { passed: 0, failed: 0, skipped: 0 };
      result[{ passing: 'passed', failing: 'failed', pending: 'skipped' }[totals[2]]] = +totals[1];
    }
    if (!NOISE_RE.test(text) || process.env.VERBOSE) console.log(type === 'error' ? `  [host error] ${text}` : text);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const l of logs || []) {
      if (!l || !l.relativePath || typeof l.contents !== 'string') continue;
      const dest = path.join(OUT, 'logs', l.relativePath);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, l.contents);
    }
    finish(code);
  });
  page.on('pageerror', (e) => hostConsole.push(`[pageerror] ${e.message}`));
  log('opening', url);
  await page.goto(url);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS))]);
  fs.writeFileSync(path.join(OUT, 'exthost-console.log'), hostConsole.join('\n') + '\n');
  const failed = code !== 0 || !result || result.failed > 0;
  if (failed) {
    await page.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => {});
    log(`extension host exit: ${code}; host logs follow`);
    printLogs(path.join(OUT, 'logs'));
    printLogs(USER_DATA && path.join(USER_DATA, 'logs'), 40);
  }
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  log(`extension host exit code ${code}`);
  const r = result || { passed: 0, failed: 1, skipped: 0 };
  console.log(`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
