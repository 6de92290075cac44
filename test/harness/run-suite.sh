#!/usr/bin/env bash
# Runs one real-VS-Code suite against code-server's bundled VS Code server on 127.0.0.1:
#   vscode  the mocha extension-host suite (test/vscode), extension loaded from source
#           (?payload=extensionDevelopmentPath + extensionTestsPath), exit code via codeAutomationExit;
#           TEST_RUNNER=test-cli runs it through @vscode/test-cli's runner instead of test/vscode/index.ts;
#           RESTRICTED=1 opens the workspace untrusted and runs the Restricted Mode tests
#   e2e     the Playwright UI tests (test/e2e) against the packaged .vsix, installed into a fresh profile
# Installs its tools into $CACHE once (install.sh), writes nothing to $HOME (HOME, XDG_*, TMPDIR point into
# the run's work folder), starts the server in its own session/process group and always stops it, then
# checks that no process of that group survived. Closing line: "N passed, N failed".
set -euo pipefail
SUITE=${1:?usage: run-suite.sh vscode|e2e}
case "$SUITE" in vscode|e2e) ;; *) echo "unknown suite $SUITE" >&2; exit 2 ;; esac
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "[harness $(elapsed)s] $*"; }

WORK=$CACHE/run/$SUITE                  # wiped at the start of each run, kept afterwards for inspection
RESULTS=$REPO/test-results/$SUITE       # screenshots and logs
rm -rf "$WORK" "$RESULTS"
mkdir -p "$WORK"/{home,tmp,xdg/config,xdg/data,xdg/cache,user-data/User,extensions,server-data} "$RESULTS"
export HOME=$WORK/home TMPDIR=$WORK/tmp XDG_CONFIG_HOME=$WORK/xdg/config XDG_DATA_HOME=$WORK/xdg/data \
  XDG_CACHE_HOME=$WORK/xdg/cache

bash "$HARNESS_DIR/install.sh"
if [ -n "${SKIP_BUILD:-}" ]; then
  say "SKIP_BUILD set: using the existing dist/"
else
  say "building the product bundles"
  (cd "$REPO" && node esbuild.config.mjs)
fi
TEST_WORKSPACE=$WORK/workspace node "$HARNESS_DIR/build-tests.mjs"

NODE24=$NODE24_HOME/bin/node
SERVER=("$NODE24" "$CODE_SERVER_HOME/lib/vscode/out/server-main.js" --accept-server-license-terms
  --server-data-dir "$WORK/server-data" --user-data-dir "$WORK/user-data" --extensions-dir "$WORK/extensions")
# RESTRICTED=1 (vscode suite): open the workspace untrusted, in Restricted Mode.
TRUST_ARGS=(--disable-workspace-trust) TRUST_ENABLED=false
if [ "${RESTRICTED:-}" = 1 ]; then TRUST_ARGS=() TRUST_ENABLED=true; export RESTRICTED; fi
cat > "$WORK/user-data/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": $TRUST_ENABLED,
  "security.workspace.trust.startupPrompt": "never",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "window.commandCenter": false
}
JSON

if [ "$SUITE" = e2e ]; then
  say "packaging the extension (npm run package) and installing the .vsix"
  (cd "$REPO" && npm run --silent package >"$WORK/package.log" 2>&1) || { tail -30 "$WORK/package.log"; exit 1; }
  tail -3 "$WORK/package.log"
  "${SERVER[@]}" --install-extension "$REPO/transfer-lab.vsix" >"$WORK/install-extension.log" 2>&1 \
    || { cat "$WORK/install-extension.log"; exit 1; }
fi

if [ "${TEST_RUNNER:-}" = test-cli ]; then
  VSCODE_TEST_OPTIONS=$(node -e '
    const fs = require("fs"), path = require("path"), dir = path.join(process.argv[1], "dist-test/vscode");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".test.js")).sort().map((f) => path.join(dir, f));
    const mochaOpts = JSON.parse(fs.readFileSync(path.join(process.argv[1], "test/vscode/mocha-options.json"), "utf8"));
    console.log(JSON.stringify({ mochaOpts, files, preload: [], colorDefault: false }));' "$REPO")
  export VSCODE_TEST_OPTIONS
fi
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
URL=http://127.0.0.1:$PORT
# Backgrounded from a non-interactive shell, setsid execs directly: $! is the server pid, session and group id.
setsid "${SERVER[@]}" --host 127.0.0.1 --port "$PORT" --without-connection-token --enable-smoke-test-driver \
  ${TRUST_ARGS[@]+"${TRUST_ARGS[@]}"} --telemetry-level off >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
stop_server() {
  local rc=$?
  if kill -0 -- "-$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  # Anything left in the server's session (forked workers, extension hosts) or started with this run's
  # work folder (a Chromium whose driver died) is a bug: report it, then end those pids.
  local left
  left=$(ps -eo pid=,sid=,args= | awk -v s="$SERVER_PID" -v w="$WORK/" '$2 == s || index($0, w) > 0' | grep -v " awk " || true)
  if [ -n "$left" ]; then
    echo "[harness] processes survived the server:"; echo "$left"
    echo "$left" | awk '{print $1}' | xargs -r kill -KILL 2>/dev/null || true
    [ "$rc" = 0 ] && rc=1
  else
    say "server stopped; no process of its session or work folder left"
  fi
  cp "$WORK/server.log" "$RESULTS/server.log" 2>/dev/null || true
  exit "$rc"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

node -e '(async()=>{for(let i=0;i<240;i++){try{if((await fetch(process.argv[1])).ok)process.exit(0)}catch{}await new Promise(r=>setTimeout(r,250))}process.exit(1)})()' "$URL/version" \
  || { say "server did not answer on $URL"; tail -40 "$WORK/server.log"; exit 1; }
say "VS Code server $(cat "$CODE_SERVER_HOME/lib/vscode/package.json" | node -pe 'JSON.parse(require("fs").readFileSync(0)).version') ready on $URL (pid $SERVER_PID)"

export NODE_PATH=$DRIVER_MODULES CS_URL=$URL WS=$WORK/workspace OUT=$RESULTS CHROMIUM TMPDIR
set +e
if [ "$SUITE" = vscode ]; then
  EXT_TESTS=$REPO/dist-test/vscode/index.js
  if [ "${TEST_RUNNER:-}" = test-cli ]; then
    # @vscode/test-cli's own runner with the options .vscode-test.mjs would pass it (set on the server
    # before it started, the extension host inherits them): the route test-electron takes, minus the download.
    EXT_TESTS=$REPO/node_modules/@vscode/test-cli/out/runner.cjs
  fi
  EXT_DEV=$REPO EXT_TESTS=$EXT_TESTS USER_DATA=$WORK/user-data node "$HARNESS_DIR/exttest-driver.cjs"
  RC=$?
else
  node "$HARNESS_DIR/run-mocha.mjs" "$REPO"/dist-test/e2e/*.test.js
  RC=$?
fi
set -e
say "$SUITE suite exit code $RC"
exit "$RC"
