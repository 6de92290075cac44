#!/usr/bin/env bash
# CI entry of the real-VS-Code suites (call from .ci/run after `npm ci`): installs the apt packages
# the harness needs on a fresh machine (Debian chromium; libkrb5-dev for code-server's kerberos
# module; ripgrep for VS Code's search), then runs the extension-host suite (trusted, then in
# Restricted Mode) and the UI end-to-end suite. Each prints its own "N passed, N failed"; this
# script ends with the total.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
missing=()
for pkg in chromium libkrb5-dev ripgrep; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "### apt: ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } || { echo "apt-get install failed"; exit 1; }
fi
passed=0 failed=0 rc=0
for step in vscode vscode-restricted e2e; do
  suite=${step%-restricted}
  restricted=$([ "$step" = vscode-restricted ] && echo 1 || true)
  echo "### ${restricted:+RESTRICTED=1 }npm run test:$suite"
  log=$(mktemp)
  RESTRICTED=$restricted npm run --silent "test:$suite" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  rm -f "$log"
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
    failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
  else
    failed=$((failed + 1))   # the suite did not get as far as running tests
  fi
  [ "$status" -ne 0 ] && rc=1
done
echo "vscode: $passed passed, $failed failed"
exit "$rc"
