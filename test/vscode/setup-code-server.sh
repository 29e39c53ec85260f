#!/usr/bin/env bash
# Installs a real VS Code (server + web workbench + built-in extensions) from the npm package
# code-server, without the GitHub downloads its postinstall would attempt (they fail offline).
# Usage: setup-code-server.sh [install-dir] [code-server-version]
# Default dir: ${CALLFLOW_VSCODE_DIR:-~/.cache/callflow-vscode-test/<version>}; skipped when already set up.
# Needs Debian packages libkrb5-dev + pkg-config (kerberos addon) and ripgrep (stands in for the rg
# binary @vscode/ripgrep would download); .ci/run installs them. 4.100.3 is the newest release whose
# engines.node is 20 (VS Code 1.100.3).
set -euo pipefail
VER=${2:-4.100.3}
DIR=${1:-${CALLFLOW_VSCODE_DIR:-$HOME/.cache/callflow-vscode-test/$VER}}
VSC="$DIR/node_modules/code-server/lib/vscode"
if [ -e "$VSC/node_modules.asar" ] && [ -e "$VSC/.callflow-ready" ]; then
  echo "code-server $VER already set up in $DIR"; exit 0
fi
for bin in rg pkg-config; do command -v "$bin" >/dev/null || { echo "setup-code-server: '$bin' missing (apt-get install ripgrep pkg-config libkrb5-dev)" >&2; exit 1; }; done
t0=$(date +%s)
mkdir -p "$DIR"; cd "$DIR"
[ -f package.json ] || echo '{"name":"callflow-vscode-test-host","private":true}' > package.json
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
npm install --no-audit --no-fund --ignore-scripts "code-server@$VER" >/dev/null
npm rebuild argon2 >/dev/null                # its prebuilt download fails offline: build from source
cd "$VSC"
# What code-server's postinstall.sh does, minus the ripgrep download.
npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
# @vscode/ripgrep's postinstall exits early when bin/ exists, so point it at Debian's rg.
mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild >/dev/null 2>&1 || npm rebuild   # node-pty, spdlog, kerberos, watchdog, sqlite3 ...
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
touch .callflow-ready
echo "code-server $VER (VS Code $(node -p "require('./package.json').version")) ready in $DIR after $(( $(date +%s) - t0 )) s"
